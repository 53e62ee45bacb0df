import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServerProcess, type ServerProcess } from '../../../cli/demo/server-process.ts';
import { startTcpProxy, type TcpProxy } from '../../../cli/kit/tcp-proxy.ts';
import { buildElectionFixture, type ElectionFixture } from './fixture.ts';

const BIN = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../../../bin/wahlkoffer.js',
);

type Simulate = {
  readonly done: Promise<{ code: number | null; stdout: string; stderr: string }>;
};

/** `wahlkoffer simulate` as a child process, as the demo guide runs it. */
function simulate(fixture: ElectionFixture, url: string, extra: readonly string[]): Simulate {
  const { ws } = fixture;
  const child = spawn(
    process.execPath,
    [
      BIN,
      'simulate',
      '--server',
      url,
      '--bundles',
      ws.bundlesDir,
      '--truth',
      ws.truthFile,
      '--secrets',
      ws.secretsFile,
      '--root-ca',
      path.join(ws.pkiDir, 'root-ca.pem'),
      '--concurrency',
      '4',
      '--faults',
      'retry=2,correction=1',
      '--seed',
      'reuse',
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return {
    done: new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr }))),
  };
}

async function reportedCount(url: string): Promise<number> {
  const res = await fetch(`${url}/api/v1/results`).catch(() => undefined);
  if (res === undefined || !res.ok) return -1;
  return ((await res.json()) as { reportsCounted: number }).reportsCounted;
}

async function until(what: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await what())) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('wahlkoffer simulate against a server that restarts, and again on the reused database', () => {
  let dir: string;
  let fixture: ElectionFixture;
  let server: ServerProcess | undefined;
  let proxy: TcpProxy;
  let firstRun: { code: number | null; stdout: string; stderr: string };
  let secondRun: { code: number | null; stdout: string; stderr: string };

  const start = () =>
    startServerProcess({
      pkiDir: fixture.ws.pkiDir,
      electionFile: fixture.ws.electionFile,
      dbFile: fixture.ws.dbFile,
    });
  const target = () => {
    if (server === undefined) return undefined;
    const { hostname, port } = new URL(server.url);
    return { host: hostname, port: Number(port) };
  };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wk-sim-reuse-'));
    fixture = await buildElectionFixture(dir, { urnen: 8, stolen: 0 });
    server = await start();
    // the kits' one address: a proxy, so the restarted server (on another port) is reached there
    proxy = await startTcpProxy(target);
    const run = simulate(fixture, proxy.url, ['--duration-seconds', '20']);
    // election night: once a few reports are in, the server dies (SIGKILL) and comes back on the
    // same database a few seconds later; the kits that got no answer send the same bytes again
    await until(async () => (await reportedCount(server!.url)) >= 2, 60_000).catch(
      async (error: unknown) => {
        const out = await run.done;
        throw new Error(`${String(error)}\n${out.stdout}\n${out.stderr}`);
      },
    );
    const dying = server;
    server = undefined;
    await dying.stop('SIGKILL');
    await new Promise((r) => setTimeout(r, 2500));
    server = await start();
    firstRun = await run.done;
    // the demo guide's second simulation: the same kits, the same truth, sealed anew
    secondRun = await simulate(fixture, proxy.url, []).done;
  }, 180_000);

  afterAll(async () => {
    await proxy?.close();
    await server?.stop('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('the first run succeeds: the sends that got no answer were sent again and accepted', () => {
    expect(firstRun.stdout, firstRun.stderr).toMatch(/^Simulation OK/);
    expect(firstRun.code).toBe(0);
    expect(firstRun.stdout).toMatch(/requests sent again after no answer or 5xx: [1-9]\d*/);
    expect(firstRun.stdout).toMatch(/errors 0/);
  });

  it('the second run on the reused database succeeds: every report is a repeat with its original receipt', () => {
    expect(secondRun.stdout, secondRun.stderr).toMatch(/^Simulation OK/);
    expect(secondRun.code).toBe(0);
    expect(secondRun.stdout).toMatch(/accepted 0 new \+ \d+ repeats, refused 0, errors 0/);
    expect(secondRun.stdout).not.toMatch(/receipt does not match/);
  });
});
