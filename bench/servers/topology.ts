import path from 'node:path';
import { startLoadBalancer } from '../../cli/demo/nginx.ts';
import { startServerProcess, type ServerProcess } from '../../cli/demo/server-process.ts';
import { findFreePort } from '../../cli/demo/workspace.ts';
import type { PostgresCluster } from '../../cli/postgres/cluster.ts';
import type { ExerciseOffice } from '../../cli/demo/exercise-office.ts';

/** The three set-ups compared, each on a fresh database. */
export const TOPOLOGIES = ['sqlite-1', 'postgres-1', 'postgres-2-nginx'] as const;
export type Topology = (typeof TOPOLOGIES)[number];

export const DESCRIPTIONS: Record<Topology, string> = {
  'sqlite-1': 'one server on SQLite',
  'postgres-1': 'one server on PostgreSQL',
  'postgres-2-nginx': 'two servers on PostgreSQL behind nginx',
};

export type Running = {
  /** where the load goes */
  readonly url: string;
  readonly servers: readonly ServerProcess[];
  /** the database it runs on (SQLite file or PostgreSQL URL) */
  readonly db: string;
  /** the load balancer's master process (its workers are below it) */
  readonly nginxPid: number | undefined;
  stop(): Promise<void>;
};

/**
 * Starts one set-up for one level: its servers on a fresh database (a new SQLite file, or a new
 * database on the run's PostgreSQL cluster) and, for two servers, nginx in front (the demo's
 * configuration, cli/demo/nginx.ts).
 */
export async function startTopology(
  topology: Topology,
  office: ExerciseOffice,
  cluster: PostgresCluster,
  label: string,
): Promise<Running> {
  const db =
    topology === 'sqlite-1'
      ? path.join(office.dir, `${label}.db`)
      : await cluster.createDatabase(label.replace(/[^a-z0-9_]/gi, '_'));
  const count = topology === 'postgres-2-nginx' ? 2 : 1;
  const servers: ServerProcess[] = [];
  const stopServers = () => Promise.all(servers.map((s) => s.stop('SIGTERM')));
  try {
    for (let i = 0; i < count; i++) {
      servers.push(
        await startServerProcess({
          pkiDir: office.pkiDir,
          electionFile: office.electionFile,
          dbFile: db,
          port: 0,
          extraArgs: ['--publish-dir', path.join(office.dir, `publication-${label}-${i}`)],
        }),
      );
    }
    if (count === 1) {
      return {
        url: servers[0]!.url,
        servers,
        db,
        nginxPid: undefined,
        stop: async () => void (await stopServers()),
      };
    }
    const balancer = await startLoadBalancer({
      dir: path.join(office.dir, `nginx-${label}`),
      host: '127.0.0.1',
      port: await findFreePort(),
      upstreams: servers.map((s) => new URL(s.url).host),
    });
    return {
      url: balancer.url,
      servers,
      db,
      nginxPid: balancer.pid,
      stop: async () => {
        await balancer.stop();
        await stopServers();
      },
    };
  } catch (error) {
    await stopServers();
    throw error;
  }
}
