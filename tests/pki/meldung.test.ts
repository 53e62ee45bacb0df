import { beforeAll, describe, expect, it } from 'vitest';
import { toPem } from '../../pki/x509.ts';
import {
  createCa,
  createTestPki,
  generatePkiFixtures,
  tallyFor,
  type FailureCase,
  type TestPki,
} from './fixtures.ts';
import {
  PkiError,
  createTrust,
  openMeldung,
  parseCached,
  preloadCertificates,
  sealMeldung,
  type OpenedMeldung,
} from '../../pki/index.ts';
import { canonicalBytes } from '../../election/index.ts';
import { KeyObject, createHash, createPublicKey, type JsonWebKey } from 'node:crypto';

let pki: TestPki;
let cases: FailureCase[];

beforeAll(async () => {
  pki = await createTestPki(new Date('2026-03-08T18:30:00Z'));
  cases = await generatePkiFixtures(pki);
});

async function open(envelope: Uint8Array): Promise<OpenedMeldung> {
  return openMeldung(envelope, {
    decryptionKey: pki.decryptionKey,
    trust: pki.trust,
    crl: pki.crl,
    now: pki.now,
  });
}

async function codeOf(envelope: Uint8Array): Promise<string> {
  try {
    await open(envelope);
    return 'OK';
  } catch (error) {
    if (error instanceof PkiError) return error.code;
    throw error;
  }
}

describe('a sealed Schnellmeldung', () => {
  it('opens to exactly the tally the station signed, with the station as signer', async () => {
    const tally = tallyFor('p-1');
    const envelope = await sealMeldung(tally, {
      stationKey: pki.station.key,
      stationCertificate: pki.station.certificate,
      chain: [pki.issuing.certificate],
      recipientCertificate: pki.recipient,
      now: pki.now,
    });
    const opened = await open(envelope);
    expect(opened.schnellmeldung).toEqual(tally);
    expect(Buffer.from(opened.signedBytes)).toEqual(Buffer.from(canonicalBytes(tally)));
    expect(opened.signer).toEqual({
      electionId: 'test-election',
      precinctId: 'p-1',
      serial: pki.station.certificate.serial,
      fingerprint: pki.station.certificate.fingerprint,
    });
    expect(opened.envelopeHash).toBe(createHash('sha256').update(envelope).digest('hex'));
    expect(opened.contentHash).toBe(createHash('sha256').update(opened.signedBytes).digest('hex'));
    expect(opened.signingTime.toISOString()).toBe('2026-03-08T18:30:00.000Z');
  });

  it('carries the purpose and version tag outside and inside the encryption', async () => {
    const envelope = JSON.parse(Buffer.from(cases[0]!.envelope).toString('utf8')) as {
      format: string;
      jwe: string;
    };
    expect(envelope.format).toBe('wahlkoffer.meldung/1');
    const header = JSON.parse(Buffer.from(envelope.jwe.split('.')[0]!, 'base64url').toString());
    expect(header).toMatchObject({ alg: 'ECDH-ES', enc: 'A256GCM', typ: 'wahlkoffer.meldung/1' });
  });

  it('is not sealed for a precinct other than the certificate’s', async () => {
    const attempt = sealMeldung(tallyFor('p-2'), {
      stationKey: pki.station.key,
      stationCertificate: pki.station.certificate,
      chain: [pki.issuing.certificate],
      recipientCertificate: pki.recipient,
      now: pki.now,
    });
    await expect(attempt).rejects.toMatchObject({ code: 'CERT_WRONG_PRECINCT' });
  });
});

describe('the verification pipeline refuses each failure mode with its own code', () => {
  it('has one fixture per failure mode and distinct codes for the certificate failures', () => {
    const names = cases.map((c) => c.name);
    for (const required of [
      'expired',
      'not-yet-valid',
      'other-ca',
      'revoked',
      'wrong-precinct',
      'wrong-election',
      'wrong-key-usage',
      'tampered-payload',
      'tampered-envelope',
      'wrong-recipient',
      'truncated',
      'garbage',
      'oversize',
    ]) {
      expect(names).toContain(required);
    }
  });

  it.each([
    'valid',
    'expired',
    'not-yet-valid',
    'other-ca',
    'revoked',
    'wrong-precinct',
    'wrong-election',
    'wrong-key-usage',
    'tampered-payload',
    'bad-signature',
    'tampered-envelope',
    'wrong-recipient',
    'truncated',
    'garbage',
    'oversize',
    'wrong-purpose',
    'not-signed-data',
    'future-signing-time',
    'tally-malformed',
    'tally-not-canonical',
  ])('case %s', async (name) => {
    const c = cases.find((x) => x.name === name)!;
    expect(await codeOf(c.envelope)).toBe(c.expected);
  });

  it('accepts a report signed before revocation only until the CRL lists the key', async () => {
    const envelope = cases.find((c) => c.name === 'revoked')!.envelope;
    const withoutRevocation = await openMeldung(envelope, {
      decryptionKey: pki.decryptionKey,
      trust: pki.trust,
      crl: { lists: pki.crl.lists.map((l) => ({ ...l, revoked: new Map() })) },
      now: pki.now,
    });
    expect(withoutRevocation.signer.precinctId).toBe('p-3');
  });

  it('checks the chain at the signing time and at now: a certificate expired by now is refused', async () => {
    const c = cases.find((x) => x.name === 'expired')!;
    expect(await codeOf(c.envelope)).toBe('CERT_EXPIRED');
  });
});

describe('hostile input', () => {
  it('never crashes the opener: every mutation of a valid envelope opens or fails with a code', async () => {
    const valid = cases.find((c) => c.name === 'valid')!.envelope;
    for (let i = 0; i < 200; i++) {
      const m = Buffer.from(valid);
      const at = (i * 7919) % m.length;
      m[at] = (m[at]! + 1 + (i % 250)) & 0xff;
      const code = await codeOf(m);
      expect(code === 'OK' || /^[A-Z_]+$/.test(code)).toBe(true);
    }
  });
});

describe('the trust’s certificate cache', () => {
  it('gives every report the same verdict and signer from the cache as when it was cold', async () => {
    const trust = createTrust(pki.rootPem, toPem(pki.issuing.certificate.der, 'CERTIFICATE'));
    const openWith = async (envelope: Uint8Array) => {
      try {
        const opened = await openMeldung(envelope, {
          decryptionKey: pki.decryptionKey,
          trust,
          crl: pki.crl,
          now: pki.now,
        });
        return { code: 'OK', signer: opened.signer };
      } catch (error) {
        if (error instanceof PkiError) return { code: error.code };
        throw error;
      }
    };
    const cold = await Promise.all(cases.map((c) => openWith(c.envelope)));
    expect(trust.cache.size).toBeGreaterThan(0);
    // the first use of a cached certificate verifies with its key as a JWK, later ones with a KeyObject
    const cached = await Promise.all(cases.map((c) => openWith(c.envelope)));
    const again = await Promise.all(cases.map((c) => openWith(c.envelope)));
    expect(cached).toEqual(cold);
    expect(again).toEqual(cold);
    expect(cold.map((v) => v.code)).toEqual(cases.map((c) => c.expected));
  });

  it('keeps only what the checks read, not the parsed certificate', async () => {
    const trust = createTrust(pki.rootPem, toPem(pki.issuing.certificate.der, 'CERTIFICATE'));
    expect(preloadCertificates(trust, [pki.station.certificate.der])).toBe(1);
    const [entry] = [...trust.cache.values()];
    expect(Object.keys(entry!).sort()).toEqual(
      [
        'extendedKeyUsages',
        'isCa',
        'issuer',
        'key',
        'keyUsage',
        'notAfter',
        'notBefore',
        'sanCount',
        'serial',
        'subjectName',
        'uris',
      ].sort(),
    );
    expect(entry!.key).not.toBeInstanceOf(KeyObject); // EC coordinates, not an OpenSSL key
  });

  it('hands out a key on its first use as a JWK (no OpenSSL object kept), and from its second use on one KeyObject', () => {
    const trust = createTrust(pki.rootPem, toPem(pki.issuing.certificate.der, 'CERTIFICATE'));
    preloadCertificates(trust, [pki.station.certificate.der]);
    const first = parseCached(pki.station.certificate.der, trust);
    expect('pathIssuer' in first).toBe(true);
    expect(first.publicKey).not.toBeInstanceOf(KeyObject);
    expect(trust.keys.size).toBe(0);
    const asJwk = first.publicKey as { key: JsonWebKey; format: 'jwk' };
    expect(createPublicKey(asJwk).equals(pki.station.certificate.publicKey)).toBe(true);

    const second = parseCached(pki.station.certificate.der, trust);
    const third = parseCached(pki.station.certificate.der, trust);
    expect(second.publicKey).toBeInstanceOf(KeyObject);
    expect(third.publicKey).toBe(second.publicKey);
    expect((second.publicKey as KeyObject).equals(pki.station.certificate.publicKey)).toBe(true);
    expect(trust.keys.size).toBe(1);
  });
});

describe('preloading station certificates', () => {
  it('accepts the election’s certificates, skips foreign ones, and still refuses revoked stations', async () => {
    const trust = createTrust(pki.rootPem);
    const foreign = await createCa('test-election', pki.now);
    const n = preloadCertificates(trust, [
      pki.station.certificate.der,
      pki.revoked.certificate.der,
      foreign.issuing.certificate.der,
      Buffer.from('garbage'),
    ]);
    expect(n).toBe(0); // the issuing CA is neither in this trust nor presented: no path yet
    const withIssuing = createTrust(pki.rootPem, toPem(pki.issuing.certificate.der, 'CERTIFICATE'));
    expect(
      preloadCertificates(withIssuing, [
        pki.station.certificate.der,
        pki.revoked.certificate.der,
        foreign.issuing.certificate.der,
      ]),
    ).toBe(2);
    const revoked = cases.find((c) => c.name === 'revoked')!.envelope;
    await expect(
      openMeldung(revoked, {
        decryptionKey: pki.decryptionKey,
        trust: withIssuing,
        crl: pki.crl,
        now: pki.now,
      }),
    ).rejects.toMatchObject({ code: 'CERT_REVOKED' });
  });
});
