import { KeyObject, createPublicKey, type JsonWebKey } from 'node:crypto';
import {
  parseCertificate,
  parseCertificatePem,
  parseCertificatesPem,
  caElectionId,
  type CertificateInfo,
} from './certificate.ts';
import { CertificateCache, type KnownCertificate } from './certificate-cache.ts';
import { checkSerialNotRevoked, type Crl } from './crl.ts';
import { PkiError } from './error.ts';
import { sha256Hex } from './x509.ts';

/**
 * The trust anchor of one election: its root CA, the issuing CAs we already know (others may
 * arrive inside a message and must chain to the root), and the election the root belongs to.
 * `cache` remembers certificates whose signature path to the root has been checked, keyed by
 * the SHA-256 of their exact DER, so the hot path skips re-parsing and re-verifying a station
 * certificate on every report. It keeps only what the later checks read, in typed columns
 * (`CertificateCache`, ~0.35 KB a certificate; a parsed certificate with its OpenSSL objects is
 * ~10 KB, 0.9 GB for 90,652 stations: decision 0067). Time, revocation and usage are checked on
 * every call.
 */
export type Trust = {
  readonly root: CertificateInfo;
  readonly intermediates: readonly CertificateInfo[];
  readonly electionId: string;
  readonly cache: CertificateCache;
  /** issuing CAs presented in messages whose path to the root was checked (fingerprint → CA) */
  readonly cas: Map<string, CertificateInfo>;
  /** issuing-CA candidates already checked against the root (fingerprint → verdict) */
  readonly caChecks: Map<string, boolean>;
  /** the public keys of the most recently used cached certificates (fingerprint → key; LRU) */
  readonly keys: Map<string, KeyObject>;
};

/**
 * A public key as node:crypto's `verify` takes it: a KeyObject, or a JWK that node imports for
 * that one call and frees when it returns. A KeyObject's OpenSSL key (~4.6 KB of native memory)
 * is freed only when V8 collects the object, and V8 does not count it: KeyObjects made for keys
 * used once and kept a while pile up outside the heap (decision 0067, s10).
 */
export type VerifyingKey = KeyObject | { readonly key: JsonWebKey; readonly format: 'jwk' };

/** `key` with the signature encoding, for `verify` (ECDSA signatures in JOSE's r‖s form). */
export function verifyInput(key: VerifyingKey, dsaEncoding: 'der' | 'ieee-p1363') {
  return key instanceof KeyObject ? { key, dsaEncoding } : { ...key, dsaEncoding };
}

/** What the checks after the path (validity, revocation, usage, identity) read of a certificate. */
export type CertificateFacts = Pick<
  CertificateInfo,
  | 'fingerprint'
  | 'serial'
  | 'subjectName'
  | 'notBefore'
  | 'notAfter'
  | 'isCa'
  | 'keyUsage'
  | 'extendedKeyUsages'
  | 'uris'
  | 'sanCount'
> & { readonly publicKey: VerifyingKey };

/** A certificate from the cache: its facts and the issuing CA its path to the root went through. */
export type CachedCertificate = CertificateFacts & { readonly pathIssuer: CertificateInfo };

/** Above every German election's station count (~90,000); a full cache is simply emptied. */
const CACHE_LIMIT = 200_000;
/**
 * Public keys kept as KeyObjects for the stations that reported last, from their second report
 * on: a kit sending corrections (or a benchmark's 1,386 stations reporting again and again)
 * skips the ~70 µs JWK import; ~4.6 KB each, ~10 MB in all.
 */
const KEY_LIMIT = 2_048;
const KEY_CERT_SIGN = 32;

export function createTrust(rootPem: string, intermediatesPem = ''): Trust {
  const root = parseCertificatePem(rootPem);
  if (!root.isCa || !root.native.verify(root.publicKey) || root.subject !== root.issuer) {
    throw new PkiError('CERT_UNTRUSTED', 'root is not a self-signed CA certificate');
  }
  return {
    root,
    intermediates: parseCertificatesPem(intermediatesPem),
    electionId: caElectionId(root),
    cache: new CertificateCache(),
    cas: new Map(),
    keys: new Map(),
    caChecks: new Map(),
  };
}

export type Purpose = { readonly keyUsage: number; readonly extendedKeyUsage: string };

/** Is `ca` an issuing CA directly under the root? Remembered per CA (its DER never changes). */
function isIssuingCa(ca: CertificateInfo, trust: Trust): boolean {
  const known = trust.caChecks.get(ca.fingerprint);
  if (known !== undefined) return known;
  const ok =
    ca.isCa &&
    (ca.keyUsage & KEY_CERT_SIGN) !== 0 &&
    ca.fingerprint !== trust.root.fingerprint &&
    ca.issuer === trust.root.subject &&
    ca.native.verify(trust.root.publicKey);
  if (trust.caChecks.size >= CACHE_LIMIT) trust.caChecks.clear();
  trust.caChecks.set(ca.fingerprint, ok);
  return ok;
}

/**
 * Finds the issuing CA of `leaf` — first among the CAs the trust already knows, then among the
 * certificates the message presented — and checks both signatures up to the root.
 */
function findPath(
  leaf: CertificateInfo,
  presented: readonly Uint8Array[],
  trust: Trust,
): CertificateInfo {
  const issues = (ca: CertificateInfo) =>
    ca.subject === leaf.issuer &&
    ca.fingerprint !== leaf.fingerprint &&
    isIssuingCa(ca, trust) &&
    leaf.native.verify(ca.publicKey);
  const known = trust.intermediates.find(issues);
  if (known !== undefined) return known;
  for (const der of presented) {
    const fingerprint = sha256Hex(der);
    const ca = trust.cas.get(fingerprint) ?? parseCertificate(der);
    if (!issues(ca)) continue;
    // only a CA with a verified path to the root is kept (hostile ones cannot fill memory)
    if (trust.cas.size >= CACHE_LIMIT) trust.cas.clear();
    trust.cas.set(fingerprint, ca);
    return ca;
  }
  throw new PkiError('CERT_UNTRUSTED', `no path from ${leaf.subjectName} to the election root`);
}

function checkValidity(
  cert: Pick<CertificateFacts, 'notBefore' | 'notAfter' | 'subjectName'>,
  at: Date,
): void {
  if (at.getTime() < cert.notBefore.getTime()) {
    throw new PkiError('CERT_NOT_YET_VALID', `${cert.subjectName} at ${at.toISOString()}`);
  }
  if (at.getTime() > cert.notAfter.getTime()) {
    throw new PkiError('CERT_EXPIRED', `${cert.subjectName} at ${at.toISOString()}`);
  }
}

/** Parses a certificate (DER), or takes it from the cache when this exact one was seen before. */
export function parseCached(der: Uint8Array, trust: Trust): CertificateInfo | CachedCertificate {
  const fingerprint = sha256Hex(der);
  const hit = trust.cache.get(fingerprint);
  // Not stored yet: only certificates with a verified path to the root enter the cache
  // (resolvePath), so self-made certificates in hostile reports cannot fill memory.
  return hit === undefined ? parseCertificate(der) : fromCache(fingerprint, hit, trust);
}

/**
 * The cached certificate's public key. On its first use a JWK, which node imports for the one
 * verification and frees at once: on election night most stations report once, and a KeyObject
 * each (kept in the LRU below until 2,048 other keys pushed it out) left ~4.6 KB of OpenSSL
 * memory per station until V8 happened to collect it. From the second use on it is imported
 * once and kept with the recently used ones.
 */
function publicKeyOf(fingerprint: string, known: KnownCertificate, trust: Trust): VerifyingKey {
  const { key } = known;
  if (key instanceof KeyObject) return key;
  const recent = trust.keys.get(fingerprint);
  if (recent !== undefined) {
    trust.keys.delete(fingerprint); // most recently used last
    trust.keys.set(fingerprint, recent);
    return recent;
  }
  const jwk = { kty: 'EC', crv: key.crv, x: key.x, y: key.y };
  if (trust.cache.firstKeyUse(fingerprint)) return { key: jwk, format: 'jwk' };
  const imported = createPublicKey({ key: jwk, format: 'jwk' });
  if (trust.keys.size >= KEY_LIMIT) trust.keys.delete(trust.keys.keys().next().value!);
  trust.keys.set(fingerprint, imported);
  return imported;
}

function fromCache(fingerprint: string, known: KnownCertificate, trust: Trust): CachedCertificate {
  return {
    fingerprint,
    serial: known.serial,
    subjectName: known.subjectName,
    notBefore: new Date(known.notBefore),
    notAfter: new Date(known.notAfter),
    isCa: known.isCa,
    keyUsage: known.keyUsage,
    extendedKeyUsages: known.extendedKeyUsages,
    uris: known.uris,
    sanCount: known.sanCount,
    publicKey: publicKeyOf(fingerprint, known, trust),
    pathIssuer: known.issuer,
  };
}

function compactKey(publicKey: KeyObject): KnownCertificate['key'] {
  if (publicKey.asymmetricKeyType !== 'ec') return publicKey;
  const jwk = publicKey.export({ format: 'jwk' });
  return jwk.crv === undefined || jwk.x === undefined || jwk.y === undefined
    ? publicKey
    : { crv: jwk.crv, x: jwk.x, y: jwk.y };
}

function remember(leaf: CertificateInfo, issuer: CertificateInfo, trust: Trust): void {
  if (trust.cache.size >= CACHE_LIMIT) trust.cache.clear();
  trust.cache.set(leaf.fingerprint, {
    serial: leaf.serial,
    subjectName: leaf.subjectName,
    notBefore: leaf.notBefore.getTime(),
    notAfter: leaf.notAfter.getTime(),
    isCa: leaf.isCa,
    keyUsage: leaf.keyUsage,
    extendedKeyUsages: leaf.extendedKeyUsages,
    uris: leaf.uris,
    sanCount: leaf.sanCount,
    key: compactKey(leaf.publicKey),
    issuer,
  });
}

function resolvePath(
  leaf: CertificateInfo | CachedCertificate,
  presented: readonly Uint8Array[],
  trust: Trust,
): CertificateInfo {
  if ('pathIssuer' in leaf) return leaf.pathIssuer;
  const issuer = findPath(leaf, presented, trust);
  remember(leaf, issuer, trust);
  return issuer;
}

/**
 * The certificate half of the verification pipeline, in its fixed order:
 * chain to the election root → validity at every given time → not revoked → key usage / EKU.
 */
export function verifyCertificate(
  leaf: CertificateInfo | CachedCertificate,
  presented: readonly Uint8Array[],
  ctx: { trust: Trust; crl: Crl | undefined; times: readonly Date[]; purpose: Purpose },
): { leaf: CertificateInfo | CachedCertificate; issuer: CertificateInfo } {
  const path = { leaf, issuer: resolvePath(leaf, presented, ctx.trust) };
  for (const at of ctx.times) {
    for (const cert of [path.leaf, path.issuer, ctx.trust.root]) checkValidity(cert, at);
  }
  // Revocation applies whatever the signing time says: a stolen kit can backdate its clock. The
  // CRL itself must be current at the latest of the times (the verifier's `now`).
  if (ctx.crl !== undefined) {
    const latest = new Date(Math.max(...ctx.times.map((t) => t.getTime())));
    checkSerialNotRevoked(path.leaf.serial, path.issuer, ctx.crl, latest, true);
    checkSerialNotRevoked(path.issuer.serial, ctx.trust.root, ctx.crl, latest, false);
  }
  if (
    leaf.isCa ||
    (leaf.keyUsage & ctx.purpose.keyUsage) === 0 ||
    !leaf.extendedKeyUsages.includes(ctx.purpose.extendedKeyUsage)
  ) {
    throw new PkiError(
      'CERT_WRONG_USAGE',
      `${leaf.subjectName} lacks ${ctx.purpose.extendedKeyUsage}`,
    );
  }
  return path;
}

/**
 * Verifies and caches certificates ahead of time (e.g. every `<pki>/issued/*.pem` when a
 * verification worker starts), so the first report of each station does not pay for parsing
 * and checking its certificate. Certificates without a path to the root are skipped; returns
 * how many were accepted. Time, revocation and usage are still checked per report.
 */
export function preloadCertificates(trust: Trust, certificates: readonly Uint8Array[]): number {
  let accepted = 0;
  for (const der of certificates) {
    try {
      resolvePath(parseCached(der, trust), [], trust);
      accepted++;
    } catch {
      // not ours (or malformed): it will be refused with its code if it ever signs a report
    }
  }
  return accepted;
}
