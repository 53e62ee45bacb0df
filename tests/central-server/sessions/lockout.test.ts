import { describe, expect, it } from 'vitest';
import { LockoutConfigSchema } from '../../../central-server/config.ts';
import {
  lockoutDelaySeconds,
  retryAfterSeconds,
} from '../../../central-server/sessions/lockout.ts';

const config = LockoutConfigSchema.parse({
  freeAttempts: 3,
  baseDelaySeconds: 10,
  maxDelaySeconds: 100,
});

describe('TOTP back-off', () => {
  it('costs nothing for the free attempts', () => {
    expect([0, 1, 2].map((n) => lockoutDelaySeconds(config, n))).toEqual([0, 0, 0]);
  });

  it('doubles with every further failure, up to the cap', () => {
    expect([3, 4, 5, 6, 7, 50].map((n) => lockoutDelaySeconds(config, n))).toEqual([
      10, 20, 40, 80, 100, 100,
    ]);
  });

  it('counts from the last failure', () => {
    const last = new Date('2026-09-27T18:00:00Z');
    const state = { failedAttempts: 4, lastFailureAt: last };
    expect(retryAfterSeconds(config, state, new Date(last.getTime() + 5_000))).toBe(15);
    expect(retryAfterSeconds(config, state, new Date(last.getTime() + 20_000))).toBe(0);
    expect(retryAfterSeconds(config, { failedAttempts: 9, lastFailureAt: null }, last)).toBe(0);
  });
});
