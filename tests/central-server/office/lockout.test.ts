import { describe, expect, it } from 'vitest';
import {
  afterFailure,
  AttemptLimiter,
  lockedForSeconds,
  OFFICE_LOCKOUT,
} from '../../../central-server/office/auth/lockout.ts';

const at = (s: number) => new Date(Date.UTC(2026, 8, 27, 18, 0, s));

describe('the lock-out of an office user', () => {
  it('costs nothing for the first two failures, then locks for 30 s, 60 s, 120 s … up to an hour', () => {
    const now = at(0);
    const waits = [0, 1, 2, 3, 4, 5, 10, 20].map((before) =>
      lockedForSeconds(afterFailure(OFFICE_LOCKOUT, before, now).lockedUntil, now),
    );
    expect(waits).toEqual([0, 0, 30, 60, 120, 240, 3600, 3600]);
    expect(afterFailure(OFFICE_LOCKOUT, 4, now).failedCount).toBe(5);
  });

  it('is over once the time has passed', () => {
    const { lockedUntil } = afterFailure(OFFICE_LOCKOUT, 2, at(0));
    expect(lockedForSeconds(lockedUntil, at(29))).toBe(1);
    expect(lockedForSeconds(lockedUntil, at(30))).toBe(0);
  });
});

describe('the log-in limit per source address', () => {
  it('allows the limit per window, refuses more, audits the first refusal of a window only', () => {
    const limiter = new AttemptLimiter({ attempts: 3, windowSeconds: 60 });
    const answers = [0, 1, 2, 3, 4].map((s) => limiter.allow('10.0.0.1', at(s)));
    expect(answers).toEqual([
      { allowed: true, audit: false },
      { allowed: true, audit: false },
      { allowed: true, audit: false },
      { allowed: false, audit: true },
      { allowed: false, audit: false },
    ]);
    expect(limiter.allow('10.0.0.2', at(5)).allowed).toBe(true);
    // a minute after the first attempts, the window has room again
    expect(limiter.allow('10.0.0.1', at(61)).allowed).toBe(true);
  });

  it('forgets the oldest address beyond its bound', () => {
    const limiter = new AttemptLimiter({ attempts: 1, windowSeconds: 60 }, 2);
    limiter.allow('a', at(0));
    limiter.allow('b', at(0));
    limiter.allow('c', at(0));
    expect(limiter.allow('a', at(1)).allowed).toBe(true);
    expect(limiter.allow('c', at(1)).allowed).toBe(false);
  });
});
