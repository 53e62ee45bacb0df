import type { EnvelopeOpener, ReceiptSigner } from './intake/types.ts';
import type { StationImport } from './storage/repository.ts';

/**
 * What the server needs from the PKI, as functions. `pki-material.ts` builds them from a PKI
 * directory with the pki package; the core never sees keys or certificates directly.
 */
export type StationProof = {
  readonly certificateChain: readonly string[];
  readonly challenge: string;
  readonly signature: string;
};

export type ServerPki = {
  readonly electionId: string;
  readonly openEnvelope: EnvelopeOpener;
  readonly signReceipt: ReceiptSigner;
  /** possession of the station key; throws PkiError (SESSION_PROOF_INVALID, CERT_*) */
  readonly verifyStationProof: (
    proof: StationProof,
    now: Date,
  ) => Promise<{ precinctId: string; serial: string; fingerprint: string }>;
  /** the station register of the PKI directory (TOTP secrets encrypted) */
  readonly stations: () => readonly StationImport[];
  readonly decryptTotpSecret: (station: StationImport) => string;
  /** secret keying material for session tokens and challenges (never leaves the process) */
  readonly sessionKeyMaterial: Uint8Array;
  /** re-reads crl.pem so a revocation takes effect without a restart */
  readonly reloadCrl: (now: Date) => Promise<void>;
  /**
   * Verifies every current station certificate into the trust cache ahead of its first report
   * (a verification worker's cache starts empty); stops early when `shouldStop()` says so.
   */
  readonly preloadStationCertificates?: (shouldStop: () => boolean) => Promise<number>;
};
