// Public surface of the election PKI. Other packages import from here only.
export { PkiError, PKI_MESSAGES, type PkiErrorCode } from './error.ts';
export { EKU, WAHLKOFFER_ARC } from './oids.ts';
export {
  parseCertificate,
  parseCertificatePem,
  stationIdentity,
  stationUri,
  toCertificate,
  type CertificateInfo,
  type CertificateInput,
} from './certificate.ts';
export {
  createTrust,
  parseCached,
  preloadCertificates,
  verifyCertificate,
  type CachedCertificate,
  type CertificateFacts,
  type Trust,
  type Purpose,
} from './chain.ts';
export {
  parseCrl,
  parseCrlPem,
  crlToPem,
  checkCrlSuccession,
  checkSerialNotRevoked,
  EMPTY_CRL,
  REVOCATION_REASON_NAMES,
  type Crl,
  type RevocationReason,
} from './crl.ts';
export {
  parseDetachedSignedData,
  parseSignedData,
  signSignedData,
  verifySignedDataSignature,
  type ParsedSignedData,
} from './cms.ts';
export { verifyCms, MAX_CLOCK_SKEW_MS } from './verify-cms.ts';
export { MELDUNG_FORMAT, MAX_ENVELOPE_BYTES, keyId, decryptEnvelope } from './envelope.ts';
export {
  sealMeldung,
  sealMeldungWithHash,
  openMeldung,
  verifySignedData,
  STATION_PURPOSE,
  type SealOptions,
  type OpenContext,
  type OpenedMeldung,
  type StationSigner,
} from './meldung.ts';
export {
  signReceipt,
  receiptSigner,
  verifyReceipt,
  receiptCode,
  RECEIPT_FORMAT,
  ReceiptSchema,
  ReceiptLogSchema,
  type Receipt,
  type ReceiptFields,
} from './receipt.ts';
export {
  signSessionChallenge,
  verifyStationProof,
  SESSION_PURPOSE,
  type StationProof,
} from './session.ts';
export {
  openBundle,
  signBundle,
  BUNDLE_FORMAT,
  BUNDLE_CONTENT_FORMAT,
  MAX_BUNDLE_BYTES,
  type OpenedBundle,
  type BundleContent,
} from './bundle.ts';
export { loadStationBundle, type StationMaterial } from './station-material.ts';
export {
  loadServerMaterial,
  loadPublicationSigner,
  loadReceiptSigner,
  loadVerifierMaterial,
  type ServerMaterial,
  type ServerSigner,
  type VerifierMaterial,
} from './server-material.ts';
export {
  CHECKPOINT_PURPOSE,
  checkpointKeyFromBundle,
  checkpointKeyFromCertificate,
  checkpointKeyFromText,
  logOrigin,
  type CheckpointSigner,
} from './log-key.ts';
export { initPki, openCa, validityWindows, type CaContext, type InitOptions } from './ceremony.ts';
export {
  alreadyIssued,
  issueStations,
  type IssueOptions,
  type IssueResult,
  type IssuedStation,
} from './issue.ts';
export { revokeStation, regenerateCrl } from './revocation.ts';
export {
  DEFAULT_SCRYPT_COST,
  TEST_SCRYPT_COST,
  encryptPrivateKey,
  decryptPrivateKey,
  type ScryptCost,
} from './key-encryption.ts';
export {
  generatePassphrase,
  normalisePassphrase,
  PASSPHRASE_BITS,
  wordList,
} from './passphrase.ts';
export { decryptStationSecret } from './secret-store.ts';
export { inspectFile, describeCertificate } from './inspect.ts';
export {
  paths as pkiPaths,
  currentStations,
  type StationRecord,
  type PkiMeta,
} from './store-layout.ts';
export { readRegister } from './register.ts';
export { readSecretBytes, readSecretText } from './secret-file.ts';
export { writeSecret as writeSecretFile } from './store-layout.ts';
