import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportAudit } from '../../../cli/audit/export.ts';
import { verifyExport } from '../../../cli/audit/verify/run.ts';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { EXPORT_PATHS, RefusedRequestLineSchema } from '../../../cli/audit/format.ts';
import { FORGED_TOKEN, NIGHT, electionNight, type Night } from './scenario.ts';

let night: Night;
const out = mkdtempSync(path.join(tmpdir(), 'wk-audit-'));

beforeAll(async () => {
  night = await electionNight();
}, 120_000);
afterAll(() => {
  night?.office.cleanup();
  rmSync(out, { recursive: true, force: true });
});

describe('audit export and verify of an untouched election night', () => {
  it('exports and verifies without findings', async () => {
    const dir = path.join(out, 'export');
    const manifest = await exportAudit({
      pkiDir: night.office.pkiDir,
      electionFile: night.office.electionFile,
      db: night.db,
      publicationDir: night.publishDir,
      outDir: dir,
      now: new Date(),
      tool: 'test',
    });
    expect(manifest.counts).toMatchObject({
      accepted: NIGHT.kitReports + NIGHT.phoneReports,
      refused: NIGHT.refused,
      refusedRequests: NIGHT.refusedWithoutSession,
    });
    const report = await verifyExport(dir, { now: new Date() });
    expect(report.findings).toEqual([]);
    expect(report.checked).toMatchObject({
      kitReports: NIGHT.kitReports,
      signaturesValid: NIGHT.kitReports,
      phoneReports: NIGHT.phoneReports,
      refused: NIGHT.refused,
    });
  }, 60_000);

  it('lists the requests refused without a session: what identifies them, never a body', async () => {
    const dir = path.join(out, 'export');
    const lines = readFileSync(path.join(dir, EXPORT_PATHS.refusedRequests), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => RefusedRequestLineSchema.parse(JSON.parse(l)));
    expect(lines).toHaveLength(NIGHT.refusedWithoutSession);
    expect(lines[0]).toMatchObject({
      id: 1,
      route: 'submitReport',
      code: 'TOKEN_INVALID',
      hash: createHash('sha256').update(`Bearer ${FORGED_TOKEN}`).digest('hex'),
    });
    expect(lines[0]!.size).toBeGreaterThan(0);
    expect(lines[0]!.source).toMatch(/127\.0\.0\.1/);
  });
});
