import type { EnvelopeOpener, ReceiptSigner } from './intake/types.ts';
import type { CrlStatus } from './pki-material/crl-follower.ts';
import type { StationImport } from './storage/repository.ts';
import type { CheckpointSigner } from './log/append.ts';

/**
 * What the server needs from the PKI, as functions. `pki-material.ts` builds them from a PKI
 * directory with the pki package; the core never sees keys or certificates directly.
 */
export type StationProof = {
  readonly certificateChain: readonly string[];
  readonly challenge: string;
  readonly signature: string;
};

/** The server's TLS key and certificate chain (PEM) as the PKI ceremony made them. */
export type TlsMaterial = {
  readonly keyPem: string;
  /** the TLS certificate, then the issuing CA */
  readonly certificateChainPem: string;
};

export type ServerPki = {
  readonly electionId: string;
  /** where the kits were told to reach the server (`pki init --server-url`, in every bundle) */
  readonly kitUrl: string;
  /** HTTPS material; a server without it can only serve plain HTTP */
  readonly tls?: TlsMaterial;
  readonly openEnvelope: EnvelopeOpener;
  readonly signReceipts: ReceiptSigner;
  /** signs a checkpoint of the transparency log with the ceremony's Ed25519 key (decisions/0090) */
  readonly signCheckpoint: CheckpointSigner;
  /** possession of the station key; throws PkiError (SESSION_PROOF_INVALID, CERT_*) */
  readonly verifyStationProof: (
    proof: StationProof,
    now: Date,
  ) => Promise<{ precinctId: string; serial: string; fingerprint: string }>;
  /** throws PkiError CERT_REVOKED (or CRL_EXPIRED) for a station certificate, by serial */
  readonly checkNotRevoked: (serial: string, now: Date) => Promise<void>;
  /**
   * Re-reads the station register if it changed (a kit issued or re-issued while the server
   * runs); returns the stations that are new or whose certificate changed.
   */
  readonly reloadStations: () => Promise<readonly StationImport[]>;
  readonly decryptTotpSecret: (station: StationImport) => string;
  /** secret keying material for session tokens and challenges (never leaves the process) */
  readonly sessionKeyMaterial: Uint8Array;
  /** re-reads crl.pem if it changed, so a revocation takes effect at once; never throws */
  readonly reloadCrl: (now: Date) => Promise<CrlStatus>;
  /** the CRL in force and the last failed reload (for /healthz) */
  readonly crlStatus: () => CrlStatus;
  /**
   * Verifies every current station certificate into the trust cache ahead of its first report
   * (a verification worker's cache starts empty); stops early when `shouldStop()` says so, and
   * tells `progress` how far it is (every 1,000 certificates and at the end).
   */
  readonly preloadStationCertificates?: (
    shouldStop: () => boolean,
    progress?: (p: PreloadProgress) => void,
  ) => Promise<number>;
  /**
   * The publication key's detached CMS SignedData over `content` (manifest.p7s), with the
   * publication certificate and the issuing CA inside, so `openssl cms -verify` needs only the root.
   */
  readonly signPublication: (content: Uint8Array, signingTime: Date) => Buffer;
};

/** How far a verification worker's certificate preload is (for /healthz and the benchmark). */
export type PreloadProgress = {
  /** certificates read so far (accepted or not) */
  readonly read: number;
  /** current station certificates in the register when the preload began */
  readonly of: number;
  readonly done: boolean;
  /** why it stopped early, if it failed (the reports' own verification is unaffected) */
  readonly error?: string;
};
