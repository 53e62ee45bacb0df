import { createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';
import { z } from 'zod';
import { ServerError } from '../errors.ts';

/**
 * Session tokens: stateless HS256 JWTs (RFC 7519) bound to the station certificate's
 * fingerprint, its precinct and the election. They are checked with the server key alone, so a
 * token issued in the morning keeps working through the night and across restarts, with no
 * session store and no separate auth service (Munich 2018 lost hours to exactly that service).
 * See ../../docs/decisions/0032-stateless-session-tokens.md.
 */
const ISSUER = 'wahlkoffer-server';
const AUDIENCE = 'wahlkoffer-intake';

export type SessionClaims = {
  readonly precinctId: string;
  readonly electionId: string;
  /** SHA-256 fingerprint of the station certificate (hex) */
  readonly fingerprint: string;
  readonly serial: string;
};

const ClaimsSchema = z.object({
  pre: z.string(),
  ele: z.string(),
  fpr: z.string(),
  ser: z.string(),
});

/** Tokens last through election night: until 12:00 UTC on the day after the election. */
export function sessionExpiry(electionDate: string): Date {
  const day = new Date(`${electionDate}T12:00:00.000Z`);
  return new Date(day.getTime() + 24 * 60 * 60 * 1000);
}

export async function issueToken(
  key: Uint8Array | KeyObject,
  claims: SessionClaims,
  now: Date,
  expiresAt: Date,
): Promise<string> {
  return new SignJWT({
    pre: claims.precinctId,
    ele: claims.electionId,
    fpr: claims.fingerprint,
    ser: claims.serial,
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.precinctId)
    .setIssuedAt(Math.floor(now.getTime() / 1000))
    .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
    .sign(key);
}

/**
 * The only protected header this server issues (`issueToken`: jose writes `{"alg":"HS256",
 * "typ":"JWT"}` in that order). A token with any other header was not made here: no algorithm is
 * read from the token, so there is nothing to confuse.
 */
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
const PayloadSchema = ClaimsSchema.extend({
  iss: z.literal(ISSUER),
  aud: z.literal(AUDIENCE),
  iat: z.number().int().nonnegative(),
  exp: z.number().int().nonnegative(),
});

/**
 * Throws TOKEN_MISSING, TOKEN_INVALID or TOKEN_EXPIRED.
 *
 * Checked synchronously with node:crypto (decision 0088): the fixed header, the HMAC-SHA256 tag
 * over `header.payload` compared in constant time (its base64url exactly as this server writes
 * it), then the claims with a strict schema — issuer, audience, `iat`, `exp` > now (seconds, as
 * jose has it), the election. jose's `jwtVerify` went through WebCrypto, an asynchronous job per
 * token (~50 µs of the main thread, 6 % of it on the national night); this check is ~10 µs, so
 * verified tokens are no longer remembered (that cache held ~33 MB on a national night, where each
 * kit's token is mostly seen once). jose still issues the tokens, and
 * tests/central-server/sessions/token-oracle.test.ts holds this check to jose's `jwtVerify` on
 * genuine and altered tokens: nothing is accepted here that jose refuses.
 */
export async function verifyToken(
  key: Uint8Array | KeyObject,
  authorization: string | undefined,
  now: Date,
  electionId: string,
): Promise<SessionClaims> {
  if (authorization === undefined || authorization === '') throw new ServerError('TOKEN_MISSING');
  const match = /^Bearer ([A-Za-z0-9_.-]{1,2048})$/.exec(authorization);
  if (match === null) throw new ServerError('TOKEN_INVALID');
  const token = match[1] as string;
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) throw new ServerError('TOKEN_INVALID');
  const [header, payload, tag] = parts as [string, string, string];
  const expected = createHmac('sha256', key).update(`${header}.${payload}`).digest();
  const given = Buffer.from(tag, 'base64url');
  if (
    given.length !== expected.length ||
    given.toString('base64url') !== tag ||
    !timingSafeEqual(given, expected)
  ) {
    throw new ServerError('TOKEN_INVALID');
  }
  const parsed = PayloadSchema.safeParse(jsonOf(payload));
  if (!parsed.success) throw new ServerError('TOKEN_INVALID', {}, { cause: parsed.error });
  const claims = parsed.data;
  if (claims.exp <= Math.floor(now.getTime() / 1000)) throw new ServerError('TOKEN_EXPIRED');
  if (claims.ele !== electionId) throw new ServerError('TOKEN_INVALID');
  return {
    precinctId: claims.pre,
    electionId, // equal to claims.ele (checked above)
    fingerprint: claims.fpr,
    serial: claims.ser,
  };
}

/** The payload segment's JSON, or undefined (the schema then refuses it). */
function jsonOf(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
