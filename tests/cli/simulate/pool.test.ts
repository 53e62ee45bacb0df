import { describe, expect, it } from 'vitest';
import { runPaced } from '../../../cli/simulate/pool.ts';
import type { Pacing } from '../../../cli/simulate/pool.ts';

/** A virtual clock: sleeping advances time at once, so pacing is tested without waiting. */
function virtualPacing(concurrency: number, durationMs: number): Pacing & { time: () => number } {
  let t = 0;
  return {
    concurrency,
    durationMs,
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
    time: () => t,
  };
}

describe('runPaced', () => {
  it('runs every item once, never more than `concurrency` at a time', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await runPaced(
      Array.from({ length: 50 }, (_, i) => i),
      { ...virtualPacing(4, 0), sleep: () => Promise.resolve() },
      async (item) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setImmediate(r));
        seen.push(item);
        inFlight -= 1;
      },
    );
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(peak).toBe(4);
  });

  it('starts item i no earlier than i/n of the duration', async () => {
    const pacing = virtualPacing(2, 1000);
    const startedAt: number[] = [];
    await runPaced([0, 1, 2, 3, 4], pacing, async (_item, index) => {
      startedAt[index] = pacing.time();
    });
    startedAt.forEach((t, i) => expect(t).toBeGreaterThanOrEqual(i * 200 - 1));
  });

  it('handles an empty list', async () => {
    await expect(
      runPaced([], virtualPacing(3, 100), () => Promise.reject(new Error('no'))),
    ).resolves.toBeUndefined();
  });
});
