import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import type { PrismaClient } from './generated/client.ts';
import { postgresAdapter } from './postgres/connection.ts';

/*
 * Prisma (its client, adapters and schema engine) is imported when one of these functions is
 * first called, never with this module: the running server queries in plain SQL (sql-client.ts),
 * and Prisma's packages alone are ~25 MB of the main thread's memory (decision 0067, s7).
 */

export type Prisma = InstanceType<typeof PrismaClient>;

/**
 * Which database `--db` names: a SQLite file (a path or `file:` URL; one server per file) or a
 * PostgreSQL server (`postgres://` or `postgresql://` URL; several servers may share it).
 */
export type DatabaseTarget =
  | { readonly provider: 'sqlite'; readonly file: string }
  | { readonly provider: 'postgresql'; readonly url: string };

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

export function databaseTarget(db: string): DatabaseTarget {
  if (POSTGRES_URL.test(db)) return { provider: 'postgresql', url: db };
  return { provider: 'sqlite', file: sqliteUrl(db).slice('file:'.length) };
}

/** The database as it may be shown in logs and messages: a PostgreSQL password replaced by ***. */
export function redactDatabase(db: string): string {
  if (!POSTGRES_URL.test(db)) return db;
  try {
    const url = new URL(db);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return db.replace(/:\/\/[^@/]*@/, '://***@');
  }
}

/** `./wahlkoffer.db` or `file:./wahlkoffer.db` → an absolute `file:` URL for the adapter. */
export function sqliteUrl(db: string): string {
  const path = db.startsWith('file:') ? db.slice('file:'.length) : db;
  return `file:${resolve(path)}`;
}

export async function sqliteAdapter(db: string): Promise<PrismaBetterSqlite3> {
  const { PrismaBetterSqlite3 } = await import('@prisma/adapter-better-sqlite3');
  const url = sqliteUrl(db);
  mkdirSync(dirname(url.slice('file:'.length)), { recursive: true });
  // 5 s busy timeout: the migration connection and the server's never overlap, but an operator's
  // sqlite3 shell might hold a read lock for a moment.
  return new PrismaBetterSqlite3({ url, timeout: 5000 });
}

/**
 * Applies the committed migrations of the database's flavour (`wahlkoffer db migrate`, and at
 * every server start). On PostgreSQL the schema engine holds an advisory lock while it migrates,
 * so servers starting at the same moment migrate one after the other.
 */
export async function migrateDatabase(db: string): Promise<string[]> {
  const { applyMigrations, PRISMA_DIRS } = await import('./migrate.ts');
  const target = databaseTarget(db);
  if (target.provider === 'postgresql') {
    return applyMigrations(await postgresAdapter(target.url), PRISMA_DIRS.postgresql);
  }
  return applyMigrations(await sqliteAdapter(db), PRISMA_DIRS.sqlite);
}

/**
 * Opens the database for the server: WAL journal (readers never block the one writer) and
 * synchronous=FULL, so a COMMIT has reached the disk (fsync of the WAL) before any receipt leaves
 * the server — kill -9 and power loss alike lose no receipted report. Group commit (many reports
 * per transaction) pays the fsync once per batch (docs/decisions/0030-sqlite-wal-synchronous-full.md).
 */
export async function openDatabase(db: string): Promise<Prisma> {
  const { PrismaClient } = await import('./generated/client.ts');
  const prisma = new PrismaClient({ adapter: await sqliteAdapter(db) });
  await prisma.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await prisma.$executeRawUnsafe('PRAGMA synchronous = FULL');
  await prisma.$executeRawUnsafe('PRAGMA foreign_keys = ON');
  return prisma;
}
