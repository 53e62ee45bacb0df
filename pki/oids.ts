/**
 * Object identifiers. Our private ones live under a UUID arc (ITU-T X.667 / RFC 4122 §…:
 * "2.25.<UUID as one integer>"), which needs no registration and cannot collide.
 * UUID 2e379063-cf3e-4121-8203-07f2e8cf49f5, generated once for this project.
 */
export const WAHLKOFFER_ARC = '2.25.61432992708035218431621589819984923125';

/** Extended key usages (id-wk-kp-*): one per job, so a key can only do its one job. */
export const EKU = {
  /** station: signs Schnellmeldungen and session challenges */
  reportSigning: `${WAHLKOFFER_ARC}.1.1`,
  /** server: the ECDH key reports are encrypted to */
  reportEncryption: `${WAHLKOFFER_ARC}.1.2`,
  /** server: signs receipts (Quittungen) */
  receiptSigning: `${WAHLKOFFER_ARC}.1.3`,
  /** server: signs published results */
  publicationSigning: `${WAHLKOFFER_ARC}.1.4`,
  /** election office: signs provisioning bundles */
  provisioning: `${WAHLKOFFER_ARC}.1.5`,
  /** server: signs transparency-log checkpoints (Ed25519, C2SP signed notes) */
  checkpointSigning: `${WAHLKOFFER_ARC}.1.6`,
  /** RFC 5280 id-kp-serverAuth */
  serverAuth: '1.3.6.1.5.5.7.3.1',
  /** RFC 5280 id-kp-emailProtection: lets `openssl cms -verify` (purpose smime) accept station signatures */
  emailProtection: '1.3.6.1.5.5.7.3.4',
} as const;

export const OID = {
  data: '1.2.840.113549.1.7.1',
  signedData: '1.2.840.113549.1.7.2',
  contentType: '1.2.840.113549.1.9.3',
  messageDigest: '1.2.840.113549.1.9.4',
  signingTime: '1.2.840.113549.1.9.5',
  sha256: '2.16.840.1.101.3.4.2.1',
  ecdsaWithSha256: '1.2.840.10045.4.3.2',
  ecPublicKey: '1.2.840.10045.2.1',
  prime256v1: '1.2.840.10045.3.1.7',
} as const;
