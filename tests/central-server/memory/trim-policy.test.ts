import { describe, expect, it } from 'vitest';
import {
  afterTrim,
  decideTrim,
  initialTrimState,
  type TrimPolicy,
} from '../../../central-server/memory/trim-policy.ts';

const MB = 1024 * 1024;
const policy: TrimPolicy = { checkEveryMs: 1_000, growthBytes: 32 * MB, minSpacingMs: 5_000 };

describe('the trim policy', () => {
  it('does not trim a process that has not grown by the threshold since its start', () => {
    const state = initialTrimState(500 * MB);
    expect(decideTrim(policy, state, 10_000, 531 * MB)).toEqual({ trim: false, state });
  });

  it('trims once the resident size has grown by the threshold, even before any trim', () => {
    expect(decideTrim(policy, initialTrimState(500 * MB), 0, 532 * MB)).toEqual({
      trim: true,
      grownBytes: 32 * MB,
    });
  });

  it('measures the growth from the lowest resident size seen since the last trim', () => {
    const start = initialTrimState(500 * MB);
    const dipped = decideTrim(policy, start, 1_000, 450 * MB);
    expect(dipped).toEqual({ trim: false, state: { lowBytes: 450 * MB, lastTrimAt: null } });
    if (dipped.trim) throw new Error('unreachable');
    // 482 MB is below the start's 500 + 32 but 32 MB above the low
    expect(decideTrim(policy, dipped.state, 2_000, 482 * MB)).toEqual({
      trim: true,
      grownBytes: 32 * MB,
    });
  });

  it('waits the minimum spacing after a trim, however much the process grew', () => {
    const trimmed = afterTrim(10_000, 600 * MB);
    expect(decideTrim(policy, trimmed, 14_999, 900 * MB).trim).toBe(false);
    expect(decideTrim(policy, trimmed, 15_000, 900 * MB)).toEqual({
      trim: true,
      grownBytes: 300 * MB,
    });
  });

  it('starts counting the growth anew from the resident size right after a trim', () => {
    const trimmed = afterTrim(10_000, 600 * MB);
    expect(decideTrim(policy, trimmed, 60_000, 631 * MB)).toEqual({
      trim: false,
      state: trimmed,
    });
    expect(decideTrim(policy, trimmed, 60_000, 632 * MB).trim).toBe(true);
  });

  it('never trims a quiet server again: a steady or shrinking size is no reason', () => {
    let state = afterTrim(0, 700 * MB);
    for (let t = 1_000; t <= 600_000; t += 1_000) {
      const d = decideTrim(policy, state, t, (700 - (t % 7_000) / 1_000) * MB);
      expect(d.trim).toBe(false);
      if (!d.trim) state = d.state;
    }
    expect(state.lowBytes).toBe(694 * MB);
  });
});
