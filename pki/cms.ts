import {
  sign as cryptoSign,
  verify as cryptoVerify,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import type { CertificateInfo } from './certificate.ts';
import type { VerifyingKey } from './chain.ts';
import {
  DerError,
  TAG,
  children,
  content,
  expectChildren,
  readRoot,
  whole,
  tlv,
  type Tlv,
} from './der.ts';
import { PkiError, orFail } from './error.ts';
import { sha256 } from './x509.ts';

/**
 * CMS SignedData (RFC 5652) exactly as Wahlkoffer writes it (docs/protocol.md §3):
 * one signer (IssuerAndSerialNumber), SHA-256, ECDSA P-256, encapsulated id-data content,
 * signed attributes contentType, signingTime, messageDigest — nothing else. Written and read
 * with the strict DER module (decisions/0020): anything outside this profile, and any non-DER
 * length, is refused. Every signature is verified with node:crypto.
 */

/** DER of OBJECT IDENTIFIER 1.2.840.113549.1.7.1 (id-data). */
const ID_DATA_DER = Buffer.from('06092a864886f70d010701', 'hex');

/** RFC 5652 §11.3: UTCTime for 1950–2049, seconds precision, 'Z'. */
function derUtcTime(date: Date): Buffer {
  const year = date.getUTCFullYear();
  if (year < 1950 || year > 2049) throw new RangeError('signingTime outside UTCTime range');
  const two = (n: number) => String(n).padStart(2, '0');
  const text =
    two(year % 100) +
    two(date.getUTCMonth() + 1) +
    two(date.getUTCDate()) +
    two(date.getUTCHours()) +
    two(date.getUTCMinutes()) +
    two(date.getUTCSeconds()) +
    'Z';
  return Buffer.concat([Buffer.from([0x17, text.length]), Buffer.from(text, 'ascii')]);
}

function parseUtcTime(der: Buffer): Date {
  const m = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(der.subarray(2).toString('ascii'));
  if (der[0] !== 0x17 || der[1] !== der.length - 2 || m === null) {
    throw new PkiError('SIGNED_DATA_MALFORMED', 'signingTime is not a DER UTCTime');
  }
  const [yy, mo, dd, hh, mi, ss] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return new Date(Date.UTC(yy < 50 ? 2000 + yy : 1900 + yy, mo - 1, dd, hh, mi, ss));
}

/**
 * Builds the SignedData of docs/protocol.md §3 directly in DER (the structure is fixed, so a
 * handful of TLVs is clearer and ~4× faster than going through an ASN.1 object model; the tests
 * check that @peculiar/asn1-cms, node-forge and OpenSSL all read it).
 */
export function signSignedData(p: {
  content: Uint8Array;
  key: KeyObject;
  certificate: CertificateInfo;
  chain: readonly CertificateInfo[];
  signingTime: Date;
  /**
   * Leave the content out (a detached signature, RFC 5652 §5.2: eContent absent), e.g. for the
   * publication's manifest.p7s beside manifest.json (read back with parseDetachedSignedData,
   * or `openssl cms -verify -content`).
   */
  detached?: boolean;
}): Buffer {
  const attribute = (oid: Buffer, value: Buffer) => tlv(TAG.SEQUENCE, oid, tlv(TAG.SET, value));
  // DER SET OF: elements sorted by their encodings (X.690 §11.6)
  const attrs = [
    attribute(OID_DER.contentType, ID_DATA_DER),
    attribute(OID_DER.signingTime, derUtcTime(p.signingTime)),
    attribute(OID_DER.messageDigest, tlv(TAG.OCTET_STRING, sha256(p.content))),
  ].sort(Buffer.compare);
  const signedAttributes = tlv(TAG.SET, ...attrs);
  const signature = cryptoSign('sha256', signedAttributes, p.key);
  const sha256Algorithm = tlv(TAG.SEQUENCE, OID_DER.sha256);
  const signerInfo = tlv(
    TAG.SEQUENCE,
    VERSION_1,
    issuerAndSerial(p.certificate.der),
    sha256Algorithm,
    tlv(TAG.CONTEXT_0, ...attrs),
    tlv(TAG.SEQUENCE, OID_DER.ecdsaWithSha256),
    tlv(TAG.OCTET_STRING, signature),
  );
  const signedData = tlv(
    TAG.SEQUENCE,
    VERSION_1,
    tlv(TAG.SET, sha256Algorithm),
    p.detached === true
      ? tlv(TAG.SEQUENCE, ID_DATA_DER)
      : tlv(TAG.SEQUENCE, ID_DATA_DER, tlv(TAG.CONTEXT_0, tlv(TAG.OCTET_STRING, p.content))),
    tlv(TAG.CONTEXT_0, p.certificate.der, ...p.chain.map((c) => c.der)),
    tlv(TAG.SET, signerInfo),
  );
  return tlv(TAG.SEQUENCE, OID_DER.signedData, tlv(TAG.CONTEXT_0, signedData));
}

export type ParsedSignedData = {
  readonly content: Buffer;
  readonly certificates: readonly Buffer[];
  /** DER of the signer's certificate (matched by issuer + serial) */
  readonly signerCertificate: Buffer;
  readonly signedAttributes: Buffer;
  readonly signature: Buffer;
  readonly messageDigest: Buffer;
  readonly signingTime: Date;
};

/** DER OIDs we compare byte for byte. */
const OID_DER = {
  signedData: Buffer.from('06092a864886f70d010702', 'hex'),
  sha256: Buffer.from('0609608648016503040201', 'hex'),
  ecdsaWithSha256: Buffer.from('06082a8648ce3d040302', 'hex'),
  contentType: Buffer.from('06092a864886f70d010903', 'hex'),
  messageDigest: Buffer.from('06092a864886f70d010904', 'hex'),
  signingTime: Buffer.from('06092a864886f70d010905', 'hex'),
};
const NULL_DER = Buffer.from('0500', 'hex');
const VERSION_1 = Buffer.from('020101', 'hex');

/** AlgorithmIdentifier with this OID and absent (or, for digests, NULL) parameters. */
function expectAlgorithm(buf: Buffer, tlv: Tlv, oid: Buffer, allowNull: boolean): void {
  const parts = children(buf, tlv);
  const ok =
    tlv.tag === TAG.SEQUENCE &&
    parts[0] !== undefined &&
    whole(buf, parts[0]).equals(oid) &&
    (parts.length === 1 ||
      (allowNull && parts.length === 2 && whole(buf, parts[1]!).equals(NULL_DER)));
  if (!ok) throw new DerError('unexpected algorithm');
}

/** IssuerAndSerialNumber (DER) of a certificate: SEQUENCE { issuer Name, serialNumber }. */
function issuerAndSerial(cert: Buffer): Buffer {
  const [tbs] = expectChildren(cert, readRoot(cert, TAG.SEQUENCE), [
    TAG.SEQUENCE,
    TAG.SEQUENCE,
    0x03,
  ]);
  const fields = children(cert, tbs!);
  const offset = fields[0]?.tag === TAG.CONTEXT_0 ? 1 : 0;
  const serial = fields[offset];
  const issuer = fields[offset + 2];
  if (serial?.tag !== TAG.INTEGER || issuer?.tag !== TAG.SEQUENCE)
    throw new DerError('certificate');
  const body = Buffer.concat([whole(cert, issuer), whole(cert, serial)]);
  return tlv(TAG.SEQUENCE, body);
}

function parseAttributes(buf: Buffer, attrs: Tlv): { messageDigest: Buffer; signingTime: Date } {
  const list = children(buf, attrs);
  const values = new Map<string, Buffer>();
  let previous: Buffer | undefined;
  for (const attr of list) {
    const encoded = whole(buf, attr);
    if (previous !== undefined && Buffer.compare(previous, encoded) >= 0) {
      throw new DerError('signed attributes not in DER SET OF order');
    }
    previous = encoded;
    const [type, set] = expectChildren(buf, attr, [TAG.OID, TAG.SET]);
    const [value] = expectChildren(buf, set!, [undefined]);
    values.set(whole(buf, type!).toString('hex'), whole(buf, value!));
  }
  const get = (oid: Buffer) => values.get(oid.toString('hex'));
  const contentType = get(OID_DER.contentType);
  const digest = get(OID_DER.messageDigest);
  const time = get(OID_DER.signingTime);
  if (
    list.length !== 3 ||
    contentType === undefined ||
    digest === undefined ||
    time === undefined
  ) {
    throw new DerError('signed attributes must be exactly contentType, messageDigest, signingTime');
  }
  if (!contentType.equals(ID_DATA_DER)) throw new DerError('contentType must be id-data');
  if (digest.length !== 34 || digest[0] !== TAG.OCTET_STRING || digest[1] !== 32) {
    throw new DerError('messageDigest must be a 32-byte OCTET STRING');
  }
  return { messageDigest: digest.subarray(2), signingTime: parseUtcTime(time) };
}

/** Step "parse SignedData": the exact Wahlkoffer profile, strictly, or SIGNED_DATA_MALFORMED. */
export function parseSignedData(der: Uint8Array): ParsedSignedData {
  return parseProfile(der, undefined);
}

/**
 * A detached SignedData (eContent absent, RFC 5652 §5.2) over `detachedContent`, e.g. the
 * publication's manifest.p7s over manifest.json: the same strict profile, the content supplied.
 */
export function parseDetachedSignedData(
  der: Uint8Array,
  detachedContent: Uint8Array,
): ParsedSignedData {
  return parseProfile(der, Buffer.from(detachedContent));
}

function parseProfile(der: Uint8Array, detached: Buffer | undefined): ParsedSignedData {
  return orFail('SIGNED_DATA_MALFORMED', () => {
    const buf = Buffer.from(der.buffer, der.byteOffset, der.byteLength);
    const [type, explicit] = expectChildren(buf, readRoot(buf, TAG.SEQUENCE), [
      TAG.OID,
      TAG.CONTEXT_0,
    ]);
    if (!whole(buf, type!).equals(OID_DER.signedData)) throw new DerError('not SignedData');
    const [sd] = expectChildren(buf, explicit!, [TAG.SEQUENCE]);
    const [version, digestAlgs, encap, certs, signerInfos] = expectChildren(buf, sd!, [
      TAG.INTEGER,
      TAG.SET,
      TAG.SEQUENCE,
      TAG.CONTEXT_0,
      TAG.SET,
    ]);
    if (!whole(buf, version!).equals(VERSION_1)) throw new DerError('SignedData version');
    const [digestAlg] = expectChildren(buf, digestAlgs!, [TAG.SEQUENCE]);
    expectAlgorithm(buf, digestAlg!, OID_DER.sha256, true);
    const [eType, eWrap] = expectChildren(
      buf,
      encap!,
      detached === undefined ? [TAG.OID, TAG.CONTEXT_0] : [TAG.OID],
    );
    if (!whole(buf, eType!).equals(ID_DATA_DER)) throw new DerError('eContentType must be id-data');
    const eContent =
      eWrap === undefined ? undefined : expectChildren(buf, eWrap, [TAG.OCTET_STRING])[0];
    const certificates = children(buf, certs!).map((c) => {
      if (c.tag !== TAG.SEQUENCE) throw new DerError('only X.509 certificates');
      return Buffer.from(whole(buf, c));
    });
    const [si] = expectChildren(buf, signerInfos!, [TAG.SEQUENCE]);
    const [siVersion, sid, siDigest, attrs, sigAlg, signature] = expectChildren(buf, si!, [
      TAG.INTEGER,
      TAG.SEQUENCE,
      TAG.SEQUENCE,
      TAG.CONTEXT_0,
      TAG.SEQUENCE,
      TAG.OCTET_STRING,
    ]);
    if (!whole(buf, siVersion!).equals(VERSION_1)) throw new DerError('SignerInfo version');
    expectAlgorithm(buf, siDigest!, OID_DER.sha256, true);
    expectAlgorithm(buf, sigAlg!, OID_DER.ecdsaWithSha256, false);
    const sidDer = whole(buf, sid!);
    const signerCertificate = certificates.find((c) => issuerAndSerial(c).equals(sidDer));
    if (signerCertificate === undefined) throw new DerError('signer certificate missing');
    const signedAttributes = Buffer.from(whole(buf, attrs!));
    signedAttributes[0] = TAG.SET;
    return {
      content: detached ?? Buffer.from(content(buf, eContent!)),
      certificates,
      signerCertificate,
      signedAttributes,
      signature: Buffer.from(content(buf, signature!)),
      ...parseAttributes(buf, attrs!),
    };
  });
}

/** Step "signature over the exact bytes": ECDSA over the signed attributes, then the digest. */
export function verifySignedDataSignature(
  parsed: ParsedSignedData,
  publicKey: VerifyingKey,
): void {
  const ok = orFail('SIGNATURE_INVALID', () =>
    cryptoVerify('sha256', parsed.signedAttributes, publicKey, parsed.signature),
  );
  if (!ok) throw new PkiError('SIGNATURE_INVALID');
  if (!timingSafeEqual(sha256(parsed.content), parsed.messageDigest)) {
    throw new PkiError('DIGEST_MISMATCH');
  }
}
