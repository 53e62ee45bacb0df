import type { Prisma } from '../../storage/database.ts';

/** The audit events the live board follows: refused reports and sessions, phone confirmations. */
export const LIVE_AUDIT_KINDS = ['REPORT_REJECTED', 'SESSION_REFUSED', 'PHONE_CONFIRMED'] as const;

export type LiveAuditRow = {
  readonly id: number;
  readonly at: Date;
  readonly kind: string;
  readonly precinctId: string | null;
  /** the canonical JSON of the event, as hashed into the chain */
  readonly event: string;
};

export type LiveRefusedRequestRow = {
  readonly id: number;
  readonly at: Date;
  readonly code: string;
  readonly source: string;
};

/**
 * What the live board reads from the database beside the intake's in-memory state: the audit
 * log and the refusal log, both numbered, read forward from a cursor. Every server of a
 * PostgreSQL database writes into the same two tables, so following them shows the refusals and
 * confirmations of all servers (decisions/0087).
 */
export interface LiveFeedStore {
  /**
   * The followed audit events after `id`, at most `limit`, and the id the reader may continue
   * after (`through`): the last row read, or the log's end when fewer were found, so a night of
   * accepted reports between two refusals is not scanned again at every read.
   */
  auditAfter(
    id: number,
    limit: number,
  ): Promise<{ readonly rows: readonly LiveAuditRow[]; readonly through: number }>;
  refusedRequestsAfter(id: number, limit: number): Promise<readonly LiveRefusedRequestRow[]>;
}

export class PrismaLiveFeedStore implements LiveFeedStore {
  constructor(private readonly prisma: Prisma) {}

  async auditAfter(id: number, limit: number) {
    // The end first: audit rows commit in id order (one writer, the database-wide lock), so
    // nothing at or below it can appear later.
    const end = (await this.prisma.auditEvent.aggregate({ _max: { id: true } }))._max.id ?? id;
    const rows = await this.prisma.auditEvent.findMany({
      where: { id: { gt: id, lte: end }, kind: { in: [...LIVE_AUDIT_KINDS] } },
      select: { id: true, at: true, kind: true, precinctId: true, event: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return { rows, through: rows.length === limit ? rows.at(-1)!.id : Math.max(end, id) };
  }

  async refusedRequestsAfter(id: number, limit: number): Promise<readonly LiveRefusedRequestRow[]> {
    return this.prisma.refusedRequest.findMany({
      where: { id: { gt: id } },
      select: { id: true, at: true, code: true, source: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }
}
