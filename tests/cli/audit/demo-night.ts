import path from 'node:path';
import { expect } from 'vitest';
import { runWahlkoffer } from '../run-wahlkoffer.ts';

type Summary = {
  reports: number;
  checked: Record<string, number | null>;
  findings: { code: string }[];
};

const lastJson = <T>(stdout: string): T => JSON.parse(stdout.trim().split('\n').at(-1)!) as T;

/**
 * The auditor's evening after the demo, as the "done when" says: `wahlkoffer demo
 * --exit-when-done --dir <d> …`, then `audit export` with the demo's PKI, election and database,
 * then `audit verify` — real processes, as the office and an auditor run them.
 */
export async function demoThenAudit(dir: string, demoArgs: readonly string[]) {
  const demo = await runWahlkoffer(['demo', '--exit-when-done', '--dir', dir, ...demoArgs]);
  expect(demo.code, demo.stderr.slice(-3000)).toBe(0);
  const night = lastJson<{ accepted: number; ok: boolean }>(demo.stdout);
  expect(night.ok).toBe(true);
  const out = path.join(dir, 'audit-export');
  const exported = await runWahlkoffer([
    'audit',
    'export',
    '--pki',
    path.join(dir, 'pki'),
    '--election',
    path.join(dir, 'election.json'),
    '--db',
    path.join(dir, 'wahlkoffer.db'),
    '--out',
    out,
  ]);
  expect(exported.code, exported.stderr).toBe(0);
  const verified = await runWahlkoffer(['audit', 'verify', out]);
  const summary = lastJson<Summary>(verified.stdout);
  return { night, code: verified.code, summary, stdout: verified.stdout };
}
