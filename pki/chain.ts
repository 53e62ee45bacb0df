import {
  parseCertificate,
  parseCertificatePem,
  parseCertificatesPem,
  caElectionId,
  type CertificateInfo,
} from './certificate.ts';
import { checkSerialNotRevoked, type Crl } from './crl.ts';
import { PkiError } from './error.ts';
import { sha256Hex } from './x509.ts';

/**
 * The trust anchor of one election: its root CA, the issuing CAs we already know (others may
 * arrive inside a message and must chain to the root), and the election the root belongs to.
 * `cache` remembers certificates whose signature path to the root has been checked, keyed by
 * the SHA-256 of their exact DER, so the hot path skips re-parsing and re-verifying a station
 * certificate on every report. Time, revocation and usage are checked on every call.
 */
export type Trust = {
  readonly root: CertificateInfo;
  readonly intermediates: readonly CertificateInfo[];
  readonly electionId: string;
  readonly cache: Map<string, CertificateInfo>;
  readonly paths: Map<string, CertificateInfo>;
  /** issuing-CA candidates already checked against the root (fingerprint → verdict) */
  readonly caChecks: Map<string, boolean>;
};

/** Above every German election's station count (~90,000); a full cache is simply emptied. */
const CACHE_LIMIT = 200_000;
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
    cache: new Map(),
    paths: new Map(),
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
    const ca = parseCached(der, trust);
    if (issues(ca)) return ca;
  }
  throw new PkiError('CERT_UNTRUSTED', `no path from ${leaf.subjectName} to the election root`);
}

function checkValidity(cert: CertificateInfo, at: Date): void {
  if (at.getTime() < cert.notBefore.getTime()) {
    throw new PkiError('CERT_NOT_YET_VALID', `${cert.subjectName} at ${at.toISOString()}`);
  }
  if (at.getTime() > cert.notAfter.getTime()) {
    throw new PkiError('CERT_EXPIRED', `${cert.subjectName} at ${at.toISOString()}`);
  }
}

/** Parses a certificate (DER), reusing the parse when this exact certificate was seen before. */
export function parseCached(der: Uint8Array, trust: Trust): CertificateInfo {
  const key = sha256Hex(der);
  const hit = trust.cache.get(key);
  if (hit !== undefined) return hit;
  // Not stored yet: only certificates with a verified path to the root enter the cache
  // (resolvePath), so self-made certificates in hostile reports cannot fill memory.
  return parseCertificate(der);
}

function remember(cert: CertificateInfo, trust: Trust): void {
  if (trust.cache.size >= CACHE_LIMIT) trust.cache.clear();
  trust.cache.set(cert.fingerprint, cert);
}

function resolvePath(
  leaf: CertificateInfo,
  presented: readonly Uint8Array[],
  trust: Trust,
): CertificateInfo {
  const hit = trust.paths.get(leaf.fingerprint);
  if (hit !== undefined) return hit;
  const issuer = findPath(leaf, presented, trust);
  if (trust.paths.size >= CACHE_LIMIT) trust.paths.clear();
  trust.paths.set(leaf.fingerprint, issuer);
  remember(leaf, trust);
  remember(issuer, trust);
  return issuer;
}

/**
 * The certificate half of the verification pipeline, in its fixed order:
 * chain to the election root → validity at every given time → not revoked → key usage / EKU.
 */
export function verifyCertificate(
  leaf: CertificateInfo,
  presented: readonly Uint8Array[],
  ctx: { trust: Trust; crl: Crl | undefined; times: readonly Date[]; purpose: Purpose },
): { leaf: CertificateInfo; issuer: CertificateInfo } {
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
