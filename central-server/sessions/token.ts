import { createHash, webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
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

/**
 * The token key as a WebCrypto HMAC key, imported once: jose imports a raw `Uint8Array` key
 * again for every token it checks (~60 µs on the main thread per report in the national
 * profile, decision 0067).
 */
export function tokenKey(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
  return webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
    'verify',
  ]);
}

export async function issueToken(
  key: Uint8Array | webcrypto.CryptoKey,
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

/** Throws TOKEN_MISSING, TOKEN_INVALID or TOKEN_EXPIRED. */
export async function verifyToken(
  key: Uint8Array | webcrypto.CryptoKey,
  authorization: string | undefined,
  now: Date,
  electionId: string,
  cache?: VerifiedTokens,
): Promise<SessionClaims> {
  if (authorization === undefined || authorization === '') throw new ServerError('TOKEN_MISSING');
  const match = /^Bearer ([A-Za-z0-9_.-]{1,2048})$/.exec(authorization);
  if (match === null) throw new ServerError('TOKEN_INVALID');
  const token = match[1] as string;
  const known = cache?.lookup(token, now);
  if (known !== undefined) return known;
  try {
    const { payload } = await jwtVerify(token, key, {
      algorithms: ['HS256'],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: now,
      requiredClaims: ['exp', 'iat'],
    });
    const claims = ClaimsSchema.parse(payload);
    if (claims.ele !== electionId) throw new ServerError('TOKEN_INVALID');
    const verified: SessionClaims = {
      precinctId: claims.pre,
      electionId, // equal to claims.ele (checked above); one string shared by every entry
      fingerprint: claims.fpr,
      serial: claims.ser,
    };
    cache?.remember(token, verified, payload.exp as number);
    return verified;
  } catch (error) {
    if (error instanceof ServerError) throw error;
    if (error instanceof joseErrors.JWTExpired) throw new ServerError('TOKEN_EXPIRED');
    throw new ServerError('TOKEN_INVALID', {}, { cause: error });
  }
}

/**
 * Tokens whose MAC and claims were already verified, keyed by the exact token string. A kit sends
 * every report of the night with the same token, and the HMAC check through WebCrypto was ~8 % of
 * the intake's main-thread time (profile in docs/server.md). Only a byte-identical token hits the
 * cache, so nothing is trusted that was not verified once; expiry is still checked on every use.
 * Keyed by the token's SHA-256 (a token is ~400 characters: with every national kit's token
 * remembered the keys alone were ~40 MB). Bounded: the oldest entries go first.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, { claims: SessionClaims; expSeconds: number }>();

  constructor(private readonly maxEntries = 100_000) {}

  lookup(token: string, now: Date): SessionClaims | undefined {
    const key = tokenDigest(token);
    const entry = this.entries.get(key);
    if (entry === undefined) return undefined;
    if (now.getTime() >= entry.expSeconds * 1000) {
      this.entries.delete(key);
      throw new ServerError('TOKEN_EXPIRED');
    }
    return entry.claims;
  }

  remember(token: string, claims: SessionClaims, expSeconds: number): void {
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(tokenDigest(token), { claims, expSeconds });
  }
}

const tokenDigest = (token: string) => createHash('sha256').update(token).digest('base64');
