import type { SqlClient } from '../../storage/sql-client.ts';

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

/** The store in plain SQL (SQLite or PostgreSQL: the same statements). */
export class SqlLiveFeedStore implements LiveFeedStore {
  constructor(private readonly sql: SqlClient) {}

  async auditAfter(id: number, limit: number) {
    // The end first: audit rows commit in id order (one writer, the database-wide lock), so
    // nothing at or below it can appear later.
    const [last] = await this.sql.all<{ end: number | null }>(
      'SELECT MAX("id") AS "end" FROM "AuditEvent"',
    );
    const end = last?.end ?? id;
    const rows = await this.sql.all<LiveAuditRow>(
      `SELECT "id", "at", "kind", "precinctId", "event" FROM "AuditEvent"
       WHERE "id" > ? AND "id" <= ? AND "kind" IN (${LIVE_AUDIT_KINDS.map(() => '?').join(', ')})
       ORDER BY "id" LIMIT ?`,
      [id, end, ...LIVE_AUDIT_KINDS, limit],
    );
    return { rows, through: rows.length === limit ? rows.at(-1)!.id : Math.max(end, id) };
  }

  async refusedRequestsAfter(id: number, limit: number): Promise<readonly LiveRefusedRequestRow[]> {
    return this.sql.all<LiveRefusedRequestRow>(
      `SELECT "id", "at", "code", "source" FROM "RefusedRequest" WHERE "id" > ?
       ORDER BY "id" LIMIT ?`,
      [id, limit],
    );
  }
}
