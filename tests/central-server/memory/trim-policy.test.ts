import { describe, expect, it } from 'vitest';
import {
  afterTrim,
  decideTrim,
  initialTrimState,
  type TrimPolicy,
} from '../../../central-server/memory/trim-policy.ts';

const MB = 1024 * 1024;
const policy: TrimPolicy = {
  checkEveryMs: 1_000,
  growthBytes: 32 * MB,
  minSpacingMs: 5_000,
  settleAfterMs: 30_000,
  settleBytes: 8 * MB,
};

describe('the trim policy', () => {
  it('trims at its first check: what the start freed', () => {
    expect(decideTrim(policy, initialTrimState(500 * MB), 0, 500 * MB)).toEqual({
      trim: true,
      reason: 'start',
    });
  });

  it('does not trim a process that has not grown by the threshold since the last trim', () => {
    const state = afterTrim(0, 500 * MB);
    expect(decideTrim(policy, state, 10_000, 531 * MB)).toEqual({
      trim: false,
      state: { ...state, highBytes: 531 * MB },
    });
  });

  it('trims once the resident size has grown by the threshold', () => {
    expect(decideTrim(policy, afterTrim(0, 500 * MB), 5_000, 532 * MB)).toEqual({
      trim: true,
      reason: 'growth',
    });
  });

  it('measures the growth from the lowest resident size seen since the last trim', () => {
    const dipped = decideTrim(policy, afterTrim(0, 500 * MB), 6_000, 450 * MB);
    expect(dipped).toEqual({
      trim: false,
      state: { lowBytes: 450 * MB, highBytes: 500 * MB, lastTrimAt: 0 },
    });
    if (dipped.trim) throw new Error('unreachable');
    // 482 MB is below the last trim's 500 + 32, but 32 MB above the low since
    expect(decideTrim(policy, dipped.state, 7_000, 482 * MB)).toEqual({
      trim: true,
      reason: 'growth',
    });
  });

  it('waits the minimum spacing after a trim, however much the process grew', () => {
    const trimmed = afterTrim(10_000, 600 * MB);
    expect(decideTrim(policy, trimmed, 14_999, 900 * MB).trim).toBe(false);
    expect(decideTrim(policy, trimmed, 15_000, 900 * MB)).toEqual({
      trim: true,
      reason: 'growth',
    });
  });

  it('trims once more after a burst, when the size moved but did not grow enough', () => {
    // a burst: up 20 MB, then the collectors free and the size falls back (no growth of 32 MB)
    let state = afterTrim(0, 600 * MB);
    for (const [t, rss] of [
      [1_000, 620],
      [2_000, 612],
      [3_000, 605],
    ] as const) {
      const d = decideTrim(policy, state, t, rss * MB);
      expect(d.trim).toBe(false);
      if (!d.trim) state = d.state;
    }
    expect(decideTrim(policy, state, 29_999, 605 * MB).trim).toBe(false);
    expect(decideTrim(policy, state, 30_000, 605 * MB)).toEqual({ trim: true, reason: 'settle' });
  });

  it('never trims a quiet server again: a few MB up and down are no reason', () => {
    let state = afterTrim(0, 700 * MB);
    for (let t = 1_000; t <= 600_000; t += 1_000) {
      const d = decideTrim(policy, state, t, (700 - (t % 7_000) / 1_000) * MB);
      expect(d.trim).toBe(false);
      if (!d.trim) state = d.state;
    }
    expect(state).toEqual({ lowBytes: 694 * MB, highBytes: 700 * MB, lastTrimAt: 0 });
  });
});
