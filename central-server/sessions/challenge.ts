import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { ServerError } from '../errors.ts';

/**
 * Stateless session challenges: `wkc1.<expiry ms>.<nonce>.<mac>`, MAC'd with a server key, so
 * any server instance (and a restarted one) can check them without storing anything. The kit
 * signs the challenge string with its station key (pki `signSessionChallenge`). A challenge can
 * be answered more than once within its short lifetime, but the TOTP code that must come with it
 * is accepted once only, so a captured answer cannot open a second session.
 */
const PREFIX = 'wkc1';

function mac(key: Uint8Array, body: string): string {
  return createHmac('sha256', key)
    .update(`wahlkoffer/session-challenge/v1|${body}`)
    .digest('base64url');
}

export function issueChallenge(
  key: Uint8Array,
  now: Date,
  ttlSeconds: number,
  nonce: Buffer = randomBytes(18),
): { challenge: string; expiresAt: Date } {
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000);
  const body = `${PREFIX}.${expiresAt.getTime()}.${nonce.toString('base64url')}`;
  return { challenge: `${body}.${mac(key, body)}`, expiresAt };
}

/** Throws CHALLENGE_INVALID (forged, malformed) or CHALLENGE_EXPIRED; returns its expiry. */
export function checkChallenge(key: Uint8Array, challenge: string, now: Date): Date {
  const parts = challenge.split('.');
  if (parts.length !== 4 || parts[0] !== PREFIX) throw new ServerError('CHALLENGE_INVALID');
  const [prefix, expiry, nonce, tag] = parts as [string, string, string, string];
  if (!/^[0-9]{1,15}$/.test(expiry) || !/^[A-Za-z0-9_-]{1,64}$/.test(nonce)) {
    throw new ServerError('CHALLENGE_INVALID');
  }
  const expected = Buffer.from(mac(key, `${prefix}.${expiry}.${nonce}`));
  const given = Buffer.from(tag);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    throw new ServerError('CHALLENGE_INVALID');
  }
  if (Number(expiry) <= now.getTime()) throw new ServerError('CHALLENGE_EXPIRED');
  return new Date(Number(expiry));
}
