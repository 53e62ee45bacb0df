import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { CertificateCache, type KnownCertificate } from '../../pki/certificate-cache.ts';
import type { CertificateInfo } from '../../pki/index.ts';
import { createTestPki, type TestPki } from './fixtures.ts';

let pki: TestPki;
beforeAll(async () => {
  pki = await createTestPki(new Date('2026-03-08T18:30:00Z'));
});

/** What the trust remembers of a checked certificate (pki/chain.ts `remember`). */
function known(cert: CertificateInfo, issuer: CertificateInfo): KnownCertificate {
  const jwk = cert.publicKey.export({ format: 'jwk' });
  return {
    serial: cert.serial,
    subjectName: cert.subjectName,
    notBefore: cert.notBefore.getTime(),
    notAfter: cert.notAfter.getTime(),
    isCa: cert.isCa,
    keyUsage: cert.keyUsage,
    extendedKeyUsages: cert.extendedKeyUsages,
    uris: cert.uris,
    sanCount: cert.sanCount,
    key: { crv: jwk.crv!, x: jwk.x!, y: jwk.y! },
    issuer,
  };
}

describe('the trust’s certificate cache', () => {
  it('answers a fingerprint with exactly what was stored, the P-256 key as its coordinates', () => {
    const cache = new CertificateCache();
    const station = known(pki.station.certificate, pki.issuing.certificate);
    const issuing = known(pki.issuing.certificate, pki.root.certificate);
    cache.set(pki.station.certificate.fingerprint, station);
    cache.set(pki.issuing.certificate.fingerprint, issuing);
    expect(cache.get(pki.station.certificate.fingerprint)).toEqual(station);
    expect(cache.get(pki.issuing.certificate.fingerprint)).toEqual(issuing);
    expect(cache.get(pki.station.certificate.fingerprint)!.issuer).toBe(pki.issuing.certificate);
    expect(cache.get(pki.revoked.certificate.fingerprint)).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('keeps names in any script and keys of other kinds as they were given', () => {
    const cache = new CertificateCache();
    const base = known(pki.station.certificate, pki.issuing.certificate);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey;
    const jwk = p384.export({ format: 'jwk' });
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey;
    const cases: KnownCertificate[] = [
      { ...base, subjectName: 'CN=Wahlbezirk Königs Wusterhausen 東京 \ud83d\uddf3, O="x"\\n' },
      { ...base, key: { crv: jwk.crv!, x: jwk.x!, y: jwk.y! } },
      { ...base, key: rsa, uris: [] },
      { ...base, isCa: true, keyUsage: 0, sanCount: 0, uris: ['a', 'b', 'c'] },
    ];
    cases.forEach((c, i) => cache.set(`f${i}`, c));
    cases.forEach((c, i) => expect(cache.get(`f${i}`)).toEqual(c));
    expect(cache.get('f2')!.key).toBe(rsa);
  });

  it('forgets deleted certificates, reuses their room and lists the rest oldest first', () => {
    const cache = new CertificateCache();
    const base = known(pki.station.certificate, pki.issuing.certificate);
    const entry = (i: number): KnownCertificate => ({
      ...base,
      serial: i.toString(16),
      subjectName: `CN=Stimmbezirk ${i}`,
      notAfter: base.notAfter + i,
    });
    // a bounded cache as the audit's kit check keeps it: the oldest out when a new one comes in
    for (let i = 0; i < 20_000; i += 1) {
      cache.set(`f${i}`, entry(i));
      if (cache.size > 1_000) cache.delete(cache.keys().next().value!);
    }
    expect(cache.size).toBe(1_000);
    expect(cache.get('f18999')).toBeUndefined();
    expect([...cache.keys()][0]).toBe('f19000');
    for (let i = 19_000; i < 20_000; i += 1) expect(cache.get(`f${i}`)).toEqual(entry(i));
  });

  it('replaces a certificate stored again in its place, and empties on clear', () => {
    const cache = new CertificateCache();
    const base = known(pki.station.certificate, pki.issuing.certificate);
    cache.set('a', base);
    cache.set('b', base);
    cache.set('a', { ...base, serial: 'ff', uris: [] });
    expect([...cache.keys()]).toEqual(['a', 'b']);
    expect(cache.get('a')).toEqual({ ...base, serial: 'ff', uris: [] });
    expect(cache.get('b')).toEqual(base);
    cache.clear();
    expect(cache.size).toBe(0);
    expect(cache.get('a')).toBeUndefined();
    cache.set('c', base);
    expect(cache.get('c')).toEqual(base);
  });

  it('says a key’s first use once per stored certificate (the trust then keeps a KeyObject)', () => {
    const cache = new CertificateCache();
    const base = known(pki.station.certificate, pki.issuing.certificate);
    cache.set('a', base);
    cache.set('b', base);
    expect(cache.firstKeyUse('a')).toBe(true);
    expect(cache.firstKeyUse('a')).toBe(false);
    expect(cache.firstKeyUse('b')).toBe(true);
    expect(cache.get('a')).toEqual(base); // the mark is not part of what the cache answers
    cache.set('a', base); // stored again: a first use again
    expect(cache.firstKeyUse('a')).toBe(true);
    cache.delete('b');
    cache.set('c', base); // takes b's room, not its mark
    expect(cache.firstKeyUse('c')).toBe(true);
  });
});
