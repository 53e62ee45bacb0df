import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../../cli/demo/server-process.ts';
import { runSimulation } from '../../../cli/simulate/run.ts';
import { buildElectionFixture, type ElectionFixture } from './fixture.ts';

const NO_FAULTS = { retry: 0, correction: 0, tampered: 0, revoked: 0, foreign: 0, crossed: 0 };

describe('simulated kits against a server that serves HTTPS itself (real process, real PKI)', () => {
  let dir: string;
  let fixture: ElectionFixture;
  let server: ServerProcess;
  let rootCaPem: string;
  let foreignRootPem: string;

  const simulate = async (pin: string | undefined) =>
    runSimulation({
      serverUrl: server.url,
      ...(pin === undefined ? {} : { rootCaPem: pin }),
      truth: fixture.truth,
      stations: await fixture.stations(),
      faults: NO_FAULTS,
      revokedStations: [],
      seed: 'https',
      concurrency: 4,
      durationMs: 0,
    });

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wk-sim-https-'));
    fixture = await buildElectionFixture(dir, { urnen: 2, stolen: 0 });
    server = await startServerProcess({
      pkiDir: fixture.ws.pkiDir,
      electionFile: fixture.ws.electionFile,
      dbFile: fixture.ws.dbFile,
      plainHttp: false,
    });
    rootCaPem = await readFile(path.join(fixture.ws.pkiDir, 'root-ca.pem'), 'utf8');
    // a root that is not the office's: a self-signed P-256 certificate made by openssl
    const foreign = path.join(dir, 'foreign-root.pem');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-subj',
      '/CN=Not the election office',
      '-keyout',
      path.join(dir, 'foreign-root.key'),
      '-out',
      foreign,
      '-days',
      '2',
    ]);
    foreignRootPem = await readFile(foreign, 'utf8');
  }, 120_000);

  afterAll(async () => {
    await server?.stop('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('reports over HTTPS when the kits pin the office’s root', async () => {
    expect(server.url).toMatch(/^https:\/\//);
    const run = await simulate(rootCaPem);
    expect(run.summary.unexpected).toEqual([]);
    expect(run.summary.genuine.accepted).toBe(fixture.truth.length);
  });

  it('refuses to start when the server’s certificate does not chain to the pinned root', async () => {
    await expect(simulate(foreignRootPem)).rejects.toMatchObject({ code: 'SERVER_NOT_TRUSTED' });
  });

  it('refuses an https:// server without a root to pin', async () => {
    await expect(simulate(undefined)).rejects.toMatchObject({ code: 'ROOT_CA_REQUIRED' });
  });
});
