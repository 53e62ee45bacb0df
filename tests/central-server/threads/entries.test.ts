import { readFile, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ROOT, bundle } from '../../../central-server/threads/bundle.js';
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
