import { describe, expect, it } from 'vitest';
import { OfficeAuthError } from '../../../central-server/office/auth/errors.ts';
import {
  hashPassword,
  SCRYPT_PARAMETERS,
  verifyPassword,
} from '../../../central-server/office/auth/password.ts';

describe('office passwords', () => {
  it('are stored as scrypt with N = 2^15, r = 8, p = 1 and a random salt', async () => {
    const a = await hashPassword('korrekt pferd batterie');
    const b = await hashPassword('korrekt pferd batterie');
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
    expect(a).not.toBe(b);
    expect(SCRYPT_PARAMETERS).toMatchObject({ log2N: 15, r: 8, p: 1 });
  });

  it('verify the right password only', async () => {
    const stored = await hashPassword('korrekt pferd batterie');
    expect(await verifyPassword('korrekt pferd batterie', stored)).toBe(true);
    expect(await verifyPassword('korrekt pferd batterie ', stored)).toBe(false);
    expect(await verifyPassword('korrekt pferd batterie', 'scrypt$1$1$1$AAAA$AAAA')).toBe(false);
    expect(await verifyPassword('x', 'plain')).toBe(false);
  });

  it('need at least 12 characters', async () => {
    const error = await hashPassword('kurz').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfficeAuthError);
    expect((error as OfficeAuthError).code).toBe('PASSWORD_TOO_SHORT');
  });
});
