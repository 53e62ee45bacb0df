import { describe, expect, it } from 'vitest';
import { GLIBC, loadMallocTrim } from '../../../central-server/memory/malloc-trim.ts';

/** glibc's own report of its version: present only where Node runs on glibc. */
const onGlibc =
  process.platform === 'linux' &&
  typeof (process.report.getReport() as { header?: { glibcVersionRuntime?: string } }).header
    ?.glibcVersionRuntime === 'string';

describe('malloc_trim through koffi', () => {
  it.runIf(onGlibc)('loads from glibc on this machine, and a call returns', async () => {
    const loaded = await loadMallocTrim();
    if (!loaded.ok) throw new Error(`not loaded: ${loaded.reason}`);
    // free memory between live allocations (once collected): every other 64 KB buffer of 1,600
    let buffers = Array.from({ length: 1_600 }, (_, i) => new Uint8Array(65_536 + i).fill(1));
    buffers = buffers.filter((_, i) => i % 2 === 0);
    const held = buffers.length;
    expect(typeof (await loaded.trim.call())).toBe('boolean');
    // a second call right after finds little or nothing and still answers
    expect(typeof (await loaded.trim.call())).toBe('boolean');
    expect(buffers.length).toBe(held);
    expect(buffers.every((b) => b[0] === 1)).toBe(true);
  });

  it('says why when the library cannot be loaded, and does not throw', async () => {
    const loaded = await loadMallocTrim('/nonexistent/libc-missing.so.6');
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) expect(loaded.reason).toMatch(/libc-missing/);
  });

  it('does not try on a platform without glibc', async () => {
    expect(await loadMallocTrim(GLIBC, 'darwin')).toEqual({
      ok: false,
      reason: 'no glibc on darwin',
    });
  });
});
