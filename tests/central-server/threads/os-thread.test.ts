import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HealthSchema } from '../../../api/index.ts';
import { startServer, type RunningServer } from '../../../central-server/index.ts';
import { parseServerConfig } from '../../../central-server/config.ts';
import { createLogger } from '../../../central-server/logger.ts';
import { osThreadId } from '../../../central-server/threads/os-thread.ts';
import { cpuByThread, serverThreads, threadCpuSeconds } from '../../../bench/servers/cpu.ts';
import { createOffice, get, type Office } from '../fixture.ts';

let office: Office;
let server: RunningServer;
let log = '';

beforeAll(async () => {
  office = await createOffice();
  const config = parseServerConfig({
    pkiDir: office.pkiDir,
    electionFile: office.electionFile,
    db: join(office.dir, 'threads.db'),
    port: 0,
    publicPort: 0,
    verifyWorkers: 1,
    logLevel: 'info',
    plainHttp: true,
  });
  server = await startServer(config, {
    logger: createLogger('info', { write: (line: string) => void (log += line) }),
  });
  // the verification thread announces itself when it starts; wait until it is up
  for (let i = 0; i < 200; i++) {
    const preload = HealthSchema.parse((await get(`${server.url}/healthz`)).body).preload;
    if (preload?.done === true && serverThreads(log).size >= 5) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
});
afterAll(async () => {
  await server?.close();
  office?.cleanup();
});

describe("the server's threads, by their operating-system thread (top -H, the intake benchmark)", () => {
  it.runIf(existsSync('/proc/thread-self'))(
    'are each logged once as "thread started" with a thread id of this process',
    () => {
      const threads = serverThreads(log);
      const byName = new Map([...threads].map(([tid, name]) => [name, tid]));
      // main: the thread that started the server (this test's); the migrations' thread has ended
      expect(byName.get('main')).toBe(osThreadId());
      for (const name of ['verify', 'sign', 'writer', 'publication', 'serve', 'migrate'])
        expect(byName.has(name), name).toBe(true);
      expect(new Set(threads.values()).size).toBe(threads.size);
      const alive = threadCpuSeconds(process.pid);
      for (const name of ['main', 'verify', 'sign', 'writer', 'publication', 'serve'])
        expect(alive.has(byName.get(name)!), `${name} is a thread of this process`).toBe(true);
    },
  );

  it.runIf(existsSync('/proc/thread-self'))(
    "let CPU time be told by thread: what the named threads don't use is 'other'",
    () => {
      const names = serverThreads(log);
      const before = new Map([...threadCpuSeconds(process.pid)].map(([t]) => [t, 0]));
      const after = threadCpuSeconds(process.pid);
      const split = cpuByThread(before, after, names);
      const total = [...after.values()].reduce((a, b) => a + b, 0);
      expect(Object.keys(split)).toEqual(expect.arrayContaining(['main', 'verify', 'other']));
      expect(Object.values(split).reduce((a, b) => a + b, 0)).toBeCloseTo(total, 6);
      // starting a thread (loading its bundle) alone takes more than a clock tick of CPU
      expect(split.verify).toBeGreaterThan(0);
      expect(split.publication).toBeGreaterThan(0);
    },
  );

  it('ignore log lines that are not announcements, or not well-formed', () => {
    const lines = [
      '{"level":30,"msg":"thread started","thread":"verify","osThread":41}',
      '{"level":30,"msg":"thread started","thread":"verify"}',
      'thread started but not JSON "thread started"',
      '{"level":30,"msg":"listening","thread":"main","osThread":1}',
    ].join('\n');
    expect([...serverThreads(lines)]).toEqual([[41, 'verify']]);
  });
});
