import type { TestProject } from 'vitest/node';
import { startPostgresCluster } from '../../cli/postgres/cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** the throwaway cluster's URL of its `postgres` database (tests/postgres/database.ts) */
    postgresAdminUrl: string;
  }
}

/**
 * One throwaway PostgreSQL cluster for every *.pg.test.ts file of the run (each file makes its
 * own databases). Vitest calls this only when such a file is selected; the teardown stops the
 * cluster and removes it, and its watchdog does the same should the run be killed.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startPostgresCluster();
  project.provide('postgresAdminUrl', cluster.url('postgres'));
  return () => cluster.stop();
}
