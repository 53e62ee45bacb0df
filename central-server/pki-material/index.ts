// The server's PKI port (ports.ts) built from a PKI directory.
export { loadServerPki } from './server-pki.ts';
export { CrlFollower, CRL_CHECK_MS, type CrlStatus } from './crl-follower.ts';
export { StationRegister } from './station-register.ts';
export { loadVerifierPki, type VerifierPki } from './verifier-pki.ts';
export { loadIntakeReceiptSigner } from './receipt-fields.ts';
