import type { Prisma } from './database.ts';
import { databaseTarget, openDatabase } from './database.ts';
import { createPool, openPostgresClient } from './postgres/connection.ts';
import type { AuditRow, EnvelopeRow, RefusedRequestRow, ReportRow } from './repository.ts';

/** One received envelope with, when it was accepted, its report, receipt and whether it counts. */
export type AuditEnvelope = EnvelopeRow & {
  readonly report:
    | (ReportRow & {
        readonly receipt: { readonly jws: Uint8Array; readonly code: string } | null;
        /** this revision is the one CurrentReport counts */
        readonly current: boolean;
      })
    | null;
};

/** A leaf of the transparency log as stored (decisions/0090; the canonical record as text). */
export type AuditLogLeaf = {
  readonly index: number;
  readonly sequence: number;
  readonly leaf: string;
};
/** A request refused without a valid session, as stored (refusal-log.ts): never its body. */
export type AuditRefusedRequest = RefusedRequestRow & { readonly id: number };
export type AuditCheckpoint = {
  readonly size: number;
  readonly note: string;
  readonly createdAt: Date;
};

/**
 * Everything `wahlkoffer audit export` reads from a server database, page by page in id order so
 * 90,000 reports never sit in memory at once. Read-only: it opens the database without migrating
 * and never writes (a running server on PostgreSQL may keep working meanwhile).
 */
export type AuditSource = {
  readonly provider: 'sqlite' | 'postgresql';
  envelopes(): AsyncGenerator<AuditEnvelope>;
  auditEvents(): AsyncGenerator<AuditRow>;
  /** undefined when the database has no transparency log yet (made before the log existed) */
  logLeaves(): Promise<AsyncGenerator<AuditLogLeaf> | undefined>;
  checkpoints(): Promise<AuditCheckpoint[] | undefined>;
  /** undefined when the database has no such table (made before refusals were recorded) */
  refusedRequests(): Promise<AsyncGenerator<AuditRefusedRequest> | undefined>;
  close(): Promise<void>;
};

const PAGE = 500;

export async function openAuditSource(db: string): Promise<AuditSource> {
  const target = databaseTarget(db);
  if (target.provider === 'sqlite') {
    const prisma = await openDatabase(db);
    return sourceOn(prisma, 'sqlite', () => prisma.$disconnect());
  }
  const pool = createPool(target.url, { size: 2, applicationName: 'wahlkoffer-audit-export' });
  const prisma = await openPostgresClient(pool);
  return sourceOn(prisma, 'postgresql', async () => {
    await prisma.$disconnect();
    await pool.end();
  });
}

function sourceOn(
  prisma: Prisma,
  provider: 'sqlite' | 'postgresql',
  close: () => Promise<void>,
): AuditSource {
  const hasTable = async (name: string): Promise<boolean> => {
    const rows =
      provider === 'sqlite'
        ? await prisma.$queryRawUnsafe<unknown[]>(
            `SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?`,
            name,
          )
        : await prisma.$queryRawUnsafe<unknown[]>(
            `SELECT 1 FROM information_schema.tables WHERE table_name = $1`,
            name,
          );
    return rows.length > 0;
  };
  return {
    provider,
    envelopes: () => envelopes(prisma),
    auditEvents: () => auditEvents(prisma),
    logLeaves: async () => ((await hasTable('LogLeaf')) ? logLeaves(prisma) : undefined),
    checkpoints: async () => ((await hasTable('Checkpoint')) ? checkpoints(prisma) : undefined),
    refusedRequests: async () =>
      (await hasTable('RefusedRequest')) ? refusedRequests(prisma) : undefined,
    close,
  };
}

async function* envelopes(prisma: Prisma): AsyncGenerator<AuditEnvelope> {
  let after = 0;
  for (;;) {
    const page = await prisma.receivedEnvelope.findMany({
      where: { id: { gt: after } },
      orderBy: { id: 'asc' },
      take: PAGE,
    });
    if (page.length === 0) return;
    after = page[page.length - 1]!.id;
    const reports = await prisma.report.findMany({
      where: { envelopeId: { in: page.map((e) => e.id) } },
    });
    const sequences = reports.map((r) => r.sequence);
    const receipts = new Map(
      (await prisma.receipt.findMany({ where: { sequence: { in: sequences } } })).map((r) => [
        r.sequence,
        r,
      ]),
    );
    const current = new Set(
      (
        await prisma.currentReport.findMany({
          where: { sequence: { in: sequences } },
          select: { sequence: true },
        })
      ).map((c) => c.sequence),
    );
    const byEnvelope = new Map(reports.map((r) => [r.envelopeId, r]));
    for (const row of page) {
      const report = byEnvelope.get(row.id);
      const receipt = report === undefined ? undefined : receipts.get(report.sequence);
      yield {
        ...row,
        verdict: row.verdict as EnvelopeRow['verdict'],
        report:
          report === undefined
            ? null
            : {
                ...report,
                receipt:
                  receipt === undefined
                    ? null
                    : { jws: receipt.receipt, code: receipt.receiptCode },
                current: current.has(report.sequence),
              },
      };
    }
  }
}

/** Rows of a table with an integer id, in id order, a page at a time. */
async function* byId<T extends { readonly id: number }>(
  page: (query: {
    where: { id: { gt: number } };
    orderBy: { id: 'asc' };
    take: number;
  }) => Promise<T[]>,
): AsyncGenerator<T> {
  let after = 0;
  for (;;) {
    const rows = await page({
      where: { id: { gt: after } },
      orderBy: { id: 'asc' },
      take: PAGE * 4,
    });
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    yield* rows;
  }
}

const auditEvents = (prisma: Prisma): AsyncGenerator<AuditRow> =>
  byId((query) => prisma.auditEvent.findMany(query));

const refusedRequests = (prisma: Prisma): AsyncGenerator<AuditRefusedRequest> =>
  byId((query) => prisma.refusedRequest.findMany(query));

type RawLeaf = { index: number | bigint; sequence: number | bigint; leaf: string };
type RawCheckpoint = {
  size: number | bigint;
  note: string;
  createdAt: Date | string | number | bigint;
};

async function* logLeaves(prisma: Prisma): AsyncGenerator<AuditLogLeaf> {
  let after = -1;
  for (;;) {
    const page = await prisma.$queryRaw<RawLeaf[]>`
      SELECT "index", "sequence", "leaf" FROM "LogLeaf"
      WHERE "index" > ${after} ORDER BY "index" ASC LIMIT ${PAGE * 4}`;
    if (page.length === 0) return;
    after = Number(page[page.length - 1]!.index);
    for (const row of page) {
      yield { index: Number(row.index), sequence: Number(row.sequence), leaf: row.leaf };
    }
  }
}

/** Checkpoints in the order they were made (createdAt, then size): a rollback shows as a drop. */
async function checkpoints(prisma: Prisma): Promise<AuditCheckpoint[]> {
  const rows = await prisma.$queryRaw<RawCheckpoint[]>`
    SELECT "size", "note", "createdAt" FROM "Checkpoint" ORDER BY "createdAt" ASC, "size" ASC`;
  return rows.map((r) => ({
    size: Number(r.size),
    note: r.note,
    createdAt:
      r.createdAt instanceof Date
        ? r.createdAt
        : new Date(typeof r.createdAt === 'string' ? r.createdAt : Number(r.createdAt)),
  }));
}
