import type { KeyObject } from 'node:crypto';
import { x509, ECDSA_P256, toSigningCryptoKey, toPublicCryptoKey } from './x509.ts';
import {
  parseCertificate,
  type CertificateInfo,
  caUri,
  stationUri,
  serverUri,
} from './certificate.ts';
import { EKU } from './oids.ts';

/**
 * Certificate profiles of the election PKI (docs/protocol.md §1). Pure: keys, serial numbers and
 * validity windows are inputs. Every certificate is ECDSA P-256 / SHA-256 (TR-02102-1).
 */

export type Signer = { readonly certificate: CertificateInfo; readonly key: KeyObject };

export type CertificateParams = {
  readonly subject: string;
  readonly publicKey: KeyObject;
  /** undefined = self-signed with `selfKey` */
  readonly issuer: Signer | undefined;
  readonly selfKey?: KeyObject;
  /** positive serial number, hex */
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly ca?: { readonly pathLength: number };
  readonly keyUsage: number;
  readonly extendedKeyUsages: readonly string[];
  readonly uris: readonly string[];
  readonly dnsNames?: readonly string[];
  readonly ipAddresses?: readonly string[];
};

/** A serial from 16 random bytes: positive (top bit clear) and never zero (RFC 5280 §4.1.2.2). */
export function serialFromRandom(random: Uint8Array): string {
  const bytes = Buffer.from(random.subarray(0, 16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x40;
  return bytes.toString('hex');
}

export async function issueCertificate(p: CertificateParams): Promise<CertificateInfo> {
  const signingKeyObject = p.issuer?.key ?? p.selfKey;
  if (signingKeyObject === undefined) throw new TypeError('issuer or selfKey required');
  const publicKey = await toPublicCryptoKey(p.publicKey);
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(p.ca !== undefined, p.ca?.pathLength, true),
    new x509.KeyUsagesExtension(p.keyUsage, true),
    await x509.SubjectKeyIdentifierExtension.create(publicKey),
  ];
  const issuerCert =
    p.issuer === undefined ? undefined : new x509.X509Certificate(p.issuer.certificate.der);
  if (issuerCert !== undefined) {
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuerCert));
  }
  if (p.extendedKeyUsages.length > 0) {
    extensions.push(new x509.ExtendedKeyUsageExtension([...p.extendedKeyUsages], false));
  }
  const names = [
    ...p.uris.map((value) => ({ type: 'url' as const, value })),
    ...(p.dnsNames ?? []).map((value) => ({ type: 'dns' as const, value })),
    ...(p.ipAddresses ?? []).map((value) => ({ type: 'ip' as const, value })),
  ];
  if (names.length > 0) extensions.push(new x509.SubjectAlternativeNameExtension(names, false));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: p.serial,
    subject: p.subject,
    issuer: issuerCert?.subjectName ?? p.subject,
    notBefore: p.notBefore,
    notAfter: p.notAfter,
    signingAlgorithm: ECDSA_P256,
    publicKey,
    signingKey: await toSigningCryptoKey(signingKeyObject),
    extensions,
  });
  return parseCertificate(new Uint8Array(cert.rawData));
}

type Window = { readonly serial: string; readonly notBefore: Date; readonly notAfter: Date };

export function createRootCa(
  p: Window & { electionId: string; key: KeyObject; publicKey: KeyObject },
): Promise<CertificateInfo> {
  return issueCertificate({
    ...p,
    subject: `CN=Wahlkoffer Root CA ${p.electionId}, O=Wahlkoffer, OU=${p.electionId}`,
    issuer: undefined,
    selfKey: p.key,
    ca: { pathLength: 1 },
    keyUsage: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
    extendedKeyUsages: [],
    uris: [caUri(p.electionId, 'root-ca')],
  });
}

export function createIssuingCa(
  p: Window & { electionId: string; publicKey: KeyObject; root: Signer },
): Promise<CertificateInfo> {
  return issueCertificate({
    ...p,
    subject: `CN=Wahlkoffer Issuing CA ${p.electionId}, O=Wahlkoffer, OU=${p.electionId}`,
    issuer: p.root,
    ca: { pathLength: 0 },
    keyUsage: x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign,
    extendedKeyUsages: [],
    uris: [caUri(p.electionId, 'issuing-ca')],
  });
}

export function createStationCertificate(
  p: Window & { electionId: string; precinctId: string; publicKey: KeyObject; issuer: Signer },
): Promise<CertificateInfo> {
  return issueCertificate({
    ...p,
    subject: `CN=Stimmbezirk ${p.precinctId}, O=Wahlkoffer, OU=${p.electionId}`,
    keyUsage: x509.KeyUsageFlags.digitalSignature,
    extendedKeyUsages: [EKU.reportSigning, EKU.emailProtection],
    uris: [stationUri(p.electionId, p.precinctId)],
  });
}

export const SERVER_ROLES = [
  'report-encryption',
  'receipt-signing',
  'publication-signing',
  'tls',
  'provisioning',
  'checkpoint-signing',
] as const;
export type ServerRole = (typeof SERVER_ROLES)[number];

const SERVER_PROFILE: Record<ServerRole, { keyUsage: number; eku: string }> = {
  'report-encryption': { keyUsage: x509.KeyUsageFlags.keyAgreement, eku: EKU.reportEncryption },
  'receipt-signing': { keyUsage: x509.KeyUsageFlags.digitalSignature, eku: EKU.receiptSigning },
  'publication-signing': {
    keyUsage: x509.KeyUsageFlags.digitalSignature,
    eku: EKU.publicationSigning,
  },
  tls: { keyUsage: x509.KeyUsageFlags.digitalSignature, eku: EKU.serverAuth },
  provisioning: { keyUsage: x509.KeyUsageFlags.digitalSignature, eku: EKU.provisioning },
  'checkpoint-signing': {
    keyUsage: x509.KeyUsageFlags.digitalSignature,
    eku: EKU.checkpointSigning,
  },
};

export function serverProfile(role: ServerRole): { keyUsage: number; eku: string } {
  return SERVER_PROFILE[role];
}

export function createServerCertificate(
  p: Window & {
    electionId: string;
    role: ServerRole;
    publicKey: KeyObject;
    issuer: Signer;
    dnsNames?: readonly string[];
    ipAddresses?: readonly string[];
  },
): Promise<CertificateInfo> {
  const profile = SERVER_PROFILE[p.role];
  return issueCertificate({
    ...p,
    subject: `CN=Wahlkoffer ${p.role} ${p.electionId}, O=Wahlkoffer, OU=${p.electionId}`,
    keyUsage: profile.keyUsage,
    extendedKeyUsages: [profile.eku],
    uris: [serverUri(p.electionId, p.role)],
    dnsNames: p.role === 'tls' ? (p.dnsNames ?? []) : [],
    ipAddresses: p.role === 'tls' ? (p.ipAddresses ?? []) : [],
  });
}
