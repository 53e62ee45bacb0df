import type pg from 'pg';
import type { DatabaseLock } from '../../write-lock.ts';
import { holdConnection } from './connection.ts';

/** The advisory lock's key: "WAHLKOFF" as a 64-bit integer (one lock per database). */
export const INTAKE_LOCK_KEY = '6287389431006759494';

/** The channel on which a server announces that it committed something. */
export const COMMIT_CHANNEL = 'wahlkoffer_commit';

/**
 * The database-wide write lock of several servers on one PostgreSQL database: a transaction-level
 * advisory lock (`pg_advisory_xact_lock`) held on a connection of its own while the writer works
 * on its other connections. Releasing it announces the commit (`NOTIFY`, delivered at the
 * lock's COMMIT, after the work's own COMMIT) so the other servers catch up at once.
 *
 * Whatever ends a holder — SIGKILL, a crash, a cut cable — ends its connection and PostgreSQL
 * drops the lock; a holder that hangs is cut off after 30 s idle in its lock transaction
 * (idle_in_transaction_session_timeout, postgres/connection.ts). Should a holder lose the lock
 * while it still works, its writes and the next holder's collide on the unique ids of the chains
 * (envelope id, sequence, audit id), so one of the two transactions fails and stores nothing
 * (decisions/0111).
 */
export class PostgresWriteLock implements DatabaseLock {
  /**
   * @param pool a pool of its own with one connection (the in-process lock lets one holder
   *   through at a time)
   * @param instance this server's id, sent with the notification so it ignores its own
   */
  constructor(
    private readonly pool: pg.Pool,
    private readonly instance: string,
    private readonly onReleaseError: (error: unknown) => void,
  ) {}

  async acquire(): Promise<{ release(): Promise<void> }> {
    const held = await holdConnection(this.pool);
    const { client } = held;
    try {
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(${INTAKE_LOCK_KEY})`);
    } catch (error) {
      held.release(error instanceof Error ? error : true);
      throw error;
    }
    return {
      release: async () => {
        try {
          await client.query('SELECT pg_notify($1, $2)', [COMMIT_CHANNEL, this.instance]);
          await client.query('COMMIT');
          held.release();
        } catch (error) {
          // The work committed (or failed) on its own connections; only the lock's connection
          // is lost (cut while held, too), and with it the lock. The next acquire opens a new one.
          held.release(error instanceof Error ? error : true);
          this.onReleaseError(error);
        }
      },
    };
  }
}
