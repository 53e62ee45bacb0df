import { verifySync } from 'otplib';

/** RFC 6238 defaults, as in every authenticator app: SHA-1, 6 digits, 30 s period. */
export const TOTP_PERIOD_SECONDS = 30;

export type TotpCheck =
  | { readonly ok: true; readonly timeStep: number }
  /** CLOCK_BEHIND: a code was already accepted for a later time step than `now` allows, so the
   * server's clock has stepped back; nothing the kit sends can be checked until it is fixed */
  | { readonly ok: false; readonly reason: 'INVALID' | 'REPLAYED' | 'CLOCK_BEHIND' };

/**
 * Checks a TOTP code at `now` with ±1 step of clock drift. A code whose time step is not after
 * `lastTimeStep` is a replay (RFC 6238 §5.2: a code is accepted once only); the caller must store
 * the returned step atomically (`UPDATE … WHERE totpLastStep < step`) so that two concurrent
 * requests cannot both pass.
 */
export function checkTotp(
  secret: string,
  code: string,
  lastTimeStep: number,
  now: Date,
): TotpCheck {
  if (!/^[0-9]{6}$/.test(code)) return { ok: false, reason: 'INVALID' };
  const epoch = Math.floor(now.getTime() / 1000);
  if (lastTimeStep > Math.floor(epoch / TOTP_PERIOD_SECONDS) + 1) {
    return { ok: false, reason: 'CLOCK_BEHIND' };
  }
  const options = {
    secret,
    token: code,
    epoch,
    period: TOTP_PERIOD_SECONDS,
    epochTolerance: TOTP_PERIOD_SECONDS,
  };
  const fresh = verifySync(
    lastTimeStep >= 0 ? { ...options, afterTimeStep: lastTimeStep } : options,
  );
  if (fresh.valid && 'timeStep' in fresh) return { ok: true, timeStep: fresh.timeStep };
  // Tell a replayed code apart from a wrong one: the kit shows "wait for the next code".
  const any = verifySync(options);
  return { ok: false, reason: any.valid ? 'REPLAYED' : 'INVALID' };
}
