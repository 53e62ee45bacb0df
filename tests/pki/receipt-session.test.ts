import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  receiptCode,
  receiptSigner,
  signReceipt,
  signSessionChallenge,
  verifyReceipt,
  verifyStationProof,
  type ReceiptFields,
} from '../../pki/index.ts';
import { createCa, createTestPki, type TestPki } from './fixtures.ts';

let pki: TestPki;
const fields: ReceiptFields = {
  electionId: 'test-election',
  precinctId: 'p-1',
  contestId: 'ob',
  revision: 2,
  envelopeHash: 'a'.repeat(64),
  contentHash: 'b'.repeat(64),
  serverTime: '2026-03-08T18:31:02.123Z',
  sequence: 4711,
};

beforeAll(async () => {
  pki = await createTestPki(new Date('2026-03-08T18:30:00Z'));
});

const chain = () => [pki.receipt.certificate, pki.issuing.certificate];

describe('a receipt (Quittung)', () => {
  it('verifies against the election root and carries a short code to read on the phone', () => {
    const receipt = verifyReceipt(
      signReceipt(fields, pki.receipt.key, chain()),
      pki.trust,
      pki.now,
      pki.crl,
    );
    expect(receipt).toMatchObject({ ...fields, format: 'wahlkoffer.quittung/1' });
    expect(receipt.receiptCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(receipt.receiptCode).toBe(receiptCode(fields));
  });

  it('from one server signer (header built once) verifies for every receipt, each with its own code', () => {
    const sign = receiptSigner(pki.receipt.key, chain());
    for (const f of [fields, { ...fields, sequence: 4712 }, { ...fields, precinctId: 'p-2' }]) {
      const signed = sign(f);
      const receipt = verifyReceipt(signed.receipt, pki.trust, pki.now, pki.crl);
      expect(receipt).toMatchObject({ ...f, format: 'wahlkoffer.quittung/1' });
      expect(signed.receiptCode).toBe(receiptCode(f));
      expect(receipt.receiptCode).toBe(signed.receiptCode);
    }
  });

  it('gets a different code for any other field value', () => {
    expect(receiptCode({ ...fields, revision: 3 })).not.toBe(receiptCode(fields));
    expect(receiptCode({ ...fields, sequence: 4712 })).not.toBe(receiptCode(fields));
  });

  it('is refused when the payload was changed', () => {
    const [h, , s] = Buffer.from(signReceipt(fields, pki.receipt.key, chain()))
      .toString()
      .split('.');
    const forged = Buffer.from(JSON.stringify({ ...fields, revision: 9 })).toString('base64url');
    expect(() => verifyReceipt(`${h}.${forged}.${s}`, pki.trust, pki.now)).toThrow(
      expect.objectContaining({ code: 'RECEIPT_SIGNATURE_INVALID' }),
    );
  });

  it('is refused when signed by a station key instead of the receipt key', () => {
    const jws = signReceipt(fields, pki.station.key, [
      pki.station.certificate,
      pki.issuing.certificate,
    ]);
    expect(() => verifyReceipt(jws, pki.trust, pki.now)).toThrow(
      expect.objectContaining({ code: 'CERT_WRONG_USAGE' }),
    );
  });

  it('is refused when it is not a JWS', () => {
    expect(() => verifyReceipt('garbage', pki.trust, pki.now)).toThrow(
      expect.objectContaining({ code: 'RECEIPT_MALFORMED' }),
    );
  });
});

describe('the session proof of possession', () => {
  const ctx = () => ({ trust: pki.trust, crl: pki.crl, now: pki.now, electionId: 'test-election' });
  const proof = (station = pki.station, challenge = randomBytes(32)) => ({
    certificateChain: [station.certificate.der, pki.issuing.certificate.der],
    challenge,
    signature: signSessionChallenge(challenge, station.key),
  });

  it('identifies the station that signed the server challenge', () => {
    expect(verifyStationProof(proof(), ctx())).toEqual({
      precinctId: 'p-1',
      serial: pki.station.certificate.serial,
      fingerprint: pki.station.certificate.fingerprint,
    });
  });

  it('is refused for another challenge than the one signed', () => {
    const p = proof();
    expect(() => verifyStationProof({ ...p, challenge: randomBytes(32) }, ctx())).toThrow(
      expect.objectContaining({ code: 'SESSION_PROOF_INVALID' }),
    );
  });

  it('is refused when the key presents another station’s certificate', () => {
    const p = proof();
    const swapped = {
      ...p,
      certificateChain: [pki.station2.certificate.der, pki.issuing.certificate.der],
    };
    expect(() => verifyStationProof(swapped, ctx())).toThrow(
      expect.objectContaining({ code: 'SESSION_PROOF_INVALID' }),
    );
  });

  it('is refused for a revoked station', () => {
    expect(() => verifyStationProof(proof(pki.revoked), ctx())).toThrow(
      expect.objectContaining({ code: 'CERT_REVOKED' }),
    );
  });

  it('is refused for another election and for another CA', async () => {
    expect(() => verifyStationProof(proof(), { ...ctx(), electionId: 'other' })).toThrow(
      expect.objectContaining({ code: 'CERT_WRONG_ELECTION' }),
    );
    const other = await createCa('test-election', pki.now);
    const foreign = {
      certificate: other.issuing.certificate,
      key: other.issuing.key,
      precinctId: 'p-1',
    };
    const p = proof(foreign);
    expect(() =>
      verifyStationProof({ ...p, certificateChain: [other.issuing.certificate.der] }, ctx()),
    ).toThrow(expect.objectContaining({ code: 'CERT_UNTRUSTED' }));
  });
});
