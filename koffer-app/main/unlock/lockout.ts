/**
 * The growing lock-out after wrong passphrases, as a pure function of (config, attempts, time)
 * (VotingWorks' `libs/auth/src/lockout.ts` pattern; the server's TOTP lock-out in
 * central-server/sessions/lockout.ts is the same shape with its own numbers). The first
 * `freeAttempts` failures cost nothing; then each failure doubles the wait, up to the cap.
 */
export type UnlockLockoutConfig = {
  readonly freeAttempts: number;
  readonly baseDelaySeconds: number;
  readonly maxDelaySeconds: number;
};

/**
 * Three free attempts (a tired poll worker mistypes), then 30 s, 1 min, 2 min … capped at
 * one hour. The passphrase has ≥ 64 bits, so this guards against guessing at the keyboard;
 * the offline guard is scrypt (docs/decisions/0022).
 */
export const DEFAULT_UNLOCK_LOCKOUT: UnlockLockoutConfig = {
  freeAttempts: 3,
  baseDelaySeconds: 30,
  maxDelaySeconds: 3600,
};

export type AttemptState = { readonly failedAttempts: number; readonly lastFailureAt: Date | null };

export function lockoutDelaySeconds(config: UnlockLockoutConfig, failedAttempts: number): number {
  if (failedAttempts < config.freeAttempts) return 0;
  const exponent = Math.min(failedAttempts - config.freeAttempts, 30);
  return Math.min(config.baseDelaySeconds * 2 ** exponent, config.maxDelaySeconds);
}

/**
 * Seconds until the next attempt is allowed (0 = now). A clock set back before the last
 * failure counts as no time elapsed, so turning the clock back never shortens the wait.
 */
export function retryAfterSeconds(
  config: UnlockLockoutConfig,
  state: AttemptState,
  now: Date,
): number {
  if (state.lastFailureAt === null) return 0;
  const delay = lockoutDelaySeconds(config, state.failedAttempts);
  if (delay === 0) return 0;
  const elapsedMs = Math.max(0, now.getTime() - state.lastFailureAt.getTime());
  return Math.max(0, Math.ceil((delay * 1000 - elapsedMs) / 1000));
}
