import type { Prisma } from '../../storage/database.ts';
import type { AuditRow } from '../../storage/repository.ts';
import type { OfficeRole } from '../web/context.ts';

export type OfficeUserRecord = {
  readonly id: number;
  readonly name: string;
  readonly role: OfficeRole;
  readonly passwordHash: string;
  readonly totpSecret: string;
  readonly totpLastStep: number;
  readonly failedCount: number;
  readonly lockedUntil: Date | null;
  readonly disabledAt: Date | null;
  readonly createdAt: Date;
};

export type NewOfficeUser = Omit<
  OfficeUserRecord,
  'id' | 'totpLastStep' | 'failedCount' | 'lockedUntil' | 'disabledAt'
>;

export type OfficeSessionRecord = {
  readonly tokenHash: string;
  readonly userId: number;
  readonly csrfToken: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly lastSeenAt: Date;
};

/**
 * Users and sessions of the dashboard. Every write is one transaction with its audit row;
 * callers hold the server's write lock (or, from the CLI, the database's; users.ts).
 */
export interface OfficeUserStore {
  findUserByName(name: string): Promise<OfficeUserRecord | null>;
  listUsers(): Promise<readonly OfficeUserRecord[]>;
  /** inserts the user; null when the name is taken */
  createUser(user: NewOfficeUser, audit: AuditRow): Promise<number | null>;
  disableUser(id: number, at: Date, audit: AuditRow): Promise<void>;
  /**
   * The log-in succeeded: takes the TOTP step only if it is after the stored one
   * (`UPDATE … WHERE totpLastStep < step`, so two requests cannot both use one code), resets the
   * failures, stores the session. False (nothing written) when the step was taken meanwhile.
   */
  recordLogin(
    userId: number,
    timeStep: number,
    session: OfficeSessionRecord,
    audit: AuditRow,
  ): Promise<boolean>;
  recordFailure(
    userId: number | null,
    failure: { readonly failedCount: number; readonly lockedUntil: Date | null } | null,
    audit: AuditRow,
  ): Promise<void>;
  findSession(
    tokenHash: string,
  ): Promise<{ session: OfficeSessionRecord; user: OfficeUserRecord } | null>;
  touchSession(tokenHash: string, at: Date): Promise<void>;
  /** ends a session (log-out: with its audit row; expiry: without) */
  deleteSession(tokenHash: string, audit: AuditRow | null): Promise<void>;
  appendAudit(audit: AuditRow): Promise<void>;
}

const TX = { maxWait: 30_000, timeout: 60_000 };

class StepTaken extends Error {}

function asRecord<T extends { role: string }>(row: T): T & { role: OfficeRole } {
  return row as T & { role: OfficeRole };
}

/** The store on Prisma (SQLite or PostgreSQL: the same queries). */
export class PrismaOfficeUserStore implements OfficeUserStore {
  constructor(private readonly prisma: Prisma) {}

  async findUserByName(name: string): Promise<OfficeUserRecord | null> {
    const row = await this.prisma.officeUser.findUnique({ where: { name } });
    return row === null ? null : asRecord(row);
  }

  async listUsers(): Promise<readonly OfficeUserRecord[]> {
    return (await this.prisma.officeUser.findMany({ orderBy: { name: 'asc' } })).map(asRecord);
  }

  async createUser(user: NewOfficeUser, audit: AuditRow): Promise<number | null> {
    return this.prisma.$transaction(async (tx) => {
      const taken = await tx.officeUser.findUnique({ where: { name: user.name } });
      if (taken !== null) return null;
      const created = await tx.officeUser.create({ data: user });
      await tx.auditEvent.create({ data: audit });
      return created.id;
    }, TX);
  }

  async disableUser(id: number, at: Date, audit: AuditRow): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.officeUser.update({ where: { id }, data: { disabledAt: at } });
      await tx.officeSession.deleteMany({ where: { userId: id } });
      await tx.auditEvent.create({ data: audit });
    }, TX);
  }

  async recordLogin(
    userId: number,
    timeStep: number,
    session: OfficeSessionRecord,
    audit: AuditRow,
  ): Promise<boolean> {
    return this.prisma
      .$transaction(async (tx) => {
        const taken = await tx.officeUser.updateMany({
          where: { id: userId, totpLastStep: { lt: timeStep } },
          data: { totpLastStep: timeStep, failedCount: 0, lockedUntil: null },
        });
        // roll back (a thrown error): nothing of this log-in, its audit row included, is stored
        if (taken.count !== 1) throw new StepTaken();
        await tx.officeSession.create({ data: session });
        await tx.auditEvent.create({ data: audit });
        return true;
      }, TX)
      .catch((error: unknown) => {
        if (error instanceof StepTaken) return false;
        throw error;
      });
  }

  async recordFailure(
    userId: number | null,
    failure: { readonly failedCount: number; readonly lockedUntil: Date | null } | null,
    audit: AuditRow,
  ): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      if (userId !== null && failure !== null) {
        await tx.officeUser.update({ where: { id: userId }, data: failure });
      }
      await tx.auditEvent.create({ data: audit });
    }, TX);
  }

  async findSession(tokenHash: string) {
    const row = await this.prisma.officeSession.findUnique({
      where: { tokenHash },
      include: { user: true },
    });
    if (row === null) return null;
    const { user, ...session } = row;
    return { session, user: asRecord(user) };
  }

  async touchSession(tokenHash: string, at: Date): Promise<void> {
    await this.prisma.officeSession.updateMany({ where: { tokenHash }, data: { lastSeenAt: at } });
  }

  async deleteSession(tokenHash: string, audit: AuditRow | null): Promise<void> {
    await this.prisma.$transaction(async (tx) => {
      await tx.officeSession.deleteMany({ where: { tokenHash } });
      if (audit !== null) await tx.auditEvent.create({ data: audit });
    }, TX);
  }

  async appendAudit(audit: AuditRow): Promise<void> {
    await this.prisma.auditEvent.create({ data: audit });
  }
}
