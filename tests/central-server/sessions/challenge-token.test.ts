import { describe, expect, it } from 'vitest';
import { checkChallenge, issueChallenge } from '../../../central-server/sessions/challenge.ts';
import {
  issueToken,
  sessionExpiry,
  verifyToken,
} from '../../../central-server/sessions/token.ts';
import { ServerError } from '../../../central-server/errors.ts';

const key = new Uint8Array(32).fill(7);
const otherKey = new Uint8Array(32).fill(8);
const now = new Date('2026-09-27T06:00:00Z');

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof ServerError ? error.code : 'NOT_A_SERVER_ERROR';
  }
  return undefined;
}

async function codeOfAsync(fn: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await fn();
  } catch (error) {
    return error instanceof ServerError ? error.code : 'NOT_A_SERVER_ERROR';
  }
  return undefined;
}

describe('session challenges', () => {
  const { challenge, expiresAt } = issueChallenge(key, now, 120);

  it('are accepted by the key that made them until they expire', () => {
    expect(codeOf(() => checkChallenge(key, challenge, now))).toBeUndefined();
    expect(expiresAt.getTime() - now.getTime()).toBe(120_000);
    expect(codeOf(() => checkChallenge(key, challenge, expiresAt))).toBe('CHALLENGE_EXPIRED');
  });

  it('are refused when forged, altered or malformed', () => {
    expect(codeOf(() => checkChallenge(otherKey, challenge, now))).toBe('CHALLENGE_INVALID');
    const [prefix, expiry, nonce, tag] = challenge.split('.');
    const later = `${prefix}.${Number(expiry) + 1e9}.${nonce}.${tag}`;
    expect(codeOf(() => checkChallenge(key, later, now))).toBe('CHALLENGE_INVALID');
    for (const bad of ['', 'x', 'wkc1.1.2', 'wkc1.a.b.c', `${challenge}.x`]) {
      expect(codeOf(() => checkChallenge(key, bad, now))).toBe('CHALLENGE_INVALID');
    }
  });
});

describe('session tokens', () => {
  const claims = {
    precinctId: 'P-0101',
    electionId: 'muc-2026',
    fingerprint: 'ab'.repeat(32),
    serial: '01',
  };
  const expires = sessionExpiry('2026-09-27');

  it('last until noon UTC on the day after the election', () => {
    expect(expires.toISOString()).toBe('2026-09-28T12:00:00.000Z');
  });

  it('carry the station binding and verify with the same key, also much later', async () => {
    const token = await issueToken(key, claims, now, expires);
    const evening = new Date('2026-09-27T21:30:00Z');
    await expect(verifyToken(key, `Bearer ${token}`, evening, 'muc-2026')).resolves.toEqual(claims);
  });

  it('are refused when missing, forged, for another election or expired', async () => {
    const token = await issueToken(key, claims, now, expires);
    expect(await codeOfAsync(() => verifyToken(key, undefined, now, 'muc-2026'))).toBe(
      'TOKEN_MISSING',
    );
    expect(await codeOfAsync(() => verifyToken(key, token, now, 'muc-2026'))).toBe('TOKEN_INVALID');
    expect(await codeOfAsync(() => verifyToken(otherKey, `Bearer ${token}`, now, 'muc-2026'))).toBe(
      'TOKEN_INVALID',
    );
    expect(await codeOfAsync(() => verifyToken(key, `Bearer ${token}`, now, 'other'))).toBe(
      'TOKEN_INVALID',
    );
    expect(await codeOfAsync(() => verifyToken(key, 'Bearer a.b.c', now, 'muc-2026'))).toBe(
      'TOKEN_INVALID',
    );
    const after = new Date(expires.getTime() + 1000);
    expect(await codeOfAsync(() => verifyToken(key, `Bearer ${token}`, after, 'muc-2026'))).toBe(
      'TOKEN_EXPIRED',
    );
  });
});
