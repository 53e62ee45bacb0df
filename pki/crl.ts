import { verify as cryptoVerify } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';
import { x509, ECDSA_P256, toSigningCryptoKey, toPem, fromPemAll } from './x509.ts';
import { normaliseSerial, type CertificateInfo } from './certificate.ts';
import type { Signer } from './profiles.ts';
import { PkiError, orFail } from './error.ts';
import { OID } from './oids.ts';
import { TAG, children, content, expectChildren, readRoot, whole } from './der.ts';

/** RFC 5280 §5.3.1 CRLReason, by name. */
export const REVOCATION_REASONS = {
  unspecified: x509.X509CrlReason.unspecified,
  keyCompromise: x509.X509CrlReason.keyCompromise,
  cACompromise: x509.X509CrlReason.cACompromise,
  affiliationChanged: x509.X509CrlReason.affiliationChanged,
  superseded: x509.X509CrlReason.superseded,
  cessationOfOperation: x509.X509CrlReason.cessationOfOperation,
} as const;
export type RevocationReason = keyof typeof REVOCATION_REASONS;
export const REVOCATION_REASON_NAMES = Object.keys(REVOCATION_REASONS) as RevocationReason[];

export type RevocationEntry = {
  readonly serial: string;
  readonly revokedAt: Date;
  readonly reason: RevocationReason;
};

/** RFC 5280 crlNumber extension value: DER INTEGER. */
function crlNumberExtension(n: number): x509.Extension {
  let hex = n.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  const body = Buffer.from(hex, 'hex');
  return new x509.Extension(
    '2.5.29.20',
    false,
    Buffer.concat([Buffer.from([0x02, body.length]), body]),
  );
}

export async function createCrl(p: {
  issuer: Signer;
  entries: readonly RevocationEntry[];
  thisUpdate: Date;
  nextUpdate: Date;
  crlNumber: number;
}): Promise<Buffer> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: new x509.X509Certificate(p.issuer.certificate.der).subjectName,
    thisUpdate: p.thisUpdate,
    nextUpdate: p.nextUpdate,
    signingAlgorithm: ECDSA_P256,
    signingKey: await toSigningCryptoKey(p.issuer.key),
    entries: p.entries.map((e) => ({
      serialNumber: e.serial,
      revocationDate: e.revokedAt,
      reason: REVOCATION_REASONS[e.reason],
    })),
    extensions: [
      await x509.AuthorityKeyIdentifierExtension.create(
        new x509.X509Certificate(p.issuer.certificate.der),
      ),
      crlNumberExtension(p.crlNumber),
    ],
  });
  return Buffer.from(crl.rawData);
}

/** OpenSSL reads only the RFC 7468 label `X509 CRL` (@peculiar/x509 writes `CRL`). */
export function crlToPem(der: Uint8Array): string {
  return toPem(der, 'X509 CRL');
}

export type CrlList = {
  readonly issuerFingerprint: string;
  /** RFC 5280 §5.2.3 cRLNumber: increases with every CRL the issuer signs */
  readonly number: number;
  readonly thisUpdate: Date;
  readonly nextUpdate: Date | undefined;
  readonly revoked: ReadonlyMap<string, { revokedAt: Date; reason: string }>;
  readonly der: Buffer;
};

/** The revocation state the verifier uses: one verified CRL per CA it knows. */
export type Crl = { readonly lists: readonly CrlList[] };

export const EMPTY_CRL: Crl = { lists: [] };

/**
 * Parses and verifies one CRL (DER) against the CA certificates that may have issued it.
 * The signature is checked with node:crypto; a CRL past its nextUpdate is refused.
 */
export function parseCrl(der: Uint8Array, cas: readonly CertificateInfo[], now: Date): CrlList {
  const bytes = Buffer.from(der);
  const { crl, asn } = orFail('CRL_INVALID', () => ({
    crl: new x509.X509Crl(bytes),
    asn: AsnConvert.parse(bytes, CertificateList),
  }));
  if (
    asn.signatureAlgorithm.algorithm !== OID.ecdsaWithSha256 ||
    asn.tbsCertListRaw === undefined
  ) {
    throw new PkiError('CRL_INVALID', 'unexpected signature algorithm');
  }
  const tbs = Buffer.from(asn.tbsCertListRaw);
  const signature = Buffer.from(asn.signature);
  const issuerDer = orFail('CRL_INVALID', () => crlIssuer(bytes));
  const issuer = cas.find(
    (ca) => ca.subject === issuerDer && cryptoVerify('sha256', tbs, ca.publicKey, signature),
  );
  if (issuer === undefined) throw new PkiError('CRL_INVALID', 'not signed by a known CA');
  if (crl.nextUpdate !== undefined && crl.nextUpdate.getTime() < now.getTime()) {
    throw new PkiError('CRL_EXPIRED', `nextUpdate ${crl.nextUpdate.toISOString()}`);
  }
  const revoked = new Map<string, { revokedAt: Date; reason: string }>();
  for (const entry of crl.entries) {
    const reason = entry.reason === undefined ? 'unspecified' : x509.X509CrlReason[entry.reason];
    revoked.set(normaliseSerial(entry.serialNumber), {
      revokedAt: entry.revocationDate,
      reason: reason ?? 'unspecified',
    });
  }
  return {
    issuerFingerprint: issuer.fingerprint,
    number: crlNumberOf(crl),
    thisUpdate: crl.thisUpdate,
    nextUpdate: crl.nextUpdate,
    revoked,
    der: bytes,
  };
}

/** The cRLNumber extension (a DER INTEGER); a CRL without one is refused (RFC 5280 §5.2.3: MUST). */
function crlNumberOf(crl: x509.X509Crl): number {
  const extension = crl.getExtension('2.5.29.20');
  if (extension === null) throw new PkiError('CRL_INVALID', 'no cRLNumber');
  const value = Buffer.from(extension.value);
  const body = orFail('CRL_INVALID', () => content(value, readRoot(value, TAG.INTEGER)));
  if (body.length === 0 || body.length > 6 || (body[0]! & 0x80) !== 0) {
    throw new PkiError('CRL_INVALID', 'cRLNumber out of range');
  }
  return body.readUIntBE(0, body.length);
}

/**
 * A CRL that replaces `current` must not go back: for every issuer, a list that changed must
 * carry a higher cRLNumber (an attacker who can write crl.pem could otherwise put back an older,
 * validly signed CRL from before a revocation). Throws CRL_NOT_NEWER.
 */
export function checkCrlSuccession(current: Crl, next: Crl): void {
  for (const list of next.lists) {
    const before = current.lists.find((l) => l.issuerFingerprint === list.issuerFingerprint);
    if (before === undefined || before.der.equals(list.der)) continue;
    if (list.number <= before.number) {
      throw new PkiError('CRL_NOT_NEWER', `cRLNumber ${list.number} after ${before.number}`);
    }
  }
  for (const before of current.lists) {
    if (!next.lists.some((l) => l.issuerFingerprint === before.issuerFingerprint)) {
      throw new PkiError('CRL_NOT_NEWER', 'a CRL of the previous crl.pem is missing');
    }
  }
}

/** DER (hex) of the issuer Name of a CertificateList (RFC 5280 §5.1). */
export function crlIssuer(der: Buffer): string {
  const [tbs] = expectChildren(der, readRoot(der, TAG.SEQUENCE), [
    TAG.SEQUENCE,
    TAG.SEQUENCE,
    0x03,
  ]);
  const fields = children(der, tbs!);
  const at = fields[0]?.tag === TAG.INTEGER ? 1 : 0;
  const issuer = fields[at + 1];
  if (issuer?.tag !== TAG.SEQUENCE) throw new Error('CRL issuer');
  return whole(der, issuer).toString('hex');
}

/** Parses every `X509 CRL` block of a PEM file (crl.pem holds the issuing CA's and the root's). */
export function parseCrlPem(pem: string, cas: readonly CertificateInfo[], now: Date): Crl {
  const blocks = fromPemAll(pem, 'X509 CRL');
  if (blocks.length === 0) throw new PkiError('CRL_INVALID', 'no X509 CRL block');
  return { lists: blocks.map((der) => parseCrl(der, cas, now)) };
}

/**
 * Throws CERT_REVOKED if the certificate with `serial` (issued by `issuer`) is on that issuer's
 * CRL, and CRL_EXPIRED if that CRL is past its nextUpdate at `now` (checked at every use, not
 * only when the file was read: a server that runs for days must not trust a stale CRL).
 */
export function checkSerialNotRevoked(
  serial: string,
  issuer: Pick<CertificateInfo, 'fingerprint' | 'subjectName'>,
  crl: Crl,
  now: Date,
  required = true,
): void {
  const list = crl.lists.find((l) => l.issuerFingerprint === issuer.fingerprint);
  if (list === undefined) {
    if (required) throw new PkiError('CRL_INVALID', `no CRL for ${issuer.subjectName}`);
    return;
  }
  if (list.nextUpdate !== undefined && list.nextUpdate.getTime() < now.getTime()) {
    throw new PkiError('CRL_EXPIRED', `nextUpdate ${list.nextUpdate.toISOString()}`);
  }
  const entry = list.revoked.get(serial);
  if (entry !== undefined) {
    throw new PkiError(
      'CERT_REVOKED',
      `serial ${serial} revoked ${entry.revokedAt.toISOString()} (${entry.reason})`,
    );
  }
}
