import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoThenAudit } from './demo-night.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wk-audit-demo-long-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('wahlkoffer demo --exit-when-done --dir <d>, then audit export and audit verify', () => {
  it('verifies the whole Munich night (1,274 districts) without a finding', async () => {
    const { night, code, summary, stdout } = await demoThenAudit(dir, []);
    expect(summary.findings, stdout.slice(-3000)).toEqual([]);
    expect(code).toBe(0);
    expect(night.accepted).toBe(1274);
    expect(summary.reports).toBeGreaterThanOrEqual(1274);
    expect(summary.checked.signaturesValid).toBe(summary.checked.kitReports);
  }, 900_000);
});
