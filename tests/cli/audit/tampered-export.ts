import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { exportAudit } from '../../../cli/audit/export.ts';
import type { Finding, FindingCode } from '../../../cli/audit/findings.ts';
import { verifyExport } from '../../../cli/audit/verify/run.ts';
import { electionNight, type Night } from './scenario.ts';
import { copyExport } from './tamper.ts';

/**
 * One election night (scenario.ts) and its untouched export per test file; each test changes a
 * fresh copy the way a forger would and verifies it.
 */
export function tamperHarness() {
  const sandbox = mkdtempSync(path.join(tmpdir(), 'wk-audit-tamper-'));
  const pristine = path.join(sandbox, 'pristine');
  let copies = 0;
  const state: { night?: Night } = {};
  beforeAll(async () => {
    state.night = await electionNight();
    await exportAudit({
      pkiDir: state.night.office.pkiDir,
      electionFile: state.night.office.electionFile,
      db: state.night.db,
      publicationDir: state.night.publishDir,
      outDir: pristine,
      now: new Date(),
      tool: 'test',
    });
  }, 120_000);
  afterAll(() => {
    state.night?.office.cleanup();
    rmSync(sandbox, { recursive: true, force: true });
  });
  const copy = () => copyExport(pristine, path.join(sandbox, `copy-${++copies}`));
  return {
    night: () => state.night!,
    copy,
    /**
     * A fresh copy of the untouched export, changed by `tamper`, then verified (the kit reports
     * checked on this thread, or in `threads` worker threads as on a large export).
     */
    verifyTampered: async (
      tamper: (dir: string) => void | Promise<void>,
      options: { threads?: number } = {},
    ): Promise<Finding[]> => {
      const dir = copy();
      await tamper(dir);
      return [...(await verifyExport(dir, { now: new Date(), ...options })).findings];
    },
  };
}

export const codes = (findings: readonly Finding[]) => findings.map((f) => f.code);
export const named = (findings: readonly Finding[], code: FindingCode) =>
  findings.filter((f) => f.code === code);
