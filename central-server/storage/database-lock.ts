import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { sqliteUrl } from './database.ts';

export type DatabaseLock = {
  /** the lock file beside the database */
  readonly file: string;
  readonly release: () => void;
};

/** Thrown when another process (another server, a `db migrate`) holds the database. */
export class DatabaseInUse extends Error {
  constructor(readonly file: string) {
    super(`${file} is held by another process`);
  }
}

/**
 * One server per database: the server holds an exclusive SQLite lock on `<db>.lock` for as long
 * as it runs. SQLite takes it with POSIX advisory locks, which the kernel drops when the process
 * dies — after kill -9 or a power cut the next server starts without anyone deleting a stale
 * lock file. A second server (or `db migrate` while a server runs) fails at once instead of
 * migrating under a running server or writing beside it.
 */
export function lockDatabase(db: string): DatabaseLock {
  const file = `${sqliteUrl(db).slice('file:'.length)}.lock`;
  mkdirSync(dirname(file), { recursive: true });
  const handle = new Database(file, { timeout: 0 });
  try {
    handle.pragma('locking_mode = EXCLUSIVE');
    // the first write transaction takes the EXCLUSIVE lock; locking_mode keeps it until close
    handle.exec('BEGIN EXCLUSIVE; CREATE TABLE IF NOT EXISTS held (since TEXT); COMMIT;');
  } catch (error) {
    handle.close();
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('SQLITE_BUSY')) {
      throw new DatabaseInUse(file);
    }
    throw error;
  }
  let released = false;
  return {
    file,
    release: () => {
      if (released) return;
      released = true;
      handle.close();
    },
  };
}
