import type { Prisma } from './database.ts';
import type { Prisma as PrismaTypes } from './generated/client.ts';
import { insertMany } from './bulk-insert.ts';
import { writeIntakeBatch } from './intake-batch-sql.ts';
import { PrismaOfficeActionStore, type OfficeActionStore } from '../office/actions/store.ts';
import { PrismaOfficeUserStore, type OfficeUserStore } from '../office/auth/store.ts';
import { PrismaLiveFeedStore, type LiveFeedStore } from '../office/live/store.ts';
import type {
  AuditRow,
  CheckpointRow,
  IntakeBatch,
  LeafRow,
  NodeRow,
  Installation,
  IntakeStore,
  OpenedSession,
  PrecinctHistory,
  ReceiptRow,
  RefusedRequestRow,
  ServerRepository,
  StationImport,
  StationRecord,
  StoredHeads,
  StoredState,
  StoredTail,
} from './repository.ts';

const TX = { maxWait: 30_000, timeout: 60_000 };
/** stations looked up and inserted per statement when the register is imported */
const STATIONS_PER_QUERY = 1_000;

type Transaction = PrismaTypes.TransactionClient;

/**
 * The repository on Prisma: SQLite through @prisma/adapter-better-sqlite3, or PostgreSQL through
 * @prisma/adapter-pg (the same queries; `provider` only picks how a transaction skips its fsync).
 */
export class PrismaRepository implements ServerRepository {
  /**
   * @param intakeStore the SQLite fast path for the intake's batch write; without it (PostgreSQL)
   *   the batch goes through Prisma's tagged SQL.
   */
  constructor(
    private readonly prisma: Prisma,
    private readonly intakeStore?: IntakeStore,
    private readonly provider: 'sqlite' | 'postgresql' = 'sqlite',
  ) {
    this.officeActions = new PrismaOfficeActionStore(prisma);
    this.officeUsers = new PrismaOfficeUserStore(prisma);
    this.liveFeed = new PrismaLiveFeedStore(prisma);
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
    return this.prisma.$transaction(async (tx) => {
      let added = 0;
      let changed = 0;
      // In slices: one query over a national register (90,652 stations) makes Prisma's query
      // compiler grow its WebAssembly memory by ~600 MB, which it never gives back (decision 0067)
      for (let start = 0; start < stations.length; start += STATIONS_PER_QUERY) {
        const slice = stations.slice(start, start + STATIONS_PER_QUERY);
        const existing = new Map(
          (
            await tx.station.findMany({
              where: { precinctId: { in: slice.map((s) => s.precinctId) } },
              select: {
                precinctId: true,
                electionId: true,
                certFingerprint: true,
                totpSecretEnc: true,
              },
            })
          ).map((s) => [s.precinctId, s] as const),
        );
        const fresh = slice.filter((s) => !existing.has(s.precinctId));
        await insertMany(
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
          await tx.station.update({
            where: { precinctId: s.precinctId },
            data: { ...s, ...(newCertificate ? { failedAttempts: 0, lastFailureAt: null } : {}) },
          });
          changed += 1;
        }
      }
      return { added, changed };
    }, TX);
  }

  async findStation(precinctId: string): Promise<StationRecord | null> {
    return this.prisma.station.findUnique({ where: { precinctId } });
  }

  async claimInstallation(installation: Installation, now: Date): Promise<Installation> {
    const stored = await this.prisma.installation.findUnique({ where: { id: 1 } });
    if (stored !== null) return { electionId: stored.electionId, keyCheck: stored.keyCheck };
    await this.prisma.installation.create({ data: { id: 1, ...installation, createdAt: now } });
    return installation;
  }

  async recordTotpSuccess(
    precinctId: string,
    timeStep: number,
    audit: AuditRow,
    session: OpenedSession,
  ): Promise<boolean> {
    return this.withoutFsync(async (tx) => {
      // The atomic replay guard: only a strictly newer step wins (RFC 6238 §5.2). On PostgreSQL
      // a concurrent UPDATE of the same row waits and re-checks the condition, so of two servers
      // accepting the same code at once exactly one succeeds.
      const { count } = await tx.station.updateMany({
        where: { precinctId, totpLastStep: { lt: timeStep } },
        data: {
          totpLastStep: timeStep,
          failedAttempts: 0,
          lastFailureAt: null,
          sessionRequest: session.request,
          sessionOpenedAt: session.at,
        },
      });
      if (count !== 1) return false;
      await tx.auditEvent.create({ data: audit });
      return true;
    });
  }

  /**
   * Session bookkeeping commits without its own fsync (SQLite: synchronous=NORMAL for that one
   * transaction; PostgreSQL: `SET LOCAL synchronous_commit = off`): the log is written in order,
   * so the next intake COMMIT (with fsync) makes them durable too, and a power cut before that
   * loses only a tail of session rows, never a receipted report (decisions/0030). A lost TOTP
   * step could at worst be used once more within its ±30 s window. Without this, 90,000 kits
   * opening sessions would queue behind 90,000 fsyncs. Callers hold the server's write lock, so
   * no other transaction sees SQLite's relaxed setting.
   */
  private async withoutFsync<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    if (this.provider === 'postgresql') {
      return this.prisma.$transaction(async (tx) => {
        await tx.$executeRawUnsafe('SET LOCAL synchronous_commit = off');
        return fn(tx);
      }, TX);
    }
    await this.prisma.$executeRawUnsafe('PRAGMA synchronous = NORMAL');
    try {
      return await this.prisma.$transaction(fn, TX);
    } finally {
      await this.prisma.$executeRawUnsafe('PRAGMA synchronous = FULL');
    }
  }

  async recordTotpFailure(precinctId: string, at: Date, audit: AuditRow): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.station.update({
        where: { precinctId },
        data: { failedAttempts: { increment: 1 }, lastFailureAt: at },
      });
      await tx.auditEvent.create({ data: audit });
    }, TX);
  }

  async appendAudit(audit: AuditRow): Promise<void> {
    await this.prisma.auditEvent.create({ data: audit });
  }

  async commitIntake(batch: IntakeBatch): Promise<void> {
    if (this.intakeStore !== undefined) {
      await this.intakeStore.commit(batch);
      return;
    }
    await this.prisma.$transaction((tx) => writeIntakeBatch(tx, batch), TX);
  }

  async appendRefusals(rows: readonly RefusedRequestRow[]): Promise<void> {
    await this.prisma.refusedRequest.createMany({ data: [...rows] });
  }

  async countRefusals(): Promise<number> {
    return this.prisma.refusedRequest.count();
  }

  async findReceipt(sequence: number): Promise<ReceiptRow | null> {
    return this.prisma.receipt.findUnique({ where: { sequence } });
  }

  async loadState(): Promise<StoredState> {
    const tail = await this.loadTail(0);
    const current = await this.prisma.currentReport.findMany();
    return { ...tail, current };
  }

  async loadTail(afterSequence: number): Promise<StoredTail> {
    const heads = await this.heads();
    const reports =
      heads.lastSequence > afterSequence
        ? await this.prisma.report.findMany({
            where: { sequence: { gt: afterSequence, lte: heads.lastSequence } },
            omit: { signedData: true },
            orderBy: { sequence: 'asc' },
          })
        : [];
    return { ...heads, reports };
  }

  /**
   * The heads in one statement (one snapshot). Batches commit in sequence order, so every report
   * up to `lastSequence` is visible to the query that follows.
   */
  private async heads(): Promise<StoredHeads> {
    const rows = await this.prisma.$queryRaw<
      {
        lastEnvelopeId: number | bigint | null;
        lastSequence: number | bigint | null;
        auditId: number | bigint | null;
        auditHash: string | null;
        lastLeaf: number | bigint | null;
        checkpointSize: number | bigint | null;
        checkpointNote: string | null;
      }[]
    >`SELECT (SELECT MAX("id") FROM "ReceivedEnvelope") AS "lastEnvelopeId",
        (SELECT MAX("sequence") FROM "Report") AS "lastSequence",
        (SELECT "id" FROM "AuditEvent" ORDER BY "id" DESC LIMIT 1) AS "auditId",
        (SELECT "hash" FROM "AuditEvent" ORDER BY "id" DESC LIMIT 1) AS "auditHash",
        (SELECT MAX("index") FROM "LogLeaf") AS "lastLeaf",
        (SELECT "size" FROM "Checkpoint" ORDER BY "size" DESC LIMIT 1) AS "checkpointSize",
        (SELECT "note" FROM "Checkpoint" ORDER BY "size" DESC LIMIT 1) AS "checkpointNote"`;
    const row = rows[0];
    const auditId = Number(row?.auditId ?? 0);
    const checkpointNote = row?.checkpointNote ?? null;
    return {
      logSize: row?.lastLeaf === null || row?.lastLeaf === undefined ? 0 : Number(row.lastLeaf) + 1,
      checkpoint:
        checkpointNote === null
          ? null
          : { size: Number(row?.checkpointSize ?? 0), note: checkpointNote },
      lastEnvelopeId: Number(row?.lastEnvelopeId ?? 0),
      lastSequence: Number(row?.lastSequence ?? 0),
      auditHead:
        row?.auditHash === null || row?.auditHash === undefined
          ? null
          : { id: auditId, hash: row.auditHash },
    };
  }

  async precinctHistory(precinctId: string, rejectionLimit: number): Promise<PrecinctHistory> {
    const reports = await this.prisma.report.findMany({
      where: { precinctId },
      select: {
        sequence: true,
        contestId: true,
        revision: true,
        acceptedAt: true,
        contentHash: true,
      },
      orderBy: { sequence: 'asc' },
    });
    const receipts = await this.prisma.receipt.findMany({
      where: { sequence: { in: reports.map((r) => r.sequence) } },
      select: { sequence: true, receiptCode: true },
    });
    const codes = new Map(receipts.map((r) => [r.sequence, r.receiptCode] as const));
    const rejections = await this.prisma.receivedEnvelope.findMany({
      where: { precinctId, verdict: 'REJECTED' },
      select: {
        id: true,
        receivedAt: true,
        contestId: true,
        revision: true,
        code: true,
        detail: true,
      },
      orderBy: { id: 'desc' },
      take: rejectionLimit,
    });
    return {
      reports: reports.map((r) => ({ ...r, receiptCode: codes.get(r.sequence) ?? '' })),
      rejections,
    };
  }

  async logNodes(ids: readonly { level: number; index: number }[]): Promise<NodeRow[]> {
    if (ids.length === 0) return [];
    return this.prisma.logNode.findMany({
      where: { OR: ids.map(({ level, index }) => ({ level, index })) },
    });
  }

  async logLeaves(start: number, end: number): Promise<LeafRow[]> {
    if (end <= start) return [];
    return this.prisma.logLeaf.findMany({
      where: { index: { gte: start, lt: end } },
      orderBy: { index: 'asc' },
    });
  }

  async checkpointAt(size: number): Promise<CheckpointRow | null> {
    return this.prisma.checkpoint.findUnique({ where: { size } });
  }

  async latestCheckpoint(): Promise<CheckpointRow | null> {
    return this.prisma.checkpoint.findFirst({ orderBy: { size: 'desc' } });
  }

  async close(): Promise<void> {
    await this.intakeStore?.close();
    await this.prisma.$disconnect();
  }
}
