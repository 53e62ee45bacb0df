import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  SERVER_HEAP_GROWTH_PERCENT,
  limitHeapGrowth,
  parseServerConfig,
} from '../../../central-server/index.ts';
import { ROOT } from '../../../central-server/threads/bundle.js';

const run = promisify(execFile);
type Thread = { liveMb: number; peakMb: number };

/** The probe in a process of its own (the flag is process-wide); percent < 0: V8's own growth. */
async function heaps(percent: number): Promise<{ worker: Thread; main: Thread }> {
  const { stdout } = await run(
    process.execPath,
    [
      '--expose-gc',
      '--import',
      'tsx',
      join(ROOT, 'tests/central-server/memory/heap-growth-probe.ts'),
      String(percent),
    ],
    { cwd: ROOT },
  );
  return JSON.parse(stdout) as { worker: Thread; main: Thread };
}

// a young generation of 3 × 16 MB semi-spaces: the main thread's default and the busy workers'
const YOUNG_MB = 48;

describe("the server process's heap growth (decision 0067, s9)", () => {
  it('keeps a thread that makes old garbage near its live size, in worker threads and the main thread alike', async () => {
    const [alone, limited] = await Promise.all([heaps(-1), heaps(SERVER_HEAP_GROWTH_PERCENT)]);
    for (const thread of ['worker', 'main'] as const) {
      const { liveMb } = limited[thread];
      expect(liveMb).toBeGreaterThan(20);
      // V8 alone let the heap grow to several times what was alive ...
      expect(alone[thread].peakMb).toBeGreaterThan(2 * (liveMb + YOUNG_MB));
      // ... with the server's setting it stays within 1.5× plus the young generation and a margin
      expect(limited[thread].peakMb).toBeLessThanOrEqual(2 * (liveMb + YOUNG_MB));
      expect(limited[thread].peakMb).toBeLessThan(0.7 * alone[thread].peakMb);
    }
  }, 60_000);

  it('is 50 % unless --heap-growth or WAHLKOFFER_HEAP_GROWTH says otherwise (0: V8 decides)', () => {
    const required = { pkiDir: 'pki', electionFile: 'election.json' };
    expect(parseServerConfig(required).heapGrowth).toBe(50);
    expect(parseServerConfig(required, { WAHLKOFFER_HEAP_GROWTH: '0' }).heapGrowth).toBe(0);
    expect(
      parseServerConfig({ ...required, heapGrowth: 30 }, { WAHLKOFFER_HEAP_GROWTH: '0' }).heapGrowth,
    ).toBe(30);
    for (const wrong of ['-1', '301', '1.5', 'lots']) {
      expect(() => parseServerConfig(required, { WAHLKOFFER_HEAP_GROWTH: wrong })).toThrow(
        ConfigError,
      );
    }
  });

  it('refuses a growth that is not a whole number of percent', () => {
    expect(() => limitHeapGrowth(-5)).toThrow(RangeError);
    expect(() => limitHeapGrowth(12.5)).toThrow(RangeError);
  });
});
