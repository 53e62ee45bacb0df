import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthSchema } from '../../api/index.ts';
import { startServerProcess } from '../../cli/demo/server-process.ts';
import { buildElectionFixture, type ElectionFixture } from './simulate/fixture.ts';

/*
 * `wahlkoffer server` bounds V8's heap growth for its whole process (decision 0067, s9): 50 % unless
 * --heap-growth or WAHLKOFFER_HEAP_GROWTH says otherwise. V8 has no getter for the flag, so the
 * server says on /healthz what it set.
 */
let dir: string;
let fixture: ElectionFixture;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'wk-heap-growth-'));
  fixture = await buildElectionFixture(dir, { urnen: 2, stolen: 0 });
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function heapGrowthOf(name: string, options: { env?: NodeJS.ProcessEnv; args?: string[] }) {
  const server = await startServerProcess({
    pkiDir: fixture.ws.pkiDir,
    electionFile: fixture.ws.electionFile,
    dbFile: path.join(dir, `${name}.db`),
    ...(options.env === undefined ? {} : { env: options.env }),
    ...(options.args === undefined ? {} : { extraArgs: options.args }),
  });
  try {
    const health = HealthSchema.parse(await (await fetch(`${server.url}/healthz`)).json());
    return health.heapGrowthPercent;
  } finally {
    await server.stop('SIGTERM');
  }
}

describe('the server process’s heap growth, as /healthz reports it', () => {
  it('is 50 % by default, and what the environment or the flag says otherwise', async () => {
    expect(await heapGrowthOf('default', {})).toBe(50);
    expect(await heapGrowthOf('env', { env: { WAHLKOFFER_HEAP_GROWTH: '0' } })).toBe(0);
    expect(
      await heapGrowthOf('flag', {
        env: { WAHLKOFFER_HEAP_GROWTH: '0' },
        args: ['--heap-growth', '80'],
      }),
    ).toBe(80);
  }, 120_000);
});
