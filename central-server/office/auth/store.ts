import type { AuditRow } from '../../storage/repository.ts';
import { insertAudit } from '../../storage/intake-batch-sql.ts';
import type { SqlClient } from '../../storage/sql-client.ts';
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

class StepTaken extends Error {}

function asRecord<T extends { role: string }>(row: T): T & { role: OfficeRole } {
  return row as T & { role: OfficeRole };
}

/** The store in plain SQL (SQLite or PostgreSQL: the same statements). */
export class SqlOfficeUserStore implements OfficeUserStore {
  constructor(private readonly sql: SqlClient) {}

  async findUserByName(name: string): Promise<OfficeUserRecord | null> {
    const [row] = await this.sql.all<OfficeUserRecord>(
      'SELECT * FROM "OfficeUser" WHERE "name" = ?',
      [name],
    );
    return row === undefined ? null : asRecord(row);
  }

  async listUsers(): Promise<readonly OfficeUserRecord[]> {
    return (await this.sql.all<OfficeUserRecord>('SELECT * FROM "OfficeUser" ORDER BY "name"')).map(
      asRecord,
    );
  }

  async createUser(user: NewOfficeUser, audit: AuditRow): Promise<number | null> {
    return this.sql.transaction(async (tx) => {
      const taken = await tx.all('SELECT "id" FROM "OfficeUser" WHERE "name" = ?', [user.name]);
      if (taken.length > 0) return null;
      const [created] = await tx.all<{ id: number }>(
        `INSERT INTO "OfficeUser" ("name", "role", "passwordHash", "totpSecret", "createdAt")
         VALUES (?, ?, ?, ?, ?) RETURNING "id"`,
        [user.name, user.role, user.passwordHash, user.totpSecret, user.createdAt],
      );
      await insertAudit(tx, audit);
      return created!.id;
    });
  }

  async disableUser(id: number, at: Date, audit: AuditRow): Promise<void> {
    await this.sql.transaction(async (tx) => {
      const count = await tx.run('UPDATE "OfficeUser" SET "disabledAt" = ? WHERE "id" = ?', [
        at,
        id,
      ]);
      if (count !== 1) throw new Error(`no office user ${id} to disable`);
      await tx.run('DELETE FROM "OfficeSession" WHERE "userId" = ?', [id]);
      await insertAudit(tx, audit);
    });
  }

  async recordLogin(
    userId: number,
    timeStep: number,
    session: OfficeSessionRecord,
    audit: AuditRow,
  ): Promise<boolean> {
    return this.sql
      .transaction(async (tx) => {
        const taken = await tx.run(
          `UPDATE "OfficeUser" SET "totpLastStep" = ?, "failedCount" = 0, "lockedUntil" = NULL
           WHERE "id" = ? AND "totpLastStep" < ?`,
          [timeStep, userId, timeStep],
        );
        // roll back (a thrown error): nothing of this log-in, its audit row included, is stored
        if (taken !== 1) throw new StepTaken();
        await tx.run(
          `INSERT INTO "OfficeSession"
             ("tokenHash", "userId", "csrfToken", "createdAt", "expiresAt", "lastSeenAt")
           VALUES (?, ?, ?, ?, ?, ?)`,
          [
            session.tokenHash,
            session.userId,
            session.csrfToken,
            session.createdAt,
            session.expiresAt,
            session.lastSeenAt,
          ],
        );
        await insertAudit(tx, audit);
        return true;
      })
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
    await this.sql.transaction(async (tx) => {
      if (userId !== null && failure !== null) {
        const count = await tx.run(
          'UPDATE "OfficeUser" SET "failedCount" = ?, "lockedUntil" = ? WHERE "id" = ?',
          [failure.failedCount, failure.lockedUntil, userId],
        );
        if (count !== 1) throw new Error(`no office user ${userId} to record a failure for`);
      }
      await insertAudit(tx, audit);
    });
  }

  async findSession(tokenHash: string) {
    const [session] = await this.sql.all<OfficeSessionRecord>(
      'SELECT * FROM "OfficeSession" WHERE "tokenHash" = ?',
      [tokenHash],
    );
    if (session === undefined) return null;
    const [user] = await this.sql.all<OfficeUserRecord>(
      'SELECT * FROM "OfficeUser" WHERE "id" = ?',
      [session.userId],
    );
    // the foreign key keeps a session's user; a session read while its user is removed is none
    return user === undefined ? null : { session, user: asRecord(user) };
  }

  async touchSession(tokenHash: string, at: Date): Promise<void> {
    await this.sql.run('UPDATE "OfficeSession" SET "lastSeenAt" = ? WHERE "tokenHash" = ?', [
      at,
      tokenHash,
    ]);
  }

  async deleteSession(tokenHash: string, audit: AuditRow | null): Promise<void> {
    await this.sql.transaction(async (tx) => {
      await tx.run('DELETE FROM "OfficeSession" WHERE "tokenHash" = ?', [tokenHash]);
      if (audit !== null) await insertAudit(tx, audit);
    });
  }

  async appendAudit(audit: AuditRow): Promise<void> {
    await insertAudit(this.sql, audit);
  }
}
