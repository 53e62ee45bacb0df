import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { demoThenAudit } from './demo-night.ts';

const dir = mkdtempSync(path.join(tmpdir(), 'wk-audit-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The short night (30 Urnenwahlbezirke, every fault); the whole Munich night is in the .long test. */
describe('the demo’s election night, exported and verified', () => {
  it('verifies without a finding: every kit report, every refusal counted apart, the totals', async () => {
    const { night, code, summary, stdout } = await demoThenAudit(dir, [
      '--urnenwahlbezirke',
      '30',
      '--duration-seconds',
      '3',
    ]);
    expect(summary.findings, stdout.slice(-3000)).toEqual([]);
    expect(code).toBe(0);
    // every report the demo's kits had accepted, each one's signature checked
    expect(summary.reports).toBeGreaterThanOrEqual(night.accepted);
    expect(summary.checked.signaturesValid).toBe(summary.checked.kitReports);
    // the demo's faults: a tampered, a foreign, a stolen kit's report … all refused, none counted
    expect(summary.checked.refused).toBeGreaterThan(0);
    expect(summary.checked.resultsCompared).toBeGreaterThan(0);
  }, 300_000);
});
