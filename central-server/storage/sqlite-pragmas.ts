import type Database from 'better-sqlite3';

/**
 * WAL pages after which a committing connection copies the log back into the database file
 * (SQLite's default is 1,000, ~4 MB). A report writes ~10 KB (envelope, report, receipt, audit
 * event, log leaf), so at 1,000 the writer checkpointed every ~400 reports, each with its fsyncs;
 * at 4,000 the writer thread's CPU per report measured 0.163 → 0.144 ms (decision 0055 s11). Both
 * connections use the same figure, so the main thread's commits (sessions) never find the log
 * past their own threshold while the writer's is not reached yet, which would move the checkpoint
 * into the main thread.
 */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

/**
 * The settings every connection of the server's SQLite file has: WAL (readers never block the one
 * writer), FULL (a COMMIT has reached the disk before it returns, decision 0030), and the
 * checkpoint threshold above.
 */
export function useWal(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
}
