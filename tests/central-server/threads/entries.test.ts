import { mkdir, mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  ROOT,
  bundle,
  bundlesToPrune,
  pruneBundles,
} from '../../../central-server/threads/bundle.js';
import { THREADS, threadEntries } from '../../../central-server/threads/entries.ts';

describe("the server's worker threads (decision 0067)", () => {
  it('each runs bundled JavaScript (an entry and its chunks), without tsx and with the sources’ own module URLs', async () => {
    const entries = await threadEntries();
    expect(Object.keys(entries).sort()).toEqual(Object.keys(THREADS).sort());
    for (const url of Object.values(entries)) {
      const file = fileURLToPath(url);
      expect(file.startsWith(`${ROOT}/.cache/threads/`)).toBe(true);
      expect(file.endsWith('.mjs')).toBe(true);
    }
    const dir = dirname(fileURLToPath(entries.migrate));
    const files = (await readdir(dir)).filter((f) => f.endsWith('.mjs'));
    const code = await Promise.all(files.map((f) => readFile(join(dir, f), 'utf8')));
    for (const text of code) {
      expect(text).not.toMatch(/from ["']tsx/);
      // every import.meta was replaced by the source module's own location
      expect(text).not.toContain('import.meta');
    }
    expect(
      code.some((text) => text.includes(JSON.stringify(`${ROOT}/central-server/storage`))),
    ).toBe(true);
  });

  it('the server command loads no Prisma package: only a migration or an audit export imports one, when it runs', async () => {
    const { cli } = await bundle({ cli: 'cli/main.ts' });
    const dir = dirname(fileURLToPath(cli));
    const read = (file: string) => readFile(join(dir, file), 'utf8');
    /** the files a module loads with it: its static imports of other bundle files, transitively */
    async function loadedWith(file: string, seen = new Set<string>()): Promise<Set<string>> {
      if (seen.has(file)) return seen;
      seen.add(file);
      const code = await read(file);
      for (const m of code.matchAll(/^import\s(?:[^;]*?\sfrom\s)?"\.\/([^"]+)";/gm)) {
        await loadedWith(m[1]!, seen);
      }
      return seen;
    }
    const atStart = await loadedWith('cli.mjs');
    // the server command's own chunk, which the CLI imports when `wahlkoffer server` runs
    const commands = new Set<string>();
    for (const file of atStart) {
      for (const m of (await read(file)).matchAll(/import\("\.\/([^"]+)"\)/g)) commands.add(m[1]!);
    }
    const serverChunks: string[] = [];
    for (const file of commands) {
      if ((await read(file)).includes('function registerServerCommands(')) serverChunks.push(file);
    }
    expect(serverChunks).toHaveLength(1);
    const server = await loadedWith(serverChunks[0]!, new Set(atStart));
    const prismaImport = /^import\s(?:[^;]*?\sfrom\s)?"@prisma\//m;
    for (const file of server) expect(await read(file), file).not.toMatch(prismaImport);
    // …and the test itself would see one: Prisma's clients are chunks of their own
    const all = (await readdir(dir)).filter((f) => f.endsWith('.mjs'));
    const withPrisma = [];
    for (const file of all) if (prismaImport.test(await read(file))) withPrisma.push(file);
    expect(withPrisma.length).toBeGreaterThan(0);
  });

  it('a bundle finds files beside its sources and packages from the checkout', async () => {
    const { probe } = await bundle({ probe: 'tests/central-server/threads/probe-main.ts' });
    const worker = new Worker(probe);
    const answer = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(answer).toEqual({
      here: `${ROOT}/tests/central-server/threads`,
      zod: true,
    });
  });

  it('the same sources give the same files: a second build writes nothing new', async () => {
    const first = await bundle({ probe: 'tests/central-server/threads/probe-main.ts' });
    const second = await bundle({ probe: 'tests/central-server/threads/probe-main.ts' });
    expect(second.probe.href).toBe(first.probe.href);
  });
});

describe('old bundle directories are pruned (a checkout leaves one per code version)', () => {
  const HOUR = 60 * 60 * 1000;
  const now = Date.UTC(2026, 11, 7, 20);
  const used = (name: string, hoursAgo: number) => ({ name, usedMs: now - hoursAgo * HOUR });

  it('removes only directories beyond the three most recently used others and unused for a day', () => {
    const dirs = [
      used('a', 0),
      used('b', 50),
      used('c', 60),
      used('d', 70),
      used('e', 80),
      used('f', 90),
      used('g', 2),
    ];
    // a: current; g, b, c: the three most recent others; d, e, f: older than a day
    expect(bundlesToPrune(dirs, 'a', now).sort()).toEqual(['d', 'e', 'f']);
  });

  it('keeps every directory used within the day, however many there are', () => {
    const dirs = Array.from({ length: 10 }, (_, i) => used(`v${i}`, i * 2));
    expect(bundlesToPrune(dirs, 'v0', now)).toEqual([]);
  });

  it('never removes the current one, even when it is the oldest', () => {
    const dirs = [used('old', 100), used('x', 1), used('y', 1), used('z', 1), used('w', 99)];
    expect(bundlesToPrune(dirs, 'old', now)).toEqual(['w']);
  });

  it('on disk: removes the old version directories and nothing that is not one', async () => {
    const out = await mkdtemp(join(tmpdir(), 'bundles-'));
    try {
      const v = (n: number) => n.toString(16).padStart(16, '0');
      // v(1): current, started an hour ago; v(2), v(3): used today; v(4)–v(6): 2–4 days ago
      const hoursAgo = [1, 2, 3, 48, 72, 96];
      for (const [i, h] of hoursAgo.entries()) {
        await mkdir(join(out, v(i + 1)));
        await writeFile(join(out, v(i + 1), 'x.mjs'), 'export {}');
        const t = new Date(now - h * HOUR);
        await utimes(join(out, v(i + 1)), t, t);
      }
      // not a version directory, however old: left alone
      await mkdir(join(out, 'notes'));
      await utimes(join(out, 'notes'), new Date(0), new Date(0));
      const gone = await pruneBundles(out, v(1), now);
      // v(4) is the third most recent other: kept
      expect(gone.sort()).toEqual([v(5), v(6)]);
      expect((await readdir(out)).sort()).toEqual([v(1), v(2), v(3), v(4), 'notes']);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
