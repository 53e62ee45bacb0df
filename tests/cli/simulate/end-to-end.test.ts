import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchPublishedTotals } from '../../../cli/demo/results.ts';
import { startServerProcess } from '../../../cli/demo/server-process.ts';
import type { ServerProcess } from '../../../cli/demo/server-process.ts';
import { compareTotals, truthTotals } from '../../../cli/demo/totals.ts';
import { EXPECTED_OUTCOMES, FAULT_KINDS } from '../../../cli/simulate/faults.ts';
import type { FaultCounts } from '../../../cli/simulate/faults.ts';
import { createPkiStationSource } from '../../../cli/simulate/pki-station.ts';
import { runSimulation } from '../../../cli/simulate/run.ts';
import type { SimulationRun } from '../../../cli/simulate/run.ts';
import { buildElectionFixture } from './fixture.ts';
import type { ElectionFixture } from './fixture.ts';

const FAULTS: FaultCounts = {
  retry: 2,
  correction: 1,
  tampered: 1,
  revoked: 1,
  foreign: 1,
  crossed: 1,
};

describe('simulating election night against a real server (small Munich election, real PKI, real SQLite)', () => {
  let dir: string;
  let fixture: ElectionFixture;
  let server: ServerProcess;
  let run: SimulationRun;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wk-sim-e2e-'));
    fixture = await buildElectionFixture(dir, { urnen: 12, stolen: 1 });
    server = await startServerProcess({
      pkiDir: fixture.ws.pkiDir,
      electionFile: fixture.ws.electionFile,
      dbFile: fixture.ws.dbFile,
    });
    run = await runSimulation({
      serverUrl: server.url,
      truth: fixture.truth,
      stations: await fixture.stations(),
      faults: FAULTS,
      revokedStations: fixture.stolen,
      seed: 'e2e',
      concurrency: 8,
      durationMs: 0,
    });
  }, 120_000);

  afterAll(async () => {
    await server?.stop('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts every genuine report, each with a receipt the kit verified', () => {
    expect(run.summary.unexpected).toEqual([]);
    expect(run.summary.genuine).toEqual({
      expected: fixture.truth.length,
      accepted: fixture.truth.length,
    });
    expect(run.summary.ok).toBe(true);
  });

  it('refuses or accepts every injected fault exactly as expected', () => {
    for (const kind of FAULT_KINDS) {
      const checks = run.summary.faults.filter((f) => f.kind === kind);
      expect(checks, kind).toHaveLength(FAULTS[kind]);
      for (const check of checks)
        expect(check, `${kind} ${check.taskId}`).toMatchObject({ ok: true });
    }
  });

  it('counts refusals by their codes: tampered, foreign and crossed at the report, the stolen kit at its session', () => {
    const code = (kind: 'tampered' | 'foreign' | 'crossed' | 'revoked'): string => {
      const expected = EXPECTED_OUTCOMES[kind];
      return expected.kind === 'REFUSED' ? expected.code : '';
    };
    expect(run.summary.refusedByCode).toEqual({
      [code('tampered')]: FAULTS.tampered,
      [code('foreign')]: FAULTS.foreign,
      [code('crossed')]: FAULTS.crossed,
    });
    expect(run.summary.sessionRefusedByCode).toEqual({ [code('revoked')]: FAULTS.revoked });
  });

  it('answers each retry with the original receipt and never stores a report twice', () => {
    // each retry: a send cut off after writing, a re-send, one more send. The cut-off send was
    // usually stored already, so the re-send is a repeat (200); the last send always is.
    expect(run.summary.acceptedRepeats).toBeGreaterThanOrEqual(FAULTS.retry);
    // new acceptances seen: one per genuine report and per wrong first revision of a
    // correction, minus those whose 201 went to a dropped connection
    const stored = fixture.truth.length + FAULTS.correction;
    expect(run.summary.accepted).toBeLessThanOrEqual(stored);
    expect(run.summary.accepted).toBeGreaterThanOrEqual(stored - FAULTS.retry);
  });

  it("refuses to unlock a kit with a wrong passphrase, with pki's code", async () => {
    const precinctId = fixture.truth[0]!.precinctId;
    const stations = createPkiStationSource({
      bundlesDir: fixture.ws.bundlesDir,
      secrets: {
        [precinctId]: { passphrase: 'falsch falsch falsch falsch falsch', totpSecret: 'X' },
      },
      revokedDir: fixture.ws.revokedDir,
      revokedSecrets: {},
      rootCaPem: undefined,
    });
    try {
      await expect(stations.genuine(precinctId)).rejects.toMatchObject({
        code: 'KEY_DECRYPTION_FAILED',
      });
    } finally {
      await stations.close?.();
    }
  });

  it('publishes totals equal to the truth file, corrections included', async () => {
    const published = await fetchPublishedTotals(server.url, fixture.definition);
    expect(compareTotals(truthTotals(fixture.definition, fixture.truth), published)).toEqual([]);
  });
});
