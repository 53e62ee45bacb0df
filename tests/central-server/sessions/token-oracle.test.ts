import { createSecretKey } from 'node:crypto';
import fc from 'fast-check';
import { jwtVerify, errors as joseErrors } from 'jose';
import { describe, expect, it } from 'vitest';
import { ServerError } from '../../../central-server/errors.ts';
import { issueToken, verifyToken } from '../../../central-server/sessions/token.ts';

/**
 * The session token check (central-server/sessions/token.ts) is done with node:crypto on the hot
 * path; jose's jwtVerify, with the options the server used before, is the reference it is held to.
 */
const secret = new Uint8Array(32).fill(7);
const key = createSecretKey(secret);
const ELECTION = 'btw-2025';

type Verdict = { ok: true; precinctId: string } | { ok: false; code: string };

async function ours(token: string, now: Date): Promise<Verdict> {
  try {
    const c = await verifyToken(key, `Bearer ${token}`, now, ELECTION);
    return { ok: true, precinctId: c.precinctId };
  } catch (error) {
    if (!(error instanceof ServerError)) throw error;
    return { ok: false, code: error.code };
  }
}

async function reference(token: string, now: Date): Promise<Verdict> {
  try {
    const { payload } = await jwtVerify(token, secret, {
      algorithms: ['HS256'],
      issuer: 'wahlkoffer-server',
      audience: 'wahlkoffer-intake',
      currentDate: now,
      requiredClaims: ['exp', 'iat'],
    });
    if (payload.ele !== ELECTION || typeof payload.pre !== 'string') {
      return { ok: false, code: 'TOKEN_INVALID' };
    }
    return { ok: true, precinctId: payload.pre };
  } catch (error) {
    return {
      ok: false,
      code: error instanceof joseErrors.JWTExpired ? 'TOKEN_EXPIRED' : 'TOKEN_INVALID',
    };
  }
}

const issuedAt = new Date('2026-09-27T06:00:00Z');
const genuine = fc.record({
  precinctId: fc.stringMatching(/^[A-Za-z0-9-]{1,20}$/),
  electionId: fc.constantFrom(ELECTION, 'other-election'),
  fingerprint: fc.stringMatching(/^[0-9a-f]{64}$/),
  serial: fc.stringMatching(/^[0-9A-F]{2,40}$/),
  lifetimeS: fc.integer({ min: 1, max: 200_000 }),
  // when the token is used, relative to its expiry (seconds; around the boundary too)
  usedS: fc.integer({ min: -200_000, max: 5 }),
});
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

describe('the session token check, held to jose', () => {
  it('gives jose\'s verdict on every token this server issues, at any time of use', async () => {
    await fc.assert(
      fc.asyncProperty(genuine, async (g) => {
        const expiresAt = new Date(issuedAt.getTime() + g.lifetimeS * 1000);
        const token = await issueToken(key, g, issuedAt, expiresAt);
        const at = new Date(expiresAt.getTime() + g.usedS * 1000);
        expect(await ours(token, at)).toEqual(await reference(token, at));
      }),
      { numRuns: 300 },
    );
  });

  it('accepts no altered token that jose refuses, and refuses every one jose does', async () => {
    const alteration = fc.record({
      position: fc.nat(),
      char: fc.constantFrom(...B64URL.split(''), '.'),
      cut: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(genuine, alteration, async (g, a) => {
        const expiresAt = new Date(issuedAt.getTime() + g.lifetimeS * 1000);
        const token = await issueToken(key, { ...g, electionId: ELECTION }, issuedAt, expiresAt);
        const i = a.position % token.length;
        const altered = a.cut
          ? token.slice(0, i)
          : `${token.slice(0, i)}${a.char}${token.slice(i + 1)}`;
        if (altered === token || altered === '') return;
        const mine = await ours(altered, issuedAt);
        const theirs = await reference(altered, issuedAt);
        if (mine.ok) expect(theirs).toEqual(mine);
        else if (!theirs.ok) expect(theirs.code).toBe(mine.code);
        // jose may decode a tag whose last character differs only in unused bits; this server
        // takes the tag only as it writes it
        else expect(i).toBe(token.length - 1);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses a token signed by jose with another header, even with the right key', async () => {
    const { SignJWT } = await import('jose');
    const now = Math.floor(issuedAt.getTime() / 1000);
    const other = await new SignJWT({ pre: 'P1', ele: ELECTION, fpr: 'ab', ser: '01' })
      .setProtectedHeader({ alg: 'HS256' }) // no typ: not this server's header
      .setIssuer('wahlkoffer-server')
      .setAudience('wahlkoffer-intake')
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(secret);
    expect((await reference(other, issuedAt)).ok).toBe(true);
    expect(await ours(other, issuedAt)).toEqual({ ok: false, code: 'TOKEN_INVALID' });
  });
});
