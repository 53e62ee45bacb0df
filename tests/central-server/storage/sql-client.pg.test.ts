import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../../central-server/index.ts';
import { createLogger } from '../../../central-server/logger.ts';
import { AuditChain } from '../../../central-server/storage/audit-chain.ts';
import { openDatabase, type Prisma } from '../../../central-server/storage/database.ts';
import { openStorage, type OpenedStorage } from '../../../central-server/storage/open-storage.ts';
import {
  createPool,
  openPostgresClient,
} from '../../../central-server/storage/postgres/connection.ts';
import type { AuditRow } from '../../../central-server/storage/repository.ts';
import { SqliteClient } from '../../../central-server/storage/sql-client.ts';
import { freshDatabase } from '../../postgres/database.ts';

/*
 * The server reads and writes its database in plain SQL, Prisma reads the same rows (the audit
 * export) and wrote them in databases of earlier versions: every value must mean the same to both,
 * to the millisecond and the byte, on both databases.
 */
const dir = mkdtempSync(join(tmpdir(), 'wahlkoffer-sql-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DATABASES = {
  sqlite: async () => join(dir, `sql-${Math.random().toString(36).slice(2)}.db`),
  postgresql: () => freshDatabase('sql_encodings'),
};

async function prismaOn(db: string): Promise<{ prisma: Prisma; close: () => Promise<void> }> {
  if (!db.startsWith('postgres')) {
    const prisma = await openDatabase(db);
    return { prisma, close: () => prisma.$disconnect() };
  }
  const pool = createPool(db, { size: 1 });
  const prisma = await openPostgresClient(pool);
  return {
    prisma,
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

const at = new Date('2026-09-27T18:31:02.123Z');
const later = new Date('2026-09-27T19:02:59.987Z');

describe.each(Object.keys(DATABASES) as (keyof typeof DATABASES)[])(
  'the server’s SQL and Prisma on %s',
  (provider) => {
    let db: string;
    let storage: OpenedStorage;
    let prisma: Prisma;
    let chain: AuditChain;
    beforeAll(async () => {
      db = await DATABASES[provider]();
      await migrateDatabase(db);
      storage = await openStorage(db, createLogger('silent'));
      const opened = await prismaOn(db);
      prisma = opened.prisma;
      chain = new AuditChain(null);
      return async () => {
        await opened.close();
        await storage.close();
      };
    });

    const audit = (kind: string): AuditRow => chain.draft({ kind, at, precinctId: 'P1', data: {} });

    it('Prisma reads what the server wrote: stations, sessions, audit rows, refusals', async () => {
      const repo = storage.repository;
      await repo.importStations(
        [
          {
            precinctId: 'P1',
            electionId: 'e',
            certSerial: '0a',
            certFingerprint: 'f'.repeat(64),
            totpSecretEnc: 's',
          },
        ],
        at,
      );
      const opened = audit('SESSION_OPENED');
      expect(await repo.recordTotpSuccess('P1', 7, opened, { request: 'r', at: later })).toBe(true);
      chain.advance(opened);
      const refused = audit('SESSION_REFUSED');
      await repo.recordTotpFailure('P1', later, refused);
      chain.advance(refused);
      const refusal = { at, route: 'submitReport', code: 'TOKEN_MISSING', size: 9, hash: null };
      await repo.appendRefusals([{ ...refusal, source: '::1' }]);

      const station = await prisma.station.findUnique({ where: { precinctId: 'P1' } });
      expect(station).toEqual(await repo.findStation('P1'));
      expect(station).toMatchObject({
        importedAt: at,
        totpLastStep: 7,
        failedAttempts: 1,
        lastFailureAt: later,
        sessionRequest: 'r',
        sessionOpenedAt: later,
      });
      expect(await prisma.auditEvent.findMany({ orderBy: { id: 'asc' } })).toEqual([
        opened,
        refused,
      ]);
      expect(await prisma.refusedRequest.findMany()).toEqual([
        { id: 1, ...refusal, source: '::1' },
      ]);
    });

    it('the server reads what Prisma wrote: office users and sessions, phoned-in entries', async () => {
      const user = await prisma.officeUser.create({
        data: {
          name: 'anna',
          role: 'admin',
          passwordHash: 'h',
          totpSecret: 't',
          lockedUntil: later,
          createdAt: at,
        },
      });
      const session = {
        tokenHash: 'a'.repeat(64),
        userId: user.id,
        csrfToken: 'c',
        createdAt: at,
        expiresAt: later,
        lastSeenAt: at,
      };
      await prisma.officeSession.create({ data: session });
      const entry = {
        precinctId: 'P1',
        contestId: 'OB',
        state: '{}',
        updatedBy: 'anna',
        updatedAt: later,
      };
      await prisma.phoneEntry.create({ data: entry });
      const users = storage.repository.officeUsers;
      expect(await users.findUserByName('anna')).toEqual(user);
      expect(await users.findSession(session.tokenHash)).toEqual({ session, user });
      expect(await storage.repository.officeActions.findPhoneEntry('P1', 'OB')).toEqual(entry);
      // and the other way round for what the office writes
      await users.touchSession(session.tokenHash, later);
      expect(
        await prisma.officeSession.findUnique({ where: { tokenHash: session.tokenHash } }),
      ).toEqual({ ...session, lastSeenAt: later });
    });
  },
);

describe('a SQLite connection shared by the main thread’s callers', () => {
  let file: string;
  beforeAll(async () => {
    file = join(dir, 'shared.db');
    await migrateDatabase(file);
  });

  const refusal = (code: string) => [code, 'submitReport', '2026-09-27T18:31:02.123+00:00', 'x'];
  const insert =
    'INSERT INTO "RefusedRequest" ("code", "route", "at", "source") VALUES (?, ?, ?, ?)';

  it('keeps a transaction that spans awaits to itself: another caller’s statement waits for its end', async () => {
    const sql = new SqliteClient(file);
    try {
      const order: string[] = [];
      const inside = sql.transaction(async (tx) => {
        await tx.run(insert, refusal('FIRST'));
        await new Promise((resolve) => setTimeout(resolve, 30));
        order.push('transaction ends');
        throw new Error('rolled back');
      });
      const outside = sql.run(insert, refusal('OUTSIDE')).then(() => order.push('outside'));
      await expect(inside).rejects.toThrow('rolled back');
      await outside;
      expect(order).toEqual(['transaction ends', 'outside']);
      // the rolled-back transaction took nothing with it, the statement outside it stayed
      const rows = await sql.all<{ code: string }>('SELECT "code" FROM "RefusedRequest"');
      expect(rows.map((r) => r.code)).toEqual(['OUTSIDE']);
    } finally {
      await sql.close();
    }
  });
});
