import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { ROOT, bundle } from '../../../central-server/threads/bundle.js';
import { THREADS, threadEntries } from '../../../central-server/threads/entries.ts';

describe("the server's worker threads (decision 0067)", () => {
  it('each runs one bundled JavaScript file, without tsx and with the sources’ own module URLs', async () => {
    const entries = await threadEntries();
    expect(Object.keys(entries).sort()).toEqual(Object.keys(THREADS).sort());
    for (const url of Object.values(entries)) {
      const file = fileURLToPath(url);
      expect(file.startsWith(`${ROOT}/.cache/threads/`)).toBe(true);
      expect(file.endsWith('.mjs')).toBe(true);
      const code = await readFile(file, 'utf8');
      expect(code).not.toMatch(/from ["']tsx/);
      // every import.meta was replaced by the source module's own location
      expect(code).not.toContain('import.meta');
    }
    const migrate = await readFile(fileURLToPath(entries.migrate), 'utf8');
    expect(migrate).toContain(JSON.stringify(`${ROOT}/central-server/storage`));
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
