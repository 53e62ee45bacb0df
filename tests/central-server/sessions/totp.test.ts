import { generateSecret, generateSync } from 'otplib';
import { describe, expect, it } from 'vitest';
import { checkTotp } from '../../../central-server/sessions/totp.ts';

const secret = generateSecret();
const now = new Date('2026-09-27T18:00:10Z');
const at = (d: Date) => generateSync({ secret, epoch: Math.floor(d.getTime() / 1000) });
const step = (d: Date) => Math.floor(d.getTime() / 30_000);

describe('checking a TOTP code', () => {
  it('accepts the current code and returns its time step', () => {
    expect(checkTotp(secret, at(now), -1, now)).toEqual({ ok: true, timeStep: step(now) });
  });

  it('accepts one step of drift either way, not two', () => {
    const before = new Date(now.getTime() - 30_000);
    const after = new Date(now.getTime() + 30_000);
    expect(checkTotp(secret, at(before), -1, now).ok).toBe(true);
    expect(checkTotp(secret, at(after), -1, now).ok).toBe(true);
    const far = new Date(now.getTime() - 90_000);
    expect(checkTotp(secret, at(far), -1, now)).toEqual({ ok: false, reason: 'INVALID' });
  });

  it('refuses a code whose step was already used as a replay', () => {
    expect(checkTotp(secret, at(now), step(now), now)).toEqual({ ok: false, reason: 'REPLAYED' });
  });

  it('refuses malformed codes', () => {
    for (const code of ['', '12345', '1234567', 'abcdef', ' 123456']) {
      expect(checkTotp(secret, code, -1, now)).toEqual({ ok: false, reason: 'INVALID' });
    }
  });
});
