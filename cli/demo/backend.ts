import path from 'node:path';
import { z } from 'zod';
import { cleanUpOnSignal, stopWithThisProcess } from '../children.ts';
import { CliError } from '../cli-error.ts';
import { startPostgresCluster, type PostgresCluster } from '../postgres/cluster.ts';
import { startLoadBalancer, type LoadBalancer } from './nginx.ts';
import { createDemoOfficeUsers } from './office-users.ts';
import { startServerProcess, type ServerProcess } from './server-process.ts';
import { findFreePort, type DemoWorkspace } from './workspace.ts';

export type DemoDatabase = 'sqlite' | 'postgres';

export type BackendOptions = {
  readonly ws: DemoWorkspace;
  readonly host: string;
  /** the port the kits use (the one server's, or the load balancer's) */
  readonly port: number;
  readonly database: DemoDatabase;
  readonly servers: number;
  readonly step: (line: string) => void;
};

/** What the kits and readers talk to, and what runs behind it. */
export type Backend = {
  readonly url: string;
  /** the database as `--db` names it (a PostgreSQL URL with its password: not for printing) */
  readonly db: string;
  /** lines for the person watching: where things are */
  readonly access: readonly string[];
  readonly servers: ServerProcess[];
  /** starts server `i` again (same port, same database) after it was killed */
  restart(i: number): Promise<void>;
  stop(): Promise<void>;
};

/**
 * The demo's central side: one server on SQLite (the default), or a throwaway PostgreSQL cluster
 * with `servers` servers on it and nginx in front as the load balancer (decisions/0113). Every
 * process started here stops with the demo (SIGINT/SIGTERM included).
 */
export async function startBackend(options: BackendOptions): Promise<Backend> {
  const { ws, host } = options;
  if (options.database === 'sqlite') {
    options.step(`adding the office users (${ws.officeUsersFile})`);
    await createDemoOfficeUsers(ws.dbFile, ws.officeUsersFile);
    const server = await serverOn(ws, ws.dbFile, host, options.port, ws.publishDir);
    return {
      url: server.url,
      db: ws.dbFile,
      access: [`database:           ${ws.dbFile}`],
      servers: [server],
      restart: () => Promise.reject(new Error('one server on SQLite: nothing to restart')),
      stop: async () => void (await server.stop('SIGTERM')),
    };
  }
  return startCluster(options);
}

function serverOn(ws: DemoWorkspace, db: string, host: string, port: number, publishDir: string) {
  return startServerProcess({
    pkiDir: ws.pkiDir,
    electionFile: ws.electionFile,
    dbFile: db,
    port,
    host,
    extraArgs: ['--publish-dir', publishDir],
  });
}

async function startCluster(options: BackendOptions): Promise<Backend> {
  const { ws, host, step } = options;
  step('starting a throwaway PostgreSQL cluster (initdb into a temporary folder, loopback only)');
  const cluster: PostgresCluster = await startPostgresCluster({
    register: stopWithThisProcess,
  }).catch((error: unknown) => {
    throw new CliError(
      'START_FAILED',
      {
        de: `PostgreSQL ließ sich nicht starten (${firstLine(error)}). Das Debian-Paket postgresql-15 installieren.`,
        en: `PostgreSQL could not be started (${firstLine(error)}). Install the Debian package postgresql-15.`,
      },
      1,
      { cause: error },
    );
  });
  // on SIGINT/SIGTERM postgres gets the signal with the other children; then its folder goes
  const forget = cleanUpOnSignal(() => cluster.abandon());
  const stopAll: (() => Promise<unknown>)[] = [async () => (await cluster.stop(), forget())];
  const stop = async () => {
    for (const undo of stopAll.splice(0).reverse()) await undo();
  };
  try {
    const db = await cluster.createDatabase('wahlkoffer');
    step(`adding the office users (${ws.officeUsersFile})`);
    await createDemoOfficeUsers(db, ws.officeUsersFile);
    const ports = await Promise.all(
      Array.from({ length: options.servers }, () => findFreePort(host)),
    );
    const publishDir = (i: number) =>
      i === 0 ? ws.publishDir : path.join(ws.dir, `publication-${i + 1}`);
    const servers: ServerProcess[] = [];
    for (const [i, port] of ports.entries()) {
      step(`starting server ${i + 1} of ${ports.length} on PostgreSQL (port ${port})`);
      servers.push(await serverOn(ws, db, host, port, publishDir(i)));
      stopAll.push(() => servers[i]!.stop('SIGTERM'));
    }
    step(`starting nginx as the load balancer on ${host}:${options.port}`);
    const balancer: LoadBalancer = await startLoadBalancer({
      dir: path.join(ws.dir, 'nginx'),
      host,
      port: options.port,
      upstreams: ports.map((p) => `${host}:${p}`),
    }).catch((error: unknown) => {
      throw new CliError(
        'START_FAILED',
        {
          de: `nginx ließ sich nicht starten (${firstLine(error)}). Das Debian-Paket nginx installieren.`,
          en: `nginx could not be started (${firstLine(error)}). Install the Debian package nginx.`,
        },
        1,
        { cause: error },
      );
    });
    stopAll.push(() => balancer.stop());
    return {
      url: balancer.url,
      db,
      access: [
        `database:           PostgreSQL on 127.0.0.1:${cluster.port} (throwaway cluster in ${cluster.dir})`,
        `servers:            ${servers.map((s) => s.url).join(', ')}`,
        `load balancer:      ${balancer.url} (nginx, config ${balancer.configFile})`,
      ],
      servers,
      restart: async (i) => {
        servers[i] = await serverOn(ws, db, host, ports[i]!, publishDir(i));
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

const firstLine = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).split('\n')[0]!;

const ResultsSchema = z.object({ reportsCounted: z.number().int() });

export type KillReport = {
  readonly killedAtReports: number;
  readonly restartedAtReports: number;
};

/**
 * `--kill-one`: watches the published count through the load balancer; once a third of the
 * reports are counted it kills server 1 with SIGKILL (a power cut), and once two thirds are, it
 * starts it again. `finish()` restarts it if the night ended first, and says when what happened.
 */
export function killOneServer(backend: Backend, expected: number, step: (s: string) => void) {
  let killedAt: number | undefined;
  let restartedAt: number | undefined;
  let restarting: Promise<void> | undefined;
  let stopped = false;
  const restart = (count: number) =>
    (restarting ??= (async () => {
      step(`starting server 1 again (it was killed at ${killedAt} reports)`);
      await backend.restart(0);
      restartedAt = count;
      step(`server 1 is back at ${count} reports counted; nginx sends it kits again`);
    })());
  const poll = async () => {
    while (!stopped && restartedAt === undefined) {
      const count = await counted(backend.url);
      if (killedAt === undefined && count >= expected / 3) {
        killedAt = count;
        backend.servers[0]!.child.kill('SIGKILL');
        step(
          `SIGKILL to server 1 at ${count} of ${expected} reports counted, in the middle of the burst`,
        );
      } else if (killedAt !== undefined && count >= (2 * expected) / 3) {
        await restart(count);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  const watching = poll();
  return {
    finish: async (): Promise<KillReport | undefined> => {
      stopped = true;
      await watching;
      if (killedAt !== undefined && restartedAt === undefined)
        await restart(await counted(backend.url));
      return killedAt === undefined
        ? undefined
        : { killedAtReports: killedAt, restartedAtReports: restartedAt ?? killedAt };
    },
  };
}

async function counted(url: string): Promise<number> {
  try {
    const response = await fetch(`${url}/api/v1/results`);
    return ResultsSchema.parse(await response.json()).reportsCounted;
  } catch {
    // a moment without an answer (the killed server's turn): count again on the next poll
    return 0;
  }
}
