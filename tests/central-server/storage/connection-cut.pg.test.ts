import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { createPool } from '../../../central-server/storage/postgres/connection.ts';
import { PostgresWriteLock } from '../../../central-server/storage/postgres/write-lock.ts';
import { PostgresClient } from '../../../central-server/storage/sql-client.ts';
import { freshDatabase, query } from '../../postgres/database.ts';

/*
 * PostgreSQL ends a connection the server holds between two of its queries — a restart, a
 * failover, an operator's pg_terminate_backend: "57P01 terminating connection due to administrator
 * command". The server must take it as a failed transaction or a lost lock, never as an exception
 * that ends its process (a connection out of the pool has no listener of the pool's).
 */
let url: string;
let pool: pg.Pool;
const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => void uncaught.push(error);

beforeAll(async () => {
  url = await freshDatabase('connection_cut');
});
beforeEach(() => {
  uncaught.length = 0;
  process.on('uncaughtException', onUncaught);
  pool = createPool(url, { size: 2, applicationName: 'wahlkoffer-cut-test' });
});
afterEach(async () => {
  process.removeListener('uncaughtException', onUncaught);
  await pool.end();
});

/** Ends every connection of the test's pool from outside, as a restarting PostgreSQL does. */
async function terminateHeldConnections(): Promise<number> {
  const rows = await query<{ ended: boolean }>(
    url,
    `SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity
      WHERE application_name = 'wahlkoffer-cut-test'`,
  );
  // the error message and the socket's end reach the client a moment later
  await new Promise((resolve) => setTimeout(resolve, 300));
  return rows.filter((r) => r.ended).length;
}

describe('a held PostgreSQL connection cut between two queries', () => {
  it('the write lock: its release reports the lost lock, and nothing is thrown', async () => {
    const releaseErrors: unknown[] = [];
    const lock = new PostgresWriteLock(pool, 'test', (e) => void releaseErrors.push(e));
    const held = await lock.acquire();
    expect(await terminateHeldConnections()).toBe(1);
    await held.release();
    expect(releaseErrors).toHaveLength(1);
    expect(uncaught).toEqual([]);
    // and the next holder gets a new connection
    const again = await lock.acquire();
    await again.release();
    expect(releaseErrors).toHaveLength(1);
  });

  it('a transaction: it fails as a transaction does, and nothing is thrown', async () => {
    const client = new PostgresClient(pool);
    const outcome = client.transaction(async (tx) => {
      await tx.all('SELECT 1 AS one');
      await terminateHeldConnections();
      return tx.all('SELECT 2 AS two');
    });
    await expect(outcome).rejects.toThrow();
    expect(uncaught).toEqual([]);
    // the pool gives a working connection afterwards
    expect(await client.all<{ three: number }>('SELECT 3 AS three')).toEqual([{ three: 3 }]);
  });
});
