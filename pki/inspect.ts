import {
  parseCertificate,
  parseCertificatePem,
  stationIdentity,
  type CertificateInfo,
} from './certificate.ts';
import { openBundle } from './bundle.ts';
import { PkiError } from './error.ts';
import { x509, fromPemAll } from './x509.ts';

/** Human-readable description of a bundle, certificate(s) or CRL(s), for `pki inspect`. */
export function inspectFile(bytes: Uint8Array, now: Date): string {
  const text = Buffer.from(bytes).toString('utf8');
  if (text.trimStart().startsWith('{')) return inspectBundle(bytes, now);
  const certs = fromPemAll(text, 'CERTIFICATE');
  const crls = fromPemAll(text, 'X509 CRL');
  if (certs.length === 0 && crls.length === 0) {
    try {
      return describeCertificate(parseCertificate(bytes));
    } catch {
      throw new PkiError('CERT_MALFORMED', 'neither bundle, certificate nor CRL');
    }
  }
  return [
    ...certs.map((d) => describeCertificate(parseCertificate(d))),
    ...crls.map(describeCrl),
  ].join('\n');
}

const USAGE_NAMES: Record<number, string> = {
  1: 'digitalSignature',
  2: 'nonRepudiation',
  4: 'keyEncipherment',
  8: 'dataEncipherment',
  16: 'keyAgreement',
  32: 'keyCertSign',
  64: 'cRLSign',
};

export function describeCertificate(c: CertificateInfo): string {
  const usages = Object.entries(USAGE_NAMES)
    .filter(([bit]) => (c.keyUsage & Number(bit)) !== 0)
    .map(([, name]) => name);
  let identity: string;
  try {
    const id = stationIdentity(c);
    identity = `  station:      election ${id.electionId}, precinct ${id.precinctId}\n`;
  } catch {
    identity = '';
  }
  return (
    `Certificate\n` +
    `  subject:      ${c.subjectName}\n` +
    `  issuer:       ${c.issuerName}\n` +
    `  serial:       ${c.serial}\n` +
    `  valid:        ${c.notBefore.toISOString()} … ${c.notAfter.toISOString()}\n` +
    `  CA:           ${c.isCa ? 'yes' : 'no'}\n` +
    `  key usage:    ${usages.join(', ') || '—'}\n` +
    `  ext. usage:   ${c.extendedKeyUsages.join(', ') || '—'}\n` +
    `  URIs:         ${c.uris.join(', ') || '—'}\n` +
    identity +
    `  SHA-256:      ${c.fingerprint}\n`
  );
}

function describeCrl(der: Buffer): string {
  const crl = new x509.X509Crl(der);
  const entries = crl.entries.map(
    (e) =>
      `    ${e.serialNumber.toLowerCase()}  ${e.revocationDate.toISOString()}  ${e.reason === undefined ? 'unspecified' : x509.X509CrlReason[e.reason]}\n`,
  );
  return (
    `CRL\n` +
    `  issuer:       ${crl.issuer}\n` +
    `  this update:  ${crl.thisUpdate.toISOString()}\n` +
    `  next update:  ${crl.nextUpdate?.toISOString() ?? '—'}\n` +
    `  revoked:      ${crl.entries.length}\n` +
    entries.join('')
  );
}

function inspectBundle(bytes: Uint8Array, now: Date): string {
  const b = openBundle(bytes, undefined, now);
  const revoked = b.crl.lists.reduce((n, l) => n + l.revoked.size, 0);
  return (
    `Provisioning bundle (signature valid, checked against the root inside the bundle)\n` +
    `  election:     ${b.election.id} — ${b.election.name} (${b.election.date})\n` +
    `  precinct:     ${b.content.precinctId}\n` +
    `  issued at:    ${b.content.issuedAt}\n` +
    `  server URL:   ${b.content.server.url}\n` +
    `  root CA:      ${b.trust.root.fingerprint}\n` +
    `  CRL entries:  ${revoked}\n` +
    `  key:          encrypted, scrypt N=${b.content.station.encryptedKey.kdf.N} r=${b.content.station.encryptedKey.kdf.r} p=${b.content.station.encryptedKey.kdf.p}, AES-256-GCM\n\n` +
    describeCertificate(b.station) +
    `\n` +
    describeCertificate(parseCertificatePem(b.content.server.reportEncryption))
  );
}
