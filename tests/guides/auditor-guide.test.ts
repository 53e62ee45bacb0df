import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportAudit } from '../../cli/audit/export.ts';
import { electionNight, type Night } from '../cli/audit/scenario.ts';
import { runGuide, stopAllBlocks } from './guide-runner.ts';

const sandbox = mkdtempSync(path.join(tmpdir(), 'wk-auditor-guide-'));
let night: Night | undefined;
afterAll(async () => {
  await stopAllBlocks();
  night?.office.cleanup();
  rmSync(sandbox, { recursive: true, force: true });
});

/**
 * What an auditor receives, made as the office makes it: an election night on a real server
 * (kit reports and a correction, a refused envelope, a result taken by phone, a kit revoked
 * after it reported; tests/cli/audit/scenario.ts) and its audit export. The guide names the
 * districts of a generated election; here P2 reported and P3's kit was revoked later.
 */
describe('docs/guides/auditor.md', () => {
  it('runs as written: the tool, then openssl and a shell alone on every part of the export', async () => {
    night = await electionNight();
    const exported = path.join(sandbox, 'home', 'wahl-export');
    await exportAudit({
      pkiDir: night.office.pkiDir,
      electionFile: night.office.electionFile,
      db: night.db,
      publicationDir: night.publishDir,
      outDir: exported,
      now: new Date(),
      tool: 'guide test',
    });
    const runs = await runGuide({
      guide: 'docs/guides/auditor.md',
      sandbox,
      cwd: exported,
      substitutions: [
        { from: 'stb-01002', to: 'P2' },
        { from: 'stb-01001', to: 'P3' },
      ],
    });
    // the revoked kit's report fails against today's CRL (openssl's exit 4) and passes at its signing time
    expect(runs.map((r) => r.code)).toContain(4);
    expect(runs.every((r) => r.code === 0 || r.code === 4)).toBe(true);
  }, 300_000);
});
