import Database from 'better-sqlite3';
import pg from 'pg';
import { databaseTarget } from '../../central-server/index.ts';
import { fetchPublishedTotals } from '../../cli/demo/results.ts';
import { compareTotals, truthTotals } from '../../cli/demo/totals.ts';
import type { ExerciseOffice } from '../../cli/demo/exercise-office.ts';
import type { PostgresCluster } from '../../cli/postgres/cluster.ts';
import { fireLoad, type LoadResult, type PreparedSend } from '../intake/load.ts';
import { machineCpu, processCpuSeconds, treeCpuSeconds } from './cpu.ts';
import { startTopology, type Topology } from './topology.ts';

/** Cores used on average during the level, by part (CPU seconds / wall seconds). */
export type CoresUsed = {
  readonly servers: number;
  readonly postgres: number;
  readonly nginx: number;
  readonly loadGenerator: number;
  /** the whole machine (all processes, also other users of this shared machine) */
  readonly machine: number;
};

export type LevelResult = Omit<LoadResult, 'other'> & {
  readonly topology: Topology;
  readonly refused: Readonly<Record<string, number>>;
  readonly cores: CoresUsed;
  readonly serverCpuMsPerReport: number;
  /** intake transactions (one per group commit) and reports per transaction */
  readonly batches: number;
  readonly reportsPerBatch: number;
  readonly totalsMatchTruth: boolean;
};

type Snapshot = { servers: number; postgres: number; nginx: number; own: number; machine: number };

/** Counts the intake's transactions: every report of one batch has the batch's acceptedAt. */
async function batches(db: string): Promise<number> {
  const sql = 'SELECT COUNT(DISTINCT "acceptedAt") AS n FROM "Report"';
  const target = databaseTarget(db);
  if (target.provider === 'sqlite') {
    const sqlite = new Database(target.file, { readonly: true });
    try {
      return Number((sqlite.prepare(sql).get() as { n: number }).n);
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

/**
 * One set-up at one concurrency on a fresh database: the closed-loop load of bench/intake
 * (`fireLoad`), the CPU each part used meanwhile, how many reports each transaction carried, and
 * the published totals against the truth.
 */
export async function runLevel(
  topology: Topology,
  office: ExerciseOffice,
  cluster: PostgresCluster,
  sends: readonly PreparedSend[],
  concurrency: number,
): Promise<LevelResult> {
  const label = `${topology}-c${concurrency}`.replace(/-/g, '_');
  const running = await startTopology(topology, office, cluster, label);
  try {
    const snap = (): Snapshot => ({
      servers: running.servers.reduce((n, s) => n + processCpuSeconds(s.child.pid), 0),
      postgres: topology === 'sqlite-1' ? 0 : treeCpuSeconds(cluster.pid),
      nginx: treeCpuSeconds(running.nginxPid),
      own: (process.cpuUsage().user + process.cpuUsage().system) / 1e6,
      machine: machineCpu().busy,
    });
    const before = snap();
    const { other, ...load } = await fireLoad(running.url, sends, concurrency);
    const after = snap();
    const per = (k: keyof Snapshot) => (after[k] - before[k]) / load.seconds;
    const published = await fetchPublishedTotals(running.url, office.definition);
    const n = await batches(running.db);
    return {
      ...load,
      topology,
      refused: other,
      cores: {
        servers: per('servers'),
        postgres: per('postgres'),
        nginx: per('nginx'),
        loadGenerator: per('own'),
        machine: per('machine'),
      },
      serverCpuMsPerReport: ((after.servers - before.servers) * 1000) / load.reports,
      batches: n,
      reportsPerBatch: n === 0 ? 0 : load.accepted / n,
      totalsMatchTruth:
        compareTotals(truthTotals(office.definition, office.truth), published).length === 0,
    };
  } finally {
    await running.stop();
  }
}
