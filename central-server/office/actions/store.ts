import type { Prisma } from '../../storage/database.ts';
import type { AuditRow } from '../../storage/repository.ts';

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

const TX = { maxWait: 30_000, timeout: 60_000 };

/** The store on Prisma (SQLite or PostgreSQL: the same queries). */
export class PrismaOfficeActionStore implements OfficeActionStore {
  constructor(private readonly prisma: Prisma) {}

  async appendAudit(audit: AuditRow): Promise<void> {
    await this.prisma.auditEvent.create({ data: audit });
  }

  async recordPhoneConfirmation(row: PhoneConfirmationRow, audit: AuditRow): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.phoneConfirmation.create({ data: row });
      await tx.auditEvent.create({ data: audit });
    }, TX);
  }

  async phoneConfirmations(): Promise<readonly PhoneConfirmationRow[]> {
    return this.prisma.phoneConfirmation.findMany({
      select: {
        precinctId: true,
        contestId: true,
        sequence: true,
        confirmedBy: true,
        confirmedAt: true,
      },
      orderBy: { id: 'asc' },
    });
  }

  async findPhoneEntry(precinctId: string, contestId: string): Promise<PhoneEntryRow | null> {
    return this.prisma.phoneEntry.findUnique({
      where: { precinctId_contestId: { precinctId, contestId } },
    });
  }

  async phoneEntries(): Promise<readonly PhoneEntryRow[]> {
    return this.prisma.phoneEntry.findMany({ orderBy: { updatedAt: 'asc' } });
  }

  async savePhoneEntry(row: PhoneEntryRow, audit: AuditRow | null): Promise<void> {
    const { precinctId, contestId } = row;
    await this.prisma.$transaction(async (tx) => {
      await tx.phoneEntry.upsert({
        where: { precinctId_contestId: { precinctId, contestId } },
        create: row,
        update: { state: row.state, updatedBy: row.updatedBy, updatedAt: row.updatedAt },
      });
      if (audit !== null) await tx.auditEvent.create({ data: audit });
    }, TX);
  }

  async deletePhoneEntry(
    precinctId: string,
    contestId: string,
    audit: AuditRow | null,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.phoneEntry.deleteMany({ where: { precinctId, contestId } });
      if (audit !== null) await tx.auditEvent.create({ data: audit });
    }, TX);
  }

  async stationContacts(): Promise<readonly StationContact[]> {
    const stations = await this.prisma.station.findMany({
      select: { precinctId: true, certSerial: true, failedAttempts: true, sessionOpenedAt: true },
      orderBy: { precinctId: 'asc' },
    });
    const reports = await this.prisma.receivedEnvelope.groupBy({
      by: ['precinctId'],
      _max: { receivedAt: true },
    });
    const last = new Map(reports.map((r) => [r.precinctId, r._max.receivedAt] as const));
    return stations.map((s) => ({ ...s, lastReportAt: last.get(s.precinctId) ?? null }));
  }
}
