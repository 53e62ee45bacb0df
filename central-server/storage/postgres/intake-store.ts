import type pg from 'pg';
import type { Prisma } from '../generated/client.ts';
import type { Executor } from '../bulk-insert.ts';
import { writeIntakeBatch } from '../intake-batch-sql.ts';
import type { IntakeBatch, IntakeStore } from '../repository.ts';

/**
 * A JS Date as Prisma stores it in a PostgreSQL TIMESTAMP(3) (without time zone): UTC wall time.
 * (pg itself would send local time with an offset, which such a column silently drops.)
 */
const toPg = (value: unknown): unknown => (value instanceof Date ? value.toISOString() : value);

/**
 * The intake's batch write on PostgreSQL: the same multi-row INSERTs as Prisma's path
 * (intake-batch-sql.ts), sent on a pg connection of the pool in one transaction. Prisma's raw
 * queries pass every argument through its query engine (~0.4 ms per report with our blobs,
 * decisions/0033), on the event loop; pg sends the Buffers as they are. The rows are the ones
 * Prisma writes (tests/central-server/storage/intake-store.pg.test.ts compares both).
 */
export class PostgresIntakeStore implements IntakeStore {
  constructor(private readonly pool: pg.Pool) {}

  async commit(batch: IntakeBatch): Promise<void> {
    const client = await this.pool.connect();
    const executor: Executor = {
      $executeRaw: async (query: Prisma.Sql) =>
        (await client.query(query.text, query.values.map(toPg))).rowCount ?? 0,
    };
    try {
      await client.query('BEGIN');
      await writeIntakeBatch(executor, batch);
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      // a connection in an unknown state is not given back to the pool
      client.release(error instanceof Error ? error : true);
      throw error;
    }
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
