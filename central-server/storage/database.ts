import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaClient } from './generated/client.ts';
import { applyMigrations } from './migrate.ts';

export type Prisma = InstanceType<typeof PrismaClient>;

/** `./wahlkoffer.db` or `file:./wahlkoffer.db` → an absolute `file:` URL for the adapter. */
export function sqliteUrl(db: string): string {
  const path = db.startsWith('file:') ? db.slice('file:'.length) : db;
  return `file:${resolve(path)}`;
}

export function sqliteAdapter(db: string): PrismaBetterSqlite3 {
  const url = sqliteUrl(db);
  mkdirSync(dirname(url.slice('file:'.length)), { recursive: true });
  // 5 s busy timeout: the migration connection and the server's never overlap, but an operator's
  // sqlite3 shell might hold a read lock for a moment.
  return new PrismaBetterSqlite3({ url, timeout: 5000 });
}

/** Applies the committed migrations (`wahlkoffer db migrate`, and at every server start). */
export async function migrateDatabase(db: string): Promise<string[]> {
  return applyMigrations(sqliteAdapter(db));
}

/**
 * Opens the database for the server: WAL journal (readers never block the one writer) and
 * synchronous=FULL, so a COMMIT has reached the disk (fsync of the WAL) before any receipt leaves
 * the server — kill -9 and power loss alike lose no receipted report. Group commit (many reports
 * per transaction) pays the fsync once per batch (docs/decisions/0030-sqlite-wal-synchronous-full.md).
 */
export async function openDatabase(db: string): Promise<Prisma> {
  const prisma = new PrismaClient({ adapter: sqliteAdapter(db) });
  await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await prisma.$executeRawUnsafe('PRAGMA synchronous = FULL');
  await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  return prisma;
}
