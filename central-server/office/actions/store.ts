import type { AuditRow } from '../../storage/repository.ts';
import { insertAudit } from '../../storage/intake-batch-sql.ts';
import { insertRows, type SqlClient } from '../../storage/sql-client.ts';

/** A district confirmed by telephone (decisions/0089). */
export type PhoneConfirmationRow = {
  readonly precinctId: string;
  readonly contestId: string;
  /** the receipt sequence number of the confirmed report */
  readonly sequence: number;
  readonly confirmedBy: string;
  readonly confirmedAt: Date;
};

/** A phoned-in result while two operators enter it: the four-eyes state as JSON. */
export type PhoneEntryRow = {
  readonly precinctId: string;
  readonly contestId: string;
  readonly state: string;
  readonly updatedBy: string;
  readonly updatedAt: Date;
};

/** One station's contacts with the server. */
export type StationContact = {
  readonly precinctId: string;
  readonly certSerial: string;
  readonly failedAttempts: number;
  /** when its last session was opened */
  readonly sessionOpenedAt: Date | null;
  /** when its last report (accepted or refused) arrived */
  readonly lastReportAt: Date | null;
};

/**
 * What the office's actions store, beside the intake's tables. Every write is one transaction
 * together with its audit row; callers hold the server's write lock (the audit chain has one
 * writer at a time, on every server of a PostgreSQL database).
 */
export interface OfficeActionStore {
  appendAudit(audit: AuditRow): Promise<void>;
  recordPhoneConfirmation(row: PhoneConfirmationRow, audit: AuditRow): Promise<void>;
  phoneConfirmations(): Promise<readonly PhoneConfirmationRow[]>;
  findPhoneEntry(precinctId: string, contestId: string): Promise<PhoneEntryRow | null>;
  phoneEntries(): Promise<readonly PhoneEntryRow[]>;
  /** stores the entry's new state (insert or update) */
  savePhoneEntry(row: PhoneEntryRow, audit: AuditRow | null): Promise<void>;
  deletePhoneEntry(precinctId: string, contestId: string, audit: AuditRow | null): Promise<void>;
  stationContacts(): Promise<readonly StationContact[]>;
}

/** The store in plain SQL (SQLite or PostgreSQL: the same statements). */
export class SqlOfficeActionStore implements OfficeActionStore {
  constructor(private readonly sql: SqlClient) {}

  async appendAudit(audit: AuditRow): Promise<void> {
    await insertAudit(this.sql, audit);
  }

  async recordPhoneConfirmation(row: PhoneConfirmationRow, audit: AuditRow): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO "PhoneConfirmation"
           ("precinctId", "contestId", "sequence", "confirmedBy", "confirmedAt")
         VALUES (?, ?, ?, ?, ?)`,
        [row.precinctId, row.contestId, row.sequence, row.confirmedBy, row.confirmedAt],
      );
      await insertAudit(tx, audit);
    });
  }

  async phoneConfirmations(): Promise<readonly PhoneConfirmationRow[]> {
    return this.sql.all<PhoneConfirmationRow>(
      `SELECT "precinctId", "contestId", "sequence", "confirmedBy", "confirmedAt"
       FROM "PhoneConfirmation" ORDER BY "id"`,
    );
  }

  async findPhoneEntry(precinctId: string, contestId: string): Promise<PhoneEntryRow | null> {
    const [row] = await this.sql.all<PhoneEntryRow>(
      `SELECT "precinctId", "contestId", "state", "updatedBy", "updatedAt" FROM "PhoneEntry"
       WHERE "precinctId" = ? AND "contestId" = ?`,
      [precinctId, contestId],
    );
    return row ?? null;
  }

  async phoneEntries(): Promise<readonly PhoneEntryRow[]> {
    return this.sql.all<PhoneEntryRow>(
      `SELECT "precinctId", "contestId", "state", "updatedBy", "updatedAt" FROM "PhoneEntry"
       ORDER BY "updatedAt"`,
    );
  }

  async savePhoneEntry(row: PhoneEntryRow, audit: AuditRow | null): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await insertRows(
        tx,
        'PhoneEntry',
        ['precinctId', 'contestId', 'state', 'updatedBy', 'updatedAt'],
        [row],
        { conflict: ['precinctId', 'contestId'], update: ['state', 'updatedBy', 'updatedAt'] },
      );
      if (audit !== null) await insertAudit(tx, audit);
    });
  }

  async deletePhoneEntry(
    precinctId: string,
    contestId: string,
    audit: AuditRow | null,
  ): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.run('DELETE FROM "PhoneEntry" WHERE "precinctId" = ? AND "contestId" = ?', [
        precinctId,
        contestId,
      ]);
      if (audit !== null) await insertAudit(tx, audit);
    });
  }

  async stationContacts(): Promise<readonly StationContact[]> {
    const stations = await this.sql.all<Omit<StationContact, 'lastReportAt'>>(
      `SELECT "precinctId", "certSerial", "failedAttempts", "sessionOpenedAt" FROM "Station"
       ORDER BY "precinctId"`,
    );
    const reports = await this.sql.all<{ precinctId: string | null; lastReportAt: Date | null }>(
      `SELECT "precinctId", MAX("receivedAt") AS "lastReportAt" FROM "ReceivedEnvelope"
       GROUP BY "precinctId"`,
    );
    const last = new Map(reports.map((r) => [r.precinctId, r.lastReportAt] as const));
    return stations.map((s) => ({ ...s, lastReportAt: last.get(s.precinctId) ?? null }));
  }
}
