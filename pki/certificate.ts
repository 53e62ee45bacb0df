import { X509Certificate as NativeCertificate, type KeyObject } from 'node:crypto';
import { x509, sha256Hex, fromPemAll } from './x509.ts';
import { PkiError, orFail } from './error.ts';

/**
 * A parsed certificate: what our checks need, read once. Parsing is strict (@peculiar/asn1-x509
 * schemas); signatures are checked with node:crypto only (`native.verify`).
 */
export type CertificateInfo = {
  readonly der: Buffer;
  /** SHA-256 of the DER encoding, lowercase hex — the certificate's identity everywhere */
  readonly fingerprint: string;
  /** lowercase hex without leading zeros, as in the register and the CRL */
  readonly serial: string;
  readonly subject: string;
  readonly issuer: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly isCa: boolean;
  /** KeyUsage bit flags (x509.KeyUsageFlags); 0 when the extension is absent */
  readonly keyUsage: number;
  readonly extendedKeyUsages: readonly string[];
  readonly uris: readonly string[];
  readonly sanCount: number;
  readonly publicKey: KeyObject;
  readonly native: NativeCertificate;
};

export function normaliseSerial(hex: string): string {
  const s = hex.toLowerCase().replace(/^0+/, '');
  return s === '' ? '0' : s;
}

export function parseCertificate(der: Uint8Array): CertificateInfo {
  return orFail('CERT_MALFORMED', () => {
    const bytes = Buffer.from(der);
    const cert = new x509.X509Certificate(bytes);
    const native = new NativeCertificate(bytes);
    const oids = cert.extensions.map((e) => e.type);
    if (new Set(oids).size !== oids.length) {
      throw new PkiError('CERT_MALFORMED', 'duplicate extension (RFC 5280 §4.2)');
    }
    const basic = cert.getExtension(x509.BasicConstraintsExtension);
    const ku = cert.getExtension(x509.KeyUsagesExtension);
    const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
    const names = san?.names.items ?? [];
    return {
      der: bytes,
      fingerprint: sha256Hex(bytes),
      serial: normaliseSerial(cert.serialNumber),
      subject: cert.subject,
      issuer: cert.issuer,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      isCa: basic?.ca === true,
      keyUsage: ku?.usages ?? 0,
      // OpenSSL's reading of the EKU OIDs: asn1js renders arcs above 2^53 (our 2.25.<uuid> arc)
      // in a private hex notation, OpenSSL prints them in standard dotted decimal.
      extendedKeyUsages: native.keyUsage ?? [],
      uris: names.filter((n) => n.type === 'url').map((n) => n.value),
      sanCount: names.length,
      publicKey: native.publicKey,
      native,
    };
  });
}

export function parseCertificatePem(pem: string): CertificateInfo {
  const blocks = fromPemAll(pem, 'CERTIFICATE');
  const first = blocks[0];
  if (blocks.length !== 1 || first === undefined) {
    throw new PkiError('CERT_MALFORMED', 'expected exactly one PEM CERTIFICATE');
  }
  return parseCertificate(first);
}

export function parseCertificatesPem(pem: string): CertificateInfo[] {
  return fromPemAll(pem, 'CERTIFICATE').map(parseCertificate);
}

const ID = '[A-Za-z0-9][A-Za-z0-9._-]{0,63}';
const STATION_URI = new RegExp(`^urn:wahlkoffer:(${ID}):station:(${ID})$`);
const CA_URI = new RegExp(`^urn:wahlkoffer:(${ID}):(root-ca|issuing-ca)$`);

export function stationUri(electionId: string, precinctId: string): string {
  return `urn:wahlkoffer:${electionId}:station:${precinctId}`;
}

export function caUri(electionId: string, role: 'root-ca' | 'issuing-ca'): string {
  return `urn:wahlkoffer:${electionId}:${role}`;
}

export function serverUri(electionId: string, role: string): string {
  return `urn:wahlkoffer:${electionId}:server:${role}`;
}

/**
 * The station identity: the certificate must carry exactly one subjectAltName, a URI that
 * matches the whole pattern. Anything else (two URIs, an extra DNS name, a near-miss) is
 * refused, so no parser ambiguity can turn one station into another.
 */
export function stationIdentity(cert: CertificateInfo): { electionId: string; precinctId: string } {
  const uri = cert.uris[0];
  const m = cert.sanCount === 1 && uri !== undefined ? STATION_URI.exec(uri) : null;
  if (m === null || m[1] === undefined || m[2] === undefined) {
    throw new PkiError('CERT_WRONG_USAGE', 'no single station URI subjectAltName');
  }
  return { electionId: m[1], precinctId: m[2] };
}

/** The election a CA certificate belongs to (its one `urn:wahlkoffer:<id>:root-ca|issuing-ca` URI). */
export function caElectionId(cert: CertificateInfo): string {
  const uri = cert.uris[0];
  const m = cert.uris.length === 1 && uri !== undefined ? CA_URI.exec(uri) : null;
  if (m === null || m[1] === undefined) {
    throw new PkiError('CERT_UNTRUSTED', 'CA certificate without election URI');
  }
  return m[1];
}

/** The election id in a server certificate's URI SAN, if any. */
export function serverElectionId(cert: CertificateInfo): string | undefined {
  for (const uri of cert.uris) {
    const m = new RegExp(`^urn:wahlkoffer:(${ID}):server:[a-z-]+$`).exec(uri);
    if (m?.[1] !== undefined) return m[1];
  }
  return undefined;
}

/** A certificate as callers hold it: parsed, PEM text or DER bytes. */
export type CertificateInput = CertificateInfo | string | Uint8Array;

export function toCertificate(input: CertificateInput): CertificateInfo {
  if (typeof input === 'string') return parseCertificatePem(input);
  if (input instanceof Uint8Array) return parseCertificate(input);
  return input;
}
