import type { LockoutConfig } from '../config.ts';

/**
 * Exponential back-off after wrong TOTP codes, as a pure function of (config, failures, time)
 * (the VotingWorks `libs/auth/src/lockout.ts` pattern): the first `freeAttempts` failures cost
 * nothing; after that each failure doubles the wait, capped at `maxDelaySeconds`. The counter is
 * per station and persisted, so restarting the server does not reset it.
 */
export function lockoutDelaySeconds(config: LockoutConfig, failedAttempts: number): number {
  if (failedAttempts < config.freeAttempts) return 0;
  const exponent = Math.min(failedAttempts - config.freeAttempts, 30);
  return Math.min(config.baseDelaySeconds * 2 ** exponent, config.maxDelaySeconds);
}

/** Seconds until the next attempt is allowed (0 = now). */
export function retryAfterSeconds(
  config: LockoutConfig,
  state: { failedAttempts: number; lastFailureAt: Date | null },
  now: Date,
): number {
  if (state.lastFailureAt === null) return 0;
  const delay = lockoutDelaySeconds(config, state.failedAttempts);
  const until = state.lastFailureAt.getTime() + delay * 1000;
  return Math.max(0, Math.ceil((until - now.getTime()) / 1000));
}
