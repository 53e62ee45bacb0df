import type { KeyObject } from 'node:crypto';
import { z } from 'zod';
import {
  ElectionDefinitionSchema,
  canonicalBytes,
  validateElectionDefinition,
  type ElectionDefinition,
} from '../election/index.ts';
import { parseSignedData, signSignedData } from './cms.ts';
import { parseCertificatePem, stationIdentity, type CertificateInfo } from './certificate.ts';
import { createTrust, verifyCertificate, type Trust } from './chain.ts';
import { parseCrlPem, type Crl } from './crl.ts';
import { PkiError, orFail } from './error.ts';
import { EncryptedKeySchema } from './key-encryption.ts';
import { STATION_PURPOSE } from './meldung.ts';
import { EKU } from './oids.ts';
import { verifyCms } from './verify-cms.ts';

/**
 * The provisioning bundle (docs/protocol.md §7): everything one kit needs, signed by the
 * election office's provisioning key. File = `{"format":"wahlkoffer.bundle/1","signedData":
 * "<base64 DER CMS SignedData>"}`; the CMS encapsulates the canonical JSON of the bundle
 * content, so `openssl cms -verify` can check a bundle too.
 *
 * Content format 2 carries only the station's excerpt of the election definition (its
 * precinct, its contests, the area chain — election `stationExcerpt`) and the SHA-256 of the
 * whole definition's canonical JSON; format 1 carried the whole definition and is refused
 * (docs/decisions/0063-bundles-carry-the-stations-excerpt.md).
 */
export const BUNDLE_FORMAT = 'wahlkoffer.bundle/1' as const;
export const BUNDLE_CONTENT_FORMAT = 'wahlkoffer.bundle-content/2' as const;
/** the largest excerpt is a few tens of KB; certificates, CRL and key add a few KB more */
export const MAX_BUNDLE_BYTES = 8 * 1024 * 1024;

const PEM = z.string().max(16384);
export const BundleContentSchema = z.strictObject({
  format: z.literal(BUNDLE_CONTENT_FORMAT),
  electionId: z.string(),
  precinctId: z.string(),
  issuedAt: z.iso.datetime(),
  /** the station's excerpt of the election definition (election `stationExcerpt`) */
  election: ElectionDefinitionSchema,
  /** SHA-256 (hex) of the canonical JSON of the whole election definition the excerpt is from */
  electionSha256: z.string().regex(/^[0-9a-f]{64}$/),
  station: z.strictObject({ certificate: PEM, encryptedKey: EncryptedKeySchema }),
  ca: z.strictObject({ root: PEM, issuing: PEM }),
  crl: z.string().max(4 * 1024 * 1024),
  server: z.strictObject({
    url: z.url(),
    reportEncryption: PEM,
    receiptSigning: PEM,
    tls: PEM,
    /** the log's Ed25519 checkpoint key: receipts carry checkpoints signed with it */
    checkpointSigning: PEM,
  }),
});
export type BundleContent = z.infer<typeof BundleContentSchema>;

const BundleFileSchema = z.strictObject({
  format: z.string(),
  signedData: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/),
});

export function signBundle(
  content: BundleContent,
  signer: { key: KeyObject; certificate: CertificateInfo; chain: readonly CertificateInfo[] },
  now: Date,
): Uint8Array {
  const der = signSignedData({
    // the content is built by issueStations from parsed parts; openBundle parses it strictly
    content: canonicalBytes(content),
    key: signer.key,
    certificate: signer.certificate,
    chain: signer.chain,
    signingTime: now,
  });
  return new TextEncoder().encode(
    `${JSON.stringify({ format: BUNDLE_FORMAT, signedData: der.toString('base64') }, null, 1)}\n`,
  );
}

export type OpenedBundle = {
  readonly content: BundleContent;
  readonly election: ElectionDefinition;
  readonly trust: Trust;
  readonly crl: Crl;
  readonly station: CertificateInfo;
  readonly issuing: CertificateInfo;
  readonly reportEncryption: CertificateInfo;
  readonly receiptSigning: CertificateInfo;
  readonly tls: CertificateInfo;
  readonly checkpointSigning: CertificateInfo;
};

const CMS_FAILURES = new Set(['SIGNED_DATA_MALFORMED', 'SIGNATURE_INVALID', 'DIGEST_MISMATCH']);

/**
 * Opens a bundle and refuses a tampered or foreign one: the CMS signature must verify, the
 * signer must be a provisioning certificate of the election root given by the caller (the
 * root the kit was installed with), and every certificate inside must chain to that root with
 * its proper usage. Without `rootCaPem` the bundle's own root is used (self-consistency only).
 */
export function openBundle(
  bytes: Uint8Array,
  rootCaPem: string | undefined,
  now: Date,
): OpenedBundle {
  if (bytes.length > MAX_BUNDLE_BYTES) throw new PkiError('BUNDLE_MALFORMED', 'too large');
  const file = orFail('BUNDLE_MALFORMED', () =>
    BundleFileSchema.parse(JSON.parse(Buffer.from(bytes).toString('utf8'))),
  );
  if (file.format !== BUNDLE_FORMAT)
    throw new PkiError('BUNDLE_MALFORMED', `format ${file.format}`);
  const der = Buffer.from(file.signedData, 'base64');
  const unverified = orFail('BUNDLE_MALFORMED', () =>
    BundleContentSchema.parse(JSON.parse(cmsContent(der))),
  );
  const trust = createTrust(rootCaPem ?? unverified.ca.root);
  const issuing = parseCertificatePem(unverified.ca.issuing);
  if (
    !issuing.isCa ||
    issuing.issuer !== trust.root.subject ||
    !issuing.native.verify(trust.root.publicKey)
  ) {
    throw new PkiError('CERT_UNTRUSTED', 'the bundle’s issuing CA is not from this election root');
  }
  const crl = parseCrlPem(unverified.crl, [trust.root, issuing], now);
  const purpose = { keyUsage: 1, extendedKeyUsage: EKU.provisioning };
  let verified;
  try {
    verified = verifyCms(der, { trust, crl, now, purpose });
  } catch (error) {
    if (error instanceof PkiError && CMS_FAILURES.has(error.code)) {
      throw new PkiError('BUNDLE_SIGNATURE_INVALID', error.message, { cause: error });
    }
    throw error;
  }
  const content = BundleContentSchema.parse(JSON.parse(verified.parsed.content.toString('utf8')));
  if (content.electionId !== trust.electionId || content.election.id !== trust.electionId) {
    throw new PkiError('CERT_WRONG_ELECTION', content.electionId);
  }
  checkExcerpt(content);
  const check = (pem: string, eku: string, keyUsage: number): CertificateInfo => {
    const cert = parseCertificatePem(pem);
    verifyCertificate(cert, [issuing.der], {
      trust,
      crl,
      times: [now],
      purpose: { keyUsage, extendedKeyUsage: eku },
    });
    return cert;
  };
  const station = check(content.station.certificate, STATION_PURPOSE.extendedKeyUsage, 1);
  const identity = stationIdentity(station);
  if (identity.electionId !== trust.electionId) throw new PkiError('CERT_WRONG_ELECTION');
  if (identity.precinctId !== content.precinctId) throw new PkiError('CERT_WRONG_PRECINCT');
  return {
    content,
    election: content.election,
    trust,
    crl,
    station,
    issuing,
    reportEncryption: check(content.server.reportEncryption, EKU.reportEncryption, 16),
    receiptSigning: check(content.server.receiptSigning, EKU.receiptSigning, 1),
    tls: check(content.server.tls, EKU.serverAuth, 1),
    checkpointSigning: check(content.server.checkpointSigning, EKU.checkpointSigning, 1),
  };
}

/**
 * The excerpt must be a sound definition of its own (cheap: one precinct, its contests) and hold
 * the bundle's precinct, so the kit can index it and find its own form.
 */
function checkExcerpt(content: BundleContent): void {
  const issues = validateElectionDefinition(content.election);
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new PkiError('BUNDLE_MALFORMED', `election excerpt: ${first.path}: ${first.message}`);
  }
  if (!content.election.precincts.some((p) => p.id === content.precinctId)) {
    throw new PkiError('BUNDLE_MALFORMED', `election excerpt lacks precinct ${content.precinctId}`);
  }
}

/** The encapsulated content, read before verification only to find the trust material. */
function cmsContent(der: Buffer): string {
  return orFail('BUNDLE_MALFORMED', () => parseSignedData(der).content.toString('utf8'));
}
