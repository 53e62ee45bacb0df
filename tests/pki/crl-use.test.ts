import { describe, expect, it } from 'vitest';
import { createCrl, crlToPem, parseCrlPem, type Crl } from '../../pki/crl.ts';
import {
  PkiError,
  checkCrlSuccession,
  checkSerialNotRevoked,
  type PkiErrorCode,
} from '../../pki/index.ts';
import { createTestPki } from './fixtures.ts';

const HOUR = 3_600_000;

function codeOf(fn: () => unknown): PkiErrorCode | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof PkiError) return error.code;
    throw error;
  }
  return undefined;
}

describe('the CRL in use', () => {
  it('carries its cRLNumber, read from the extension', async () => {
    const pki = await createTestPki(new Date());
    expect(pki.crl.lists.map((l) => l.number)).toEqual([2, 2]);
  });

  it('is checked against its nextUpdate when it is used, not only when it was read', async () => {
    const now = new Date();
    const pki = await createTestPki(now);
    const short = await createCrl({
      issuer: pki.issuing,
      entries: [],
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + HOUR),
      crlNumber: 3,
    });
    const crl = parseCrlPem(crlToPem(short), [pki.root.certificate, pki.issuing.certificate], now);
    const serial = pki.station.certificate.serial;
    const issuer = pki.issuing.certificate;
    expect(codeOf(() => checkSerialNotRevoked(serial, issuer, crl, now))).toBeUndefined();
    const later = new Date(now.getTime() + 2 * HOUR);
    expect(codeOf(() => checkSerialNotRevoked(serial, issuer, crl, later))).toBe('CRL_EXPIRED');
  });

  it('refuses a successor whose cRLNumber does not increase (an older CRL put back)', async () => {
    const now = new Date();
    const pki = await createTestPki(now);
    const cas = [pki.root.certificate, pki.issuing.certificate];
    const issuingCrl = async (crlNumber: number, revoked: boolean): Promise<Crl> =>
      parseCrlPem(
        crlToPem(
          await createCrl({
            issuer: pki.issuing,
            entries: revoked
              ? [
                  {
                    serial: pki.station.certificate.serial,
                    revokedAt: now,
                    reason: 'keyCompromise',
                  },
                ]
              : [],
            thisUpdate: now,
            nextUpdate: new Date(now.getTime() + HOUR),
            crlNumber,
          }),
        ),
        cas,
        now,
      );
    const [v4, v5, v5other, v6] = [
      await issuingCrl(4, false),
      await issuingCrl(5, true),
      await issuingCrl(5, false),
      await issuingCrl(6, true),
    ];
    expect(codeOf(() => checkCrlSuccession(v5, v5))).toBeUndefined();
    expect(codeOf(() => checkCrlSuccession(v5, v6))).toBeUndefined();
    expect(codeOf(() => checkCrlSuccession(v5, v4))).toBe('CRL_NOT_NEWER');
    expect(codeOf(() => checkCrlSuccession(v5, v5other))).toBe('CRL_NOT_NEWER');
  });
});
