import { X509Certificate as NativeCertificate, type KeyObject } from 'node:crypto';
import { sha256Hex, fromPemAll } from './x509.ts';
import {
  DerError,
  TAG,
  children,
  content,
  expectChildren,
  readRoot,
  whole,
  type Tlv,
} from './der.ts';
import { PkiError, orFail } from './error.ts';

/**
 * A parsed certificate: what our checks need, read once (`parseCertificate`: node:crypto plus
 * the strict DER reader of der.ts); signatures are checked with node:crypto only (`native.verify`).
 */
export type CertificateInfo = {
  readonly der: Buffer;
  /** SHA-256 of the DER encoding, lowercase hex — the certificate's identity everywhere */
  readonly fingerprint: string;
  /** lowercase hex without leading zeros, as in the register and the CRL */
  readonly serial: string;
  /** DER of the subject Name, hex — compared byte for byte when building paths */
  readonly subject: string;
  /** DER of the issuer Name, hex */
  readonly issuer: string;
  /** for people: "CN=…, O=…" */
  readonly subjectName: string;
  readonly issuerName: string;
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

const OID_DER = {
  keyUsage: '0603551d0f',
  basicConstraints: '0603551d13',
  subjectAltName: '0603551d11',
};

/** X.509 Time (UTCTime or GeneralizedTime, 'Z' only, as RFC 5280 §4.1.2.5 requires). */
function parseTime(buf: Buffer, tlv: Tlv): Date {
  const text = content(buf, tlv).toString('ascii');
  const m =
    tlv.tag === TAG.UTC_TIME
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
      : tlv.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(text)
        : null;
  if (m === null) throw new DerError('validity time');
  const [y, mo, d, h, mi, sec] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const year = tlv.tag === TAG.UTC_TIME ? (y < 50 ? 2000 + y : 1900 + y) : y;
  return new Date(Date.UTC(year, mo - 1, d, h, mi, sec));
}

function bitFlags(bitString: Buffer): number {
  let flags = 0;
  for (let i = 0; i < (bitString.length - 1) * 8 && i < 16; i++) {
    if (((bitString[1 + (i >> 3)]! >> (7 - (i & 7))) & 1) === 1) flags |= 1 << i;
  }
  return flags;
}

type Extensions = { keyUsage: number; isCa: boolean; uris: string[]; sanCount: number };

/** Reads the extensions our checks need, strictly (RFC 5280 §4.2: each at most once). */
function readExtensions(buf: Buffer, tbsFields: readonly Tlv[]): Extensions {
  const out: Extensions = { keyUsage: 0, isCa: false, uris: [], sanCount: 0 };
  const wrapper = tbsFields.find((t) => t.tag === 0xa3);
  if (wrapper === undefined) return out;
  const [list] = expectChildren(buf, wrapper, [TAG.SEQUENCE]);
  const seen = new Set<string>();
  for (const ext of children(buf, list!)) {
    const parts = children(buf, ext);
    const oid = whole(buf, parts[0]!).toString('hex');
    const value = parts[parts.length - 1]!;
    if (parts[0]?.tag !== TAG.OID || value.tag !== TAG.OCTET_STRING || parts.length > 3) {
      throw new DerError('extension');
    }
    if (seen.has(oid)) throw new DerError('duplicate extension (RFC 5280 §4.2)');
    seen.add(oid);
    const inner = content(buf, value);
    if (oid === OID_DER.keyUsage) {
      out.keyUsage = bitFlags(content(inner, readRoot(inner, 0x03)));
    } else if (oid === OID_DER.basicConstraints) {
      const first = children(inner, readRoot(inner, TAG.SEQUENCE))[0];
      out.isCa = first?.tag === 0x01 && inner[first.contentStart] === 0xff;
    } else if (oid === OID_DER.subjectAltName) {
      const names = children(inner, readRoot(inner, TAG.SEQUENCE));
      out.sanCount = names.length;
      out.uris = names
        .filter((n) => n.tag === 0x86)
        .map((n) => content(inner, n).toString('latin1'));
    }
  }
  return out;
}

/**
 * Parses a certificate: node:crypto (OpenSSL) for the signature, key, serial and EKUs, and the
 * strict DER reader for the fields OpenSSL does not expose (KeyUsage bits, basicConstraints, URI
 * names, the exact DER of issuer and subject). ~10× faster than a full ASN.1 schema parse, which
 * matters when 90,000 stations each send their certificate once.
 */
export function parseCertificate(der: Uint8Array): CertificateInfo {
  return orFail('CERT_MALFORMED', () => {
    const bytes = Buffer.from(der);
    const native = new NativeCertificate(bytes);
    const [tbs] = expectChildren(bytes, readRoot(bytes, TAG.SEQUENCE), [
      TAG.SEQUENCE,
      TAG.SEQUENCE,
      0x03,
    ]);
    const fields = children(bytes, tbs!);
    const at = fields[0]?.tag === 0xa0 ? 1 : 0;
    const [issuer, validity, subject] = [fields[at + 2], fields[at + 3], fields[at + 4]];
    if (
      issuer?.tag !== TAG.SEQUENCE ||
      validity?.tag !== TAG.SEQUENCE ||
      subject?.tag !== TAG.SEQUENCE
    ) {
      throw new DerError('tbsCertificate');
    }
    const [notBefore, notAfter] = expectChildren(bytes, validity, [undefined, undefined]);
    const ext = readExtensions(bytes, fields);
    return {
      der: bytes,
      fingerprint: sha256Hex(bytes),
      serial: normaliseSerial(native.serialNumber),
      subject: whole(bytes, subject).toString('hex'),
      issuer: whole(bytes, issuer).toString('hex'),
      subjectName: native.subject.replace(/\n/g, ', '),
      issuerName: native.issuer.replace(/\n/g, ', '),
      notBefore: parseTime(bytes, notBefore!),
      notAfter: parseTime(bytes, notAfter!),
      isCa: ext.isCa,
      keyUsage: ext.keyUsage,
      // OpenSSL's reading of the EKU OIDs (it prints our 2.25.<uuid> arc in dotted decimal)
      extendedKeyUsages: native.keyUsage ?? [],
      uris: ext.uris,
      sanCount: ext.sanCount,
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
export function stationIdentity(cert: Pick<CertificateInfo, 'uris' | 'sanCount'>): {
  electionId: string;
  precinctId: string;
} {
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
