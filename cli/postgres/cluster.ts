import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { findFreePort } from '../demo/workspace.ts';

/**
 * A throwaway PostgreSQL cluster for the tests, the demo and the benchmark: `initdb` into a
 * temporary directory, `postgres` as a child process bound to loopback (a free port) and to a
 * Unix socket in that directory, stopped and removed afterwards. No running PostgreSQL server is
 * assumed, only Debian's binaries (postgresql-15: /usr/lib/postgresql/15/bin).
 *
 * PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user.
 * Connections over TCP need a password (SCRAM, a random one per cluster, handed out in the
 * URLs); the socket lives in the cluster's directory, which only its owner can enter.
 *
 * A watchdog (a small shell loop) stops the cluster and removes its directory when the process
 * that started it ends in any way — SIGKILL and crashes included — so nothing is left behind.
 */
export type PostgresCluster = {
  readonly port: number;
  /** the postmaster (its backends run below it) */
  readonly pid: number | undefined;
  readonly dir: string;
  /** a connection URL for `database` over loopback TCP, with this cluster's password */
  url(database: string): string;
  /** creates a database (owned by the cluster's superuser) and returns its URL */
  createDatabase(name: string): Promise<string>;
  /** fast shutdown and start again on the same directory and port (every connection is cut) */
  restart(): Promise<void>;
  /** fast shutdown (SIGINT), then removes the directory */
  stop(): Promise<void>;
  /**
   * For a process about to exit on a signal, synchronously: SIGKILL to PostgreSQL should it still
   * run (normally it got the signal too and has stopped), the watchdog ended, the directory gone.
   */
  abandon(): void;
};

export type ClusterOptions = {
  /** each line PostgreSQL logs (default: dropped; the log is also kept in <dir>/postgres.log) */
  readonly onLog?: (line: string) => void;
  /** extra `-c name=value` settings */
  readonly settings?: Readonly<Record<string, string>>;
  /** how long to wait for the cluster to accept connections */
  readonly timeoutMs?: number;
  /** called with the `postgres` child as soon as it runs (e.g. cli/children.ts stopWithThisProcess) */
  readonly register?: (child: ChildProcess) => void;
};

const SUPERUSER = 'postgres';

/** Where Debian keeps the PostgreSQL binaries (the newest version), or WAHLKOFFER_POSTGRES_BIN. */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string {
  const configured = env.WAHLKOFFER_POSTGRES_BIN;
  if (configured !== undefined && configured !== '') return configured;
  const base = '/usr/lib/postgresql';
  const versions = existsSync(base)
    ? readdirSync(base)
        .filter((v) => existsSync(path.join(base, v, 'bin', 'postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] === undefined) {
    throw new Error(
      'PostgreSQL binaries not found (install Debian package postgresql-15, or set WAHLKOFFER_POSTGRES_BIN)',
    );
  }
  return path.join(base, versions[0], 'bin');
}

/** As root, the ids of the `postgres` user; otherwise undefined (run as ourselves). */
function clusterOwner(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string) => Number(execFileSync('id', [flag, SUPERUSER], { encoding: 'utf8' }));
  return { uid: id('-u'), gid: id('-g') };
}

export async function startPostgresCluster(options: ClusterOptions = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  const owner = clusterOwner();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'wahlkoffer-pg-'));
  const password = randomBytes(18).toString('base64url');
  const as = owner === undefined ? {} : owner;
  try {
    writeFileSync(path.join(dir, 'pwfile'), `${password}\n`, { mode: 0o600 });
    if (owner !== undefined) {
      chownSync(dir, owner.uid, owner.gid);
      chownSync(path.join(dir, 'pwfile'), owner.uid, owner.gid);
    }
    chmodSync(dir, 0o700);
    execFileSync(
      path.join(bin, 'initdb'),
      [
        ...['-D', path.join(dir, 'data'), '-U', SUPERUSER, '-E', 'UTF8', '--locale=C.UTF-8'],
        ...['--auth-local=trust', '--auth-host=scram-sha-256', `--pwfile=${dir}/pwfile`],
        // a throwaway cluster: initdb's own files need no fsync (the running server does fsync)
        '--no-sync',
      ],
      { ...as, stdio: 'ignore' },
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return launch({ bin, dir, password, owner, options });
}

type Launch = {
  readonly bin: string;
  readonly dir: string;
  readonly password: string;
  readonly owner: { uid: number; gid: number } | undefined;
  readonly options: ClusterOptions;
};

/** One run of the `postgres` server on the cluster's directory and port. */
type Run = {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  readonly watchdog: ChildProcess;
  readonly log: string[];
};

function run(l: Launch, port: number): Run {
  const settings = {
    listen_addresses: '127.0.0.1',
    unix_socket_directories: l.dir,
    max_connections: '200',
    ...l.options.settings,
  };
  const child = spawn(
    path.join(l.bin, 'postgres'),
    [
      ...['-D', path.join(l.dir, 'data'), '-p', String(port)],
      ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`]),
    ],
    { ...(l.owner ?? {}), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  l.options.register?.(child);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    for (const line of chunk.split('\n').filter((x) => x !== '')) {
      if (log.length < 200) log.push(line);
      l.options.onLog?.(line);
    }
  });
  return { child, exited, watchdog: startWatchdog(child, l.dir), log };
}

/** Fast shutdown (SIGINT; SIGKILL after 30 s) of one run, and its watchdog. */
async function halt(r: Run): Promise<void> {
  if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGINT');
  const timer = setTimeout(() => r.child.kill('SIGKILL'), 30_000);
  await r.exited;
  clearTimeout(timer);
  r.watchdog.kill('SIGKILL');
}

async function launch(l: Launch): Promise<PostgresCluster> {
  const port = await findFreePort('127.0.0.1');
  const url = (database: string) =>
    `postgresql://${SUPERUSER}:${l.password}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  const ready = async (r: Run) => {
    try {
      await waitUntilReady(url('postgres'), r.exited, l.options.timeoutMs ?? 60_000);
    } catch (error) {
      await halt(r);
      throw new Error(
        `PostgreSQL did not start: ${(error as Error).message}\n${r.log.join('\n')}`,
        {
          cause: error,
        },
      );
    }
  };
  let current = run(l, port);
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await halt(current);
      await rm(l.dir, { recursive: true, force: true });
    })());
  try {
    await ready(current);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    get pid() {
      return current.child.pid;
    },
    dir: l.dir,
    url,
    createDatabase: async (name) => {
      const client = new pg.Client({ connectionString: url('postgres') });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    restart: async () => {
      await halt(current);
      current = run(l, port);
      await ready(current);
    },
    stop,
    abandon: () => {
      const { child, watchdog } = current;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      watchdog.kill('SIGKILL');
      rmSync(l.dir, { recursive: true, force: true });
    },
  };
}

/** Connects until PostgreSQL answers (it logs "ready to accept connections" a moment before). */
async function waitUntilReady(url: string, exited: Promise<void>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void exited.then(() => (ended = true));
  for (;;) {
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return;
    } catch (error) {
      if (ended) throw new Error('postgres exited', { cause: error });
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    } finally {
      await client.end().catch(() => undefined);
    }
  }
}

/**
 * A shell loop that outlives this process only to clean up after it: once this process is gone
 * (whatever ended it), it stops PostgreSQL (fast shutdown, then SIGKILL) and removes the
 * directory. `stop()` kills the watchdog after doing the same itself.
 */
function startWatchdog(postgres: ChildProcess, dir: string): ChildProcess {
  const script = [
    'while kill -0 "$1" 2>/dev/null; do sleep 1; done',
    'kill -INT "$2" 2>/dev/null',
    'for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$2" 2>/dev/null || break; sleep 1; done',
    'kill -KILL "$2" 2>/dev/null',
    'rm -rf "$3"',
  ].join('; ');
  const watchdog = spawn(
    'sh',
    ['-c', script, 'wahlkoffer-pg-watchdog', String(process.pid), String(postgres.pid), dir],
    { detached: true, stdio: 'ignore' },
  );
  watchdog.unref();
  return watchdog;
}
