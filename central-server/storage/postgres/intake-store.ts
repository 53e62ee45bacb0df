import { writeIntakeBatch } from '../intake-batch-sql.ts';
import type { IntakeBatch, IntakeStore } from '../repository.ts';
import type { SqlClient } from '../sql-client.ts';

/**
 * The intake's batch write on PostgreSQL: multi-row INSERTs (intake-batch-sql.ts) on one pool
 * connection in one transaction; pg sends the Buffers as they are. The rows are the ones Prisma
 * writes (tests/central-server/storage/repository.pg.test.ts compares them with Prisma's own).
 */
export class PostgresIntakeStore implements IntakeStore {
  constructor(private readonly sql: SqlClient) {}

  commit(batch: IntakeBatch): Promise<void> {
    return this.sql.transaction((tx) => writeIntakeBatch(tx, batch));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
