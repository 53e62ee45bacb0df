import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseServerConfig,
  startServer,
  type RunningServer,
  type ServerConfigInput,
} from '../../../central-server/index.ts';
import { createLogger } from '../../../central-server/logger.ts';
import { loadMallocTrim, type MallocTrimLoad } from '../../../central-server/memory/malloc-trim.ts';
import type { TrimStatus } from '../../../central-server/memory/memory-trimmer.ts';
import { createOffice, get, openSession, submit, urneReport, type Office } from '../fixture.ts';

/** Trim at every check (20 ms): a test sees trims within a moment. */
const EAGER = { checkEveryMs: 20, growthBytes: 0, minSpacingMs: 0 };

/** The real binding, counting its loads and calls. */
function countedGlibc(library?: string) {
  const counts = { loads: 0, calls: 0 };
  const load = async (): Promise<MallocTrimLoad> => {
    counts.loads++;
    const loaded = await loadMallocTrim(library);
    if (!loaded.ok) return loaded;
    const call = () => {
      counts.calls++;
      return loaded.trim.call();
    };
    return { ok: true, trim: { call } };
  };
  return { counts, load };
}

let office: Office;
let run = 0;
beforeAll(async () => {
  office = await createOffice({ issue: ['P1'] });
});
afterAll(() => office.cleanup());

async function start(
  load: () => Promise<MallocTrimLoad>,
  extra: Partial<ServerConfigInput> = {},
): Promise<RunningServer> {
  const config = parseServerConfig({
    pkiDir: office.pkiDir,
    electionFile: office.electionFile,
    db: join(office.dir, `server-${++run}.db`),
    port: 0,
    logLevel: 'silent',
    plainHttp: true,
    mallocTrim: true,
    ...extra,
  });
  return startServer(config, {
    logger: createLogger('silent'),
    memoryTrim: { load, policy: EAGER },
  });
}

const health = async (server: RunningServer) =>
  (await get(`${server.url}/healthz`)).body as { status: string; memoryTrim: TrimStatus };

/** A session and a report: the server at work while the trimmer runs. */
async function report(server: RunningServer): Promise<number> {
  const kit = office.kits.get('P1')!;
  const { body } = await openSession(server, kit);
  const answer = await submit(
    server,
    body.token as string,
    await kit.seal(urneReport('P1', [300, 250, 140])),
  );
  return answer.status;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('giving free memory back while the server runs', () => {
  it('trims with glibc and shows the trims in /healthz', async () => {
    const glibc = countedGlibc();
    const server = await start(glibc.load);
    try {
      expect(await report(server)).toBe(201);
      await pause(300);
      const { memoryTrim } = await health(server);
      expect(memoryTrim).toMatchObject({ mode: 'on' });
      if (memoryTrim.mode !== 'on') throw new Error('unreachable');
      expect(memoryTrim.trims).toBeGreaterThan(0);
      expect(memoryTrim.trims).toBeLessThanOrEqual(glibc.counts.calls);
      expect(memoryTrim.last?.ms).toBeGreaterThanOrEqual(0);
    } finally {
      await server.close();
    }
    const calls = glibc.counts.calls;
    await pause(100);
    expect(glibc.counts.calls).toBe(calls); // nothing after close
  });

  it('when switched off, never loads the binding nor calls it', async () => {
    const glibc = countedGlibc();
    const server = await start(glibc.load, { mallocTrim: false });
    try {
      expect(await report(server)).toBe(201);
      await pause(300);
      expect((await health(server)).memoryTrim).toEqual({ mode: 'off' });
    } finally {
      await server.close();
    }
    expect(glibc.counts).toEqual({ loads: 0, calls: 0 });
  });

  it('when the binding cannot be loaded, runs as before and says why', async () => {
    const missing = countedGlibc('/nonexistent/libc-missing.so.6');
    const server = await start(missing.load);
    try {
      expect(await report(server)).toBe(201);
      const { status, memoryTrim } = await health(server);
      expect(status).toBe('ok');
      expect(memoryTrim).toMatchObject({ mode: 'unavailable' });
      if (memoryTrim.mode === 'unavailable') expect(memoryTrim.reason).toMatch(/libc-missing/);
    } finally {
      await server.close();
    }
    expect(missing.counts).toEqual({ loads: 1, calls: 0 });
  });
});
