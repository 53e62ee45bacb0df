import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { OfficeAuthError } from './errors.ts';

/**
 * Office passwords with scrypt (RFC 7914) from node:crypto (decisions/0085): N = 2^15, r = 8,
 * p = 1 — 32 MiB and about 0.1 s per hash on our 2-core machine, OWASP's minimum for scrypt;
 * 16 random bytes of salt, 32 bytes of output. The parameters travel in the stored string, so
 * they can be raised later without breaking older hashes.
 */
export const SCRYPT_PARAMETERS = { log2N: 15, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

type Parameters = { log2N: number; r: number; p: number };

function derive(password: string, salt: Buffer, params: Parameters, length: number) {
  return new Promise<Buffer>((resolve, reject) => {
    const N = 2 ** params.log2N;
    scrypt(
      password.normalize('NFC'),
      salt,
      length,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    );
  });
}

/** Refuses a password outside 12–256 characters (the upper bound keeps scrypt's input small). */
export function checkPasswordPolicy(password: string): void {
  if ([...password].length < PASSWORD_MIN_LENGTH) throw new OfficeAuthError('PASSWORD_TOO_SHORT');
  if ([...password].length > PASSWORD_MAX_LENGTH) throw new OfficeAuthError('PASSWORD_TOO_LONG');
}

/** `scrypt$15$8$1$<salt>$<hash>` (base64). */
export async function hashPassword(password: string): Promise<string> {
  checkPasswordPolicy(password);
  const { log2N, r, p, keyLength, saltLength } = SCRYPT_PARAMETERS;
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, { log2N, r, p }, keyLength);
  return ['scrypt', log2N, r, p, salt.toString('base64'), key.toString('base64')].join('$');
}

const STORED =
  /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/=]{8,})\$([A-Za-z0-9+/=]{16,})$/;

/** Compares in constant time; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const match = STORED.exec(stored);
  if (match === null || [...password].length > PASSWORD_MAX_LENGTH) return false;
  const [log2N, r, p] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (log2N < 14 || log2N > 20 || r < 1 || r > 32 || p < 1 || p > 16) return false;
  const expected = Buffer.from(match[5] ?? '', 'base64');
  const key = await derive(
    password,
    Buffer.from(match[4] ?? '', 'base64'),
    { log2N, r, p },
    expected.length,
  );
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * A hash no password matches, computed once: a log-in with an unknown name costs as much time as
 * one with a known name, so the answer's timing does not tell which names exist.
 */
let decoy: Promise<string> | undefined;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString('base64'));
  return decoy;
}
