/**
 * The data layer as the core sees it (`SqlRepository` on SQLite or PostgreSQL, sql-repository.ts).
 * The core never touches the database directly. Every write method is one transaction: all of it
 * is stored, or none of it.
 */

export type StationImport = {
  readonly precinctId: string;
  readonly electionId: string;
  readonly certSerial: string;
  readonly certFingerprint: string;
  readonly totpSecretEnc: string;
};

export type StationRecord = StationImport & {
  readonly totpLastStep: number;
  readonly failedAttempts: number;
  readonly lastFailureAt: Date | null;
  /** the session request that used `totpLastStep` (its hash) and when its token was issued */
  readonly sessionRequest: string | null;
  readonly sessionOpenedAt: Date | null;
};

/** The session a successful TOTP check opened: its request's hash and the token's issue time. */
export type OpenedSession = { readonly request: string; readonly at: Date };

/** What every server on one database must share (checked at start, decisions/0112). */
export type Installation = { readonly electionId: string; readonly keyCheck: string };

/** One audit event, already chained (hash = sha256(prevHash ‖ event)). */
export type AuditRow = {
  readonly id: number;
  readonly at: Date;
  readonly kind: string;
  readonly precinctId: string | null;
  readonly requestId: string | null;
  readonly event: string;
  readonly prevHash: string;
  readonly hash: string;
};

export type EnvelopeRow = {
  readonly id: number;
  readonly receivedAt: Date;
  readonly requestId: string;
  readonly precinctId: string | null;
  readonly contestId: string | null;
  readonly revision: number | null;
  readonly sha256: string;
  readonly body: Uint8Array;
  readonly verdict: 'ACCEPTED' | 'REPEATED' | 'REJECTED';
  readonly code: string | null;
  readonly detail: string | null;
};

export type ReportRow = {
  readonly sequence: number;
  readonly envelopeId: number;
  readonly electionId: string;
  readonly precinctId: string;
  readonly contestId: string;
  readonly revision: number;
  readonly correctionReason: string | null;
  readonly envelopeHash: string;
  readonly contentHash: string;
  readonly signedBytes: Uint8Array;
  readonly signedData: Uint8Array;
  readonly counts: string;
  readonly certSerial: string;
  readonly certFingerprint: string;
  readonly signingTime: Date;
  readonly acceptedAt: Date;
  readonly acknowledgements: string;
  /** "kit" or "telefonisch" (decisions/0089) */
  readonly source: string;
};

export type ReceiptRow = {
  readonly sequence: number;
  readonly issuedAt: Date;
  readonly receipt: Uint8Array;
  readonly receiptCode: string;
};

/** The pointer to the current revision of one precinct and contest (the one row that changes). */
export type CurrentRow = {
  readonly precinctId: string;
  readonly contestId: string;
  readonly sequence: number;
  readonly revision: number;
};

/** A transparency-log leaf: the canonical record of one accepted report (transparency/leaf.ts). */
export type LeafRow = { readonly index: number; readonly sequence: number; readonly leaf: string };

/** A complete subtree of the log's Merkle tree (level 0: leaf hashes). */
export type NodeRow = { readonly level: number; readonly index: number; readonly hash: Uint8Array };

/** A signed checkpoint (c2sp.org/tlog-checkpoint) of the log at `size` leaves. */
export type CheckpointRow = {
  readonly size: number;
  /** the root hash, base64 */
  readonly root: string;
  readonly note: string;
  readonly createdAt: Date;
};

/**
 * Everything one group commit writes, in one transaction (intake/batch.ts assembles it). A new
 * per-report table gets its rows here, in `BatchBuilder.accept`, and in every `IntakeStore`.
 */
export type IntakeBatch = {
  readonly envelopes: readonly EnvelopeRow[];
  readonly reports: readonly ReportRow[];
  readonly receipts: readonly ReceiptRow[];
  /** the new current revision per (precinct, contest) after this batch */
  readonly current: readonly CurrentRow[];
  readonly audit: readonly AuditRow[];
  /** the transparency log: one leaf per report, the nodes they complete, the new checkpoint */
  readonly leaves: readonly LeafRow[];
  readonly nodes: readonly NodeRow[];
  readonly checkpoints: readonly CheckpointRow[];
};

/**
 * The intake's batch write: one transaction per group commit, all rows or none. SQLite's is
 * `SqliteIntakeStore` (in its own thread: `ThreadedIntakeStore`), PostgreSQL's
 * `PostgresIntakeStore`.
 */
export interface IntakeStore {
  commit(batch: IntakeBatch): Promise<void>;
  close(): Promise<void>;
}

/** The ends of the numbered chains: the last envelope id, receipt sequence and audit row. */
export type StoredHeads = {
  readonly lastEnvelopeId: number;
  readonly lastSequence: number;
  readonly auditHead: { readonly id: number; readonly hash: string } | null;
  /** the transparency log: its number of leaves and its last checkpoint */
  readonly logSize: number;
  readonly checkpoint: { readonly size: number; readonly note: string } | null;
};

/** What the server rebuilds its in-memory state from at start. */
export type StoredState = StoredHeads & {
  readonly reports: readonly Omit<ReportRow, 'signedData'>[];
  readonly current: readonly { precinctId: string; contestId: string; sequence: number }[];
};

/**
 * What was committed after a known sequence number (by another server on the same PostgreSQL
 * database): the heads as one snapshot, and the reports up to its `lastSequence`, in order.
 */
export type StoredTail = StoredHeads & {
  readonly reports: readonly Omit<ReportRow, 'signedData'>[];
};

export type PrecinctHistory = {
  readonly reports: readonly (Pick<
    ReportRow,
    'sequence' | 'contestId' | 'revision' | 'acceptedAt' | 'contentHash'
  > & { receiptCode: string })[];
  readonly rejections: readonly Pick<
    EnvelopeRow,
    'id' | 'receivedAt' | 'contestId' | 'revision' | 'code' | 'detail'
  >[];
};

/** A request refused without a valid session (refusal-log.ts): never its body. */
export type RefusedRequestRow = {
  readonly at: Date;
  readonly route: string;
  readonly code: string;
  readonly size: number | null;
  readonly hash: string | null;
  readonly source: string;
};

export interface ServerRepository {
  /**
   * Adds new stations and updates changed ones (a new certificate or TOTP secret); the others are
   * left alone. A station with a new certificate starts with no failed attempts.
   */
  importStations(
    stations: readonly StationImport[],
    now: Date,
  ): Promise<{ added: number; changed: number }>;
  findStation(precinctId: string): Promise<StationRecord | null>;
  /** Stores `installation` if the database has none yet; returns what the database holds. */
  claimInstallation(installation: Installation, now: Date): Promise<Installation>;
  /**
   * Stores a successful TOTP step, with the session it opened, only if it is newer than the
   * stored one (false = replay race).
   */
  recordTotpSuccess(
    precinctId: string,
    timeStep: number,
    audit: AuditRow,
    session: OpenedSession,
  ): Promise<boolean>;
  recordTotpFailure(precinctId: string, at: Date, audit: AuditRow): Promise<void>;
  appendAudit(audit: AuditRow): Promise<void>;
  commitIntake(batch: IntakeBatch): Promise<void>;
  /** Stores refusals of requests without a valid session, in one transaction. */
  appendRefusals(rows: readonly RefusedRequestRow[]): Promise<void>;
  countRefusals(): Promise<number>;
  findReceipt(sequence: number): Promise<ReceiptRow | null>;
  loadState(): Promise<StoredState>;
  /** The heads now, and the reports with a sequence number above `afterSequence` (catch-up). */
  loadTail(afterSequence: number): Promise<StoredTail>;
  precinctHistory(precinctId: string, rejectionLimit: number): Promise<PrecinctHistory>;
  /** The stored tree nodes among `ids` (a proof plan's or a frontier's nodes), in one query. */
  logNodes(ids: readonly { level: number; index: number }[]): Promise<NodeRow[]>;
  /** The leaves with index in [start, end), in order. */
  logLeaves(start: number, end: number): Promise<LeafRow[]>;
  /** The checkpoint of exactly `size` leaves, or null. */
  checkpointAt(size: number): Promise<CheckpointRow | null>;
  /** The checkpoint of the most leaves, or null before the first report. */
  latestCheckpoint(): Promise<CheckpointRow | null>;
  close(): Promise<void>;
}
