import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, stationIdentity } from '../../pki/certificate.ts';
import { issueCertificate } from '../../pki/profiles.ts';
import { EKU } from '../../pki/oids.ts';
import { x509, ECDSA_P256, toSigningCryptoKey, toPublicCryptoKey } from '../../pki/x509.ts';
import { createTestPki, type TestPki } from './fixtures.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(new Date('2026-03-08T18:30:00Z'));
});

const params = () => ({
  subject: 'CN=Stimmbezirk p-9, O=Wahlkoffer',
  publicKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey,
  issuer: pki.issuing,
  serial: '4a01',
  notBefore: new Date('2026-03-01T00:00:00Z'),
  notAfter: new Date('2026-04-01T00:00:00Z'),
  keyUsage: x509.KeyUsageFlags.digitalSignature,
  extendedKeyUsages: [EKU.reportSigning],
  uris: ['urn:wahlkoffer:test-election:station:p-9'],
});

describe('the certificate reader', () => {
  it('agrees with @peculiar/x509 on every field the checks use', () => {
    for (const cert of [
      pki.station.certificate,
      pki.issuing.certificate,
      pki.root.certificate,
      pki.recipient,
    ]) {
      const ref = new x509.X509Certificate(cert.der);
      expect(cert.notBefore).toEqual(ref.notBefore);
      expect(cert.notAfter).toEqual(ref.notAfter);
      expect(cert.serial).toBe(ref.serialNumber.toLowerCase().replace(/^0+/, ''));
      expect(cert.isCa).toBe(ref.getExtension(x509.BasicConstraintsExtension)?.ca === true);
      expect(cert.keyUsage).toBe(ref.getExtension(x509.KeyUsagesExtension)?.usages ?? 0);
      const san = ref.getExtension(x509.SubjectAlternativeNameExtension)?.names.items ?? [];
      expect(cert.uris).toEqual(san.filter((n) => n.type === 'url').map((n) => n.value));
    }
  });

  it('reads the station identity from the one URI SAN', () => {
    expect(stationIdentity(pki.station.certificate)).toEqual({
      electionId: 'test-election',
      precinctId: 'p-1',
    });
  });

  it('refuses a station certificate with two URIs (no ambiguity about the precinct)', async () => {
    const cert = await issueCertificate({
      ...params(),
      uris: [
        'urn:wahlkoffer:test-election:station:p-9',
        'urn:wahlkoffer:test-election:station:p-1',
      ],
    });
    expect(() => stationIdentity(cert)).toThrow(
      expect.objectContaining({ code: 'CERT_WRONG_USAGE' }),
    );
  });

  it('refuses near-miss identities', async () => {
    for (const uri of [
      'urn:wahlkoffer:test-election:station:p-9:extra',
      'urn:wahlkoffer:test-election:station:',
      'URN:wahlkoffer:test-election:station:p-9',
      'urn:wahlkoffer:test-election:station:p 9',
    ]) {
      const cert = await issueCertificate({ ...params(), uris: [uri] });
      expect(() => stationIdentity(cert), uri).toThrow(
        expect.objectContaining({ code: 'CERT_WRONG_USAGE' }),
      );
    }
  });

  it('refuses a certificate that repeats an extension (RFC 5280 §4.2)', async () => {
    const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: '01',
      subject: 'CN=dup',
      issuer: new x509.X509Certificate(pki.issuing.certificate.der).subjectName,
      notBefore: new Date('2026-03-01T00:00:00Z'),
      notAfter: new Date('2026-04-01T00:00:00Z'),
      signingAlgorithm: ECDSA_P256,
      publicKey: await toPublicCryptoKey(keys.publicKey),
      signingKey: await toSigningCryptoKey(pki.issuing.key),
      extensions: [
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true),
      ],
    });
    expect(() => parseCertificate(new Uint8Array(cert.rawData))).toThrow(
      expect.objectContaining({ code: 'CERT_MALFORMED' }),
    );
  });

  it('refuses bytes that are not a certificate', () => {
    expect(() => parseCertificate(Buffer.from('30030201', 'hex'))).toThrow(
      expect.objectContaining({ code: 'CERT_MALFORMED' }),
    );
  });
});
