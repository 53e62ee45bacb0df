import { SqlOfficeActionStore, type OfficeActionStore } from '../office/actions/store.ts';
import { SqlOfficeUserStore, type OfficeUserStore } from '../office/auth/store.ts';
import { SqlLiveFeedStore, type LiveFeedStore } from '../office/live/store.ts';
import type {
  AuditRow,
  CheckpointRow,
  CurrentRow,
  IntakeBatch,
  LeafRow,
  NodeRow,
  Installation,
  IntakeStore,
  OpenedSession,
  PrecinctHistory,
  ReceiptRow,
  RefusedRequestRow,
  ReportRow,
  ServerRepository,
  StationImport,
  StationRecord,
  StoredHeads,
  StoredState,
  StoredTail,
} from './repository.ts';
import { insertAudit } from './intake-batch-sql.ts';
import { insertRows, type SqlClient } from './sql-client.ts';

/** stations looked up and inserted per statement when the register is imported */
const STATIONS_PER_QUERY = 1_000;

/** The columns of a Report row the server reads back (the signed data only the audit export). */
const REPORT_READ = `"sequence", "envelopeId", "electionId", "precinctId", "contestId", "revision",
  "correctionReason", "envelopeHash", "contentHash", "signedBytes", "counts", "certSerial",
  "certFingerprint", "signingTime", "acceptedAt", "acknowledgements", "source"`;

/**
 * The repository in plain SQL on SQLite (better-sqlite3 in the main thread, the intake's batches in
 * the writer thread) or PostgreSQL (pg): the same statements, `?` placeholders made `$n` for pg.
 * Prisma stays the schema's owner (migrations in their own thread) and the audit export's reader,
 * but is never loaded by a running server (decision 0067, s7 follow-up).
 */
export class SqlRepository implements ServerRepository {
  /**
   * @param intakeStore the intake's batch write (SQLite: its own connection in the writer thread;
   *   PostgreSQL: multi-row INSERTs on the pool)
   */
  constructor(
    private readonly sql: SqlClient,
    private readonly intakeStore: IntakeStore,
  ) {
    this.officeActions = new SqlOfficeActionStore(sql);
    this.officeUsers = new SqlOfficeUserStore(sql);
    this.liveFeed = new SqlLiveFeedStore(sql);
  }

  /** the dashboard's users and sessions (decisions/0085, 0086) */
  readonly officeUsers: OfficeUserStore;

  /** the office's phone confirmations, phoned-in entries and station contacts (decisions/0089) */
  readonly officeActions: OfficeActionStore;

  /** the audit and refusal logs read forward, for the office's live board (decisions/0087) */
  readonly liveFeed: LiveFeedStore;

  async importStations(
    stations: readonly StationImport[],
    now: Date,
  ): Promise<{ added: number; changed: number }> {
    return this.sql.transaction(async (tx) => {
      let added = 0;
      let changed = 0;
      // in slices: a statement's placeholders stay far below either database's limit
      for (let start = 0; start < stations.length; start += STATIONS_PER_QUERY) {
        const slice = stations.slice(start, start + STATIONS_PER_QUERY);
        const found = await tx.all<
          Pick<StationImport, 'precinctId' | 'electionId' | 'certFingerprint' | 'totpSecretEnc'>
        >(
          `SELECT "precinctId", "electionId", "certFingerprint", "totpSecretEnc" FROM "Station"
           WHERE "precinctId" IN (${slice.map(() => '?').join(', ')})`,
          slice.map((s) => s.precinctId),
        );
        const existing = new Map(found.map((s) => [s.precinctId, s] as const));
        const fresh = slice.filter((s) => !existing.has(s.precinctId));
        await insertRows(
          tx,
          'Station',
          [
            'precinctId',
            'electionId',
            'certSerial',
            'certFingerprint',
            'totpSecretEnc',
            'importedAt',
          ],
          fresh.map((s) => ({ ...s, importedAt: now })),
        );
        added += fresh.length;
        for (const s of slice) {
          const old = existing.get(s.precinctId);
          if (old === undefined) continue;
          if (
            old.certFingerprint === s.certFingerprint &&
            old.totpSecretEnc === s.totpSecretEnc &&
            old.electionId === s.electionId
          ) {
            continue;
          }
          // A re-issued station (new certificate or TOTP secret): keep the replay floor; the
          // lock-out belongs to the old certificate (a stolen kit's guesses must not lock out
          // its replacement).
          const newCertificate = old.certFingerprint !== s.certFingerprint;
          await tx.run(
            `UPDATE "Station" SET "electionId" = ?, "certSerial" = ?, "certFingerprint" = ?,
             "totpSecretEnc" = ?${newCertificate ? ', "failedAttempts" = 0, "lastFailureAt" = NULL' : ''}
             WHERE "precinctId" = ?`,
            [s.electionId, s.certSerial, s.certFingerprint, s.totpSecretEnc, s.precinctId],
          );
          changed += 1;
        }
      }
      return { added, changed };
    });
  }

  async findStation(precinctId: string): Promise<StationRecord | null> {
    const rows = await this.sql.all<StationRecord>(
      'SELECT * FROM "Station" WHERE "precinctId" = ?',
      [precinctId],
    );
    return rows[0] ?? null;
  }

  async claimInstallation(installation: Installation, now: Date): Promise<Installation> {
    // the first server's row wins, also when two start at the same moment
    await this.sql.run(
      `INSERT INTO "Installation" ("id", "electionId", "keyCheck", "createdAt") VALUES (1, ?, ?, ?)
       ON CONFLICT ("id") DO NOTHING`,
      [installation.electionId, installation.keyCheck, now],
    );
    const [stored] = await this.sql.all<Installation>(
      'SELECT "electionId", "keyCheck" FROM "Installation" WHERE "id" = 1',
    );
    return { electionId: stored!.electionId, keyCheck: stored!.keyCheck };
  }

  /**
   * Session bookkeeping commits without its own fsync (SQLite: synchronous=NORMAL for that one
   * transaction; PostgreSQL: `SET LOCAL synchronous_commit = off`): the log is written in order,
   * so the next intake COMMIT (with fsync) makes them durable too, and a power cut before that
   * loses only a tail of session rows, never a receipted report (decisions/0030). A lost TOTP
   * step could at worst be used once more within its ±30 s window. Without this, 90,000 kits
   * opening sessions would queue behind 90,000 fsyncs. Callers hold the server's write lock.
   */
  async recordTotpSuccess(
    precinctId: string,
    timeStep: number,
    audit: AuditRow,
    session: OpenedSession,
  ): Promise<boolean> {
    return this.sql.transaction(
      async (tx) => {
        // The atomic replay guard: only a strictly newer step wins (RFC 6238 §5.2). On
        // PostgreSQL a concurrent UPDATE of the same row waits and re-checks the condition, so
        // of two servers accepting the same code at once exactly one succeeds.
        const count = await tx.run(
          `UPDATE "Station" SET "totpLastStep" = ?, "failedAttempts" = 0, "lastFailureAt" = NULL,
           "sessionRequest" = ?, "sessionOpenedAt" = ?
           WHERE "precinctId" = ? AND "totpLastStep" < ?`,
          [timeStep, session.request, session.at, precinctId, timeStep],
        );
        if (count !== 1) return false;
        await insertAudit(tx, audit);
        return true;
      },
      { durable: false },
    );
  }

  async recordTotpFailure(precinctId: string, at: Date, audit: AuditRow): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const count = await tx.run(
        `UPDATE "Station" SET "failedAttempts" = "failedAttempts" + 1, "lastFailureAt" = ?
         WHERE "precinctId" = ?`,
        [at, precinctId],
      );
      if (count !== 1) throw new Error(`no station ${precinctId} to record a failure for`);
      await insertAudit(tx, audit);
    });
  }

  async appendAudit(audit: AuditRow): Promise<void> {
    await insertAudit(this.sql, audit);
  }

  async commitIntake(batch: IntakeBatch): Promise<void> {
    await this.intakeStore.commit(batch);
  }

  async appendRefusals(rows: readonly RefusedRequestRow[]): Promise<void> {
    await this.sql.transaction((tx) =>
      insertRows(tx, 'RefusedRequest', ['at', 'route', 'code', 'size', 'hash', 'source'], rows),
    );
  }

  async countRefusals(): Promise<number> {
    const [row] = await this.sql.all<{ n: number }>(
      'SELECT CAST(COUNT(*) AS INTEGER) AS "n" FROM "RefusedRequest"',
    );
    return row!.n;
  }

  async findReceipt(sequence: number): Promise<ReceiptRow | null> {
    const rows = await this.sql.all<ReceiptRow>(
      'SELECT "sequence", "issuedAt", "receipt", "receiptCode" FROM "Receipt" WHERE "sequence" = ?',
      [sequence],
    );
    return rows[0] ?? null;
  }

  async loadState(): Promise<StoredState> {
    const tail = await this.loadTail(0);
    const current = await this.sql.all<CurrentRow>(
      'SELECT "precinctId", "contestId", "sequence", "revision" FROM "CurrentReport"',
    );
    return { ...tail, current };
  }

  async loadTail(afterSequence: number): Promise<StoredTail> {
    const heads = await this.heads();
    const reports =
      heads.lastSequence > afterSequence
        ? await this.sql.all<Omit<ReportRow, 'signedData'>>(
            `SELECT ${REPORT_READ} FROM "Report" WHERE "sequence" > ? AND "sequence" <= ?
             ORDER BY "sequence"`,
            [afterSequence, heads.lastSequence],
          )
        : [];
    return { ...heads, reports };
  }

  /**
   * The heads in one statement (one snapshot). Batches commit in sequence order, so every report
   * up to `lastSequence` is visible to the query that follows.
   */
  private async heads(): Promise<StoredHeads> {
    const [row] = await this.sql.all<{
      lastEnvelopeId: number | null;
      lastSequence: number | null;
      auditId: number | null;
      auditHash: string | null;
      lastLeaf: number | null;
      checkpointSize: number | null;
      checkpointNote: string | null;
    }>(`SELECT (SELECT MAX("id") FROM "ReceivedEnvelope") AS "lastEnvelopeId",
        (SELECT MAX("sequence") FROM "Report") AS "lastSequence",
        (SELECT "id" FROM "AuditEvent" ORDER BY "id" DESC LIMIT 1) AS "auditId",
        (SELECT "hash" FROM "AuditEvent" ORDER BY "id" DESC LIMIT 1) AS "auditHash",
        (SELECT MAX("index") FROM "LogLeaf") AS "lastLeaf",
        (SELECT "size" FROM "Checkpoint" ORDER BY "size" DESC LIMIT 1) AS "checkpointSize",
        (SELECT "note" FROM "Checkpoint" ORDER BY "size" DESC LIMIT 1) AS "checkpointNote"`);
    const checkpointNote = row?.checkpointNote ?? null;
    return {
      logSize: row?.lastLeaf === null || row?.lastLeaf === undefined ? 0 : row.lastLeaf + 1,
      checkpoint:
        checkpointNote === null ? null : { size: row?.checkpointSize ?? 0, note: checkpointNote },
      lastEnvelopeId: row?.lastEnvelopeId ?? 0,
      lastSequence: row?.lastSequence ?? 0,
      auditHead:
        row?.auditHash === null || row?.auditHash === undefined
          ? null
          : { id: row.auditId ?? 0, hash: row.auditHash },
    };
  }

  async precinctHistory(precinctId: string, rejectionLimit: number): Promise<PrecinctHistory> {
    const reports = await this.sql.all<PrecinctHistory['reports'][number]>(
      `SELECT r."sequence", r."contestId", r."revision", r."acceptedAt", r."contentHash",
         COALESCE(c."receiptCode", '') AS "receiptCode"
       FROM "Report" r LEFT JOIN "Receipt" c ON c."sequence" = r."sequence"
       WHERE r."precinctId" = ? ORDER BY r."sequence"`,
      [precinctId],
    );
    const rejections = await this.sql.all<PrecinctHistory['rejections'][number]>(
      `SELECT "id", "receivedAt", "contestId", "revision", "code", "detail" FROM "ReceivedEnvelope"
       WHERE "precinctId" = ? AND "verdict" = 'REJECTED' ORDER BY "id" DESC LIMIT ?`,
      [precinctId, rejectionLimit],
    );
    return { reports, rejections };
  }

  async logNodes(ids: readonly { level: number; index: number }[]): Promise<NodeRow[]> {
    if (ids.length === 0) return [];
    return this.sql.all<NodeRow>(
      `SELECT "level", "index", "hash" FROM "LogNode"
       WHERE ${ids.map(() => '("level" = ? AND "index" = ?)').join(' OR ')}`,
      ids.flatMap(({ level, index }) => [level, index]),
    );
  }

  async logLeaves(start: number, end: number): Promise<LeafRow[]> {
    if (end <= start) return [];
    return this.sql.all<LeafRow>(
      `SELECT "index", "sequence", "leaf" FROM "LogLeaf" WHERE "index" >= ? AND "index" < ?
       ORDER BY "index"`,
      [start, end],
    );
  }

  async checkpointAt(size: number): Promise<CheckpointRow | null> {
    const rows = await this.sql.all<CheckpointRow>(
      'SELECT "size", "root", "note", "createdAt" FROM "Checkpoint" WHERE "size" = ?',
      [size],
    );
    return rows[0] ?? null;
  }

  async latestCheckpoint(): Promise<CheckpointRow | null> {
    const rows = await this.sql.all<CheckpointRow>(
      'SELECT "size", "root", "note", "createdAt" FROM "Checkpoint" ORDER BY "size" DESC LIMIT 1',
    );
    return rows[0] ?? null;
  }

  async close(): Promise<void> {
    await this.intakeStore.close();
    await this.sql.close();
  }
}
