import type { LockoutConfig } from '../../config.ts';
import { lockoutDelaySeconds } from '../../sessions/lockout.ts';

/**
 * The growing lock-out of an office user, a pure function of (config, failures, now) like the
 * stations' (sessions/lockout.ts): the failures before the `freeAttempts`-th cost nothing (two),
 * that one locks the account for 30 s, each further one twice as long, up to `maxDelaySeconds`.
 */
export const OFFICE_LOCKOUT: LockoutConfig = {
  freeAttempts: 3,
  baseDelaySeconds: 30,
  maxDelaySeconds: 3600,
};

export function afterFailure(
  config: LockoutConfig,
  failedBefore: number,
  now: Date,
): { readonly failedCount: number; readonly lockedUntil: Date | null } {
  const failedCount = failedBefore + 1;
  const delay = lockoutDelaySeconds(config, failedCount);
  return {
    failedCount,
    lockedUntil: delay === 0 ? null : new Date(now.getTime() + delay * 1000),
  };
}

/** Seconds until the user may try again (0 = now). */
export function lockedForSeconds(lockedUntil: Date | null, now: Date): number {
  if (lockedUntil === null) return 0;
  return Math.max(0, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
}

/**
 * Log-in attempts per source address in a sliding window, in memory (a restart forgets it; the
 * per-user lock-out in the database does not). Bounded: at most `maxSources` addresses are
 * tracked, the oldest forgotten first.
 */
export class AttemptLimiter {
  private readonly attempts = new Map<string, number[]>();
  /** when a source's last audited refusal was: one audit row per source and window */
  private readonly refusedAt = new Map<string, number>();

  constructor(
    private readonly limit: { readonly attempts: number; readonly windowSeconds: number },
    private readonly maxSources = 10_000,
  ) {}

  /**
   * Counts an attempt. `allowed: false` when the source is over its limit (the attempt is then
   * refused unseen); `audit` on the first refusal of a window, so a flood leaves one audit row.
   */
  allow(source: string, now: Date): { readonly allowed: boolean; readonly audit: boolean } {
    const windowMs = this.limit.windowSeconds * 1000;
    const since = now.getTime() - windowMs;
    const recent = (this.attempts.get(source) ?? []).filter((t) => t > since);
    this.attempts.delete(source);
    this.attempts.set(source, recent);
    if (recent.length >= this.limit.attempts) {
      const last = this.refusedAt.get(source);
      const audit = last === undefined || last <= since;
      if (audit) this.refusedAt.set(source, now.getTime());
      return { allowed: false, audit };
    }
    recent.push(now.getTime());
    while (this.attempts.size > this.maxSources) {
      const oldest = this.attempts.keys().next().value;
      if (oldest === undefined) break;
      this.attempts.delete(oldest);
      this.refusedAt.delete(oldest);
    }
    return { allowed: true, audit: false };
  }
}
