import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { DatabaseLock } from '../write-lock.ts';
import { databaseTarget } from './database.ts';
import { CommitFeed } from './postgres/commit-feed.ts';
import { createPool } from './postgres/connection.ts';
import { PostgresIntakeStore } from './postgres/intake-store.ts';
import { PostgresWriteLock } from './postgres/write-lock.ts';
import { PostgresClient, SqliteClient } from './sql-client.ts';
import { SqlRepository } from './sql-repository.ts';
import { ThreadedIntakeStore } from './threaded-intake-store.ts';

/** What several servers on one database share, beyond the rows: the lock and the news. */
export type SharedDatabase = {
  readonly lock: DatabaseLock;
  /** calls `onCommit` whenever another server may have committed, until the storage closes */
  readonly watch: (onCommit: () => void) => Promise<void>;
};

export type OpenedStorage = {
  readonly provider: 'sqlite' | 'postgresql';
  readonly repository: SqlRepository;
  /** PostgreSQL only: SQLite has one server per file */
  readonly shared: SharedDatabase | undefined;
  close(): Promise<void>;
};

/**
 * Opens the server's storage for `--db`: a SQLite file (better-sqlite3 in this thread plus the
 * threaded intake store, decisions/0033) or a PostgreSQL database (a pg connection pool, plus the
 * database-wide write lock and the commit feed of decisions/0111), both in plain SQL (no Prisma
 * client in the server: decision 0067). Migrations are applied before.
 */
export async function openStorage(db: string, logger: Logger): Promise<OpenedStorage> {
  const target = databaseTarget(db);
  if (target.provider === 'sqlite') {
    const store = await ThreadedIntakeStore.start(target.file);
    const repository = new SqlRepository(new SqliteClient(target.file), store);
    return { provider: 'sqlite', repository, shared: undefined, close: () => repository.close() };
  }
  const onError = (error: unknown) => logger.warn({ err: error }, 'PostgreSQL connection error');
  const pool = createPool(target.url, { size: 10, onError });
  const lockPool = createPool(target.url, {
    size: 1,
    applicationName: 'wahlkoffer-lock',
    onError,
  });
  const instance = randomBytes(8).toString('hex');
  const sql = new PostgresClient(pool);
  const repository = new SqlRepository(sql, new PostgresIntakeStore(sql));
  const lock = new PostgresWriteLock(lockPool, instance, (error) =>
    logger.warn({ err: error }, 'the write lock was lost before its release'),
  );
  let feed: CommitFeed | undefined;
  return {
    provider: 'postgresql',
    repository,
    shared: {
      lock,
      watch: async (onCommit) => {
        feed = await CommitFeed.start({ url: target.url, instance, onCommit, onError });
      },
    },
    close: async () => {
      await feed?.close();
      await repository.close();
      await lockPool.end();
      await pool.end();
    },
  };
}
