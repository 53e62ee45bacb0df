import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopWithThisProcess } from '../children.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/wahlkoffer.js');
const LISTENING = /listening on (https?:\/\/\S+)/;
/**
 * glibc keeps freed memory in one arena per thread; two arenas for the server's five threads
 * took 75–200 MB off its peak under load at the same CPU per report (decision 0067). The
 * caller's environment wins.
 */
export const SERVER_MALLOC_ENV = { MALLOC_ARENA_MAX: '2' } as const;

export type ServerProcess = {
  readonly url: string;
  readonly child: ChildProcess;
  /** everything the server wrote so far (stdout and stderr), for diagnostics */
  readonly output: () => string;
  /** resolves with the exit code or signal once the process has ended */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM (clean shutdown) or SIGKILL (crash), then waits for the exit */
  readonly stop: (
    signal?: NodeJS.Signals,
  ) => Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
};

export type ServerProcessOptions = {
  readonly pkiDir: string;
  readonly electionFile: string;
  /** a SQLite file, or a PostgreSQL URL (handed over in WAHLKOFFER_DB: it may hold a password) */
  readonly dbFile: string;
  readonly port?: number;
  readonly host?: string;
  /**
   * plain HTTP (--plain-http), as the demo, the tests and the benchmarks run on loopback and
   * nginx in front does; false: HTTPS with the PKI's TLS certificate (default true here)
   */
  readonly plainHttp?: boolean;
  readonly extraArgs?: readonly string[];
  /** how long to wait for the `listening on …` line */
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** each line the server writes (for progress display); default: kept only in `output()` */
  readonly onLine?: (line: string) => void;
};

/**
 * The Node flags a server process starts with: only those in WAHLKOFFER_SERVER_NODE_ARGS (e.g.
 * --cpu-prof when profiling). No --max-semi-space-size: that V8 flag overrides every worker
 * thread's `resourceLimits`, and V8's default for the main thread (16 MB semi-spaces) is what it
 * needs (decision 0067, follow-up of 2026-12-07 noon).
 */
export function serverNodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.WAHLKOFFER_SERVER_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
}

const isPostgresUrl = (db: string) => /^postgres(ql)?:/i.test(db);

/**
 * Starts `wahlkoffer server` as a child process and resolves once it prints
 * `listening on http(s)://HOST:PORT` (the server's readiness contract). A real process, so a test
 * can kill it with SIGKILL exactly as a power cut would.
 */
export function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const args = [
    ...serverNodeArgs(),
    BIN,
    'server',
    '--pki',
    options.pkiDir,
    '--election',
    options.electionFile,
    ...(isPostgresUrl(options.dbFile) ? [] : ['--db', options.dbFile]),
    '--port',
    String(options.port ?? 0),
    ...(options.host === undefined ? [] : ['--host', options.host]),
    ...(options.plainHttp === false ? [] : ['--plain-http']),
    ...(options.extraArgs ?? []),
  ];
  const child = stopWithThisProcess(
    spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...SERVER_MALLOC_ENV,
        ...process.env,
        ...(isPostgresUrl(options.dbFile) ? { WAHLKOFFER_DB: options.dbFile } : {}),
        ...options.env,
      },
    }),
  );
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return new Promise((resolve, reject) => {
    let pending = '';
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `server did not report "listening on" within ${options.timeoutMs ?? 60_000} ms:\n${output}`,
        ),
      );
    }, options.timeoutMs ?? 60_000);
    const onData = (chunk: Buffer): void => {
      const text = chunk.toString('utf8');
      output += text;
      pending += text;
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        options.onLine?.(line);
        const match = LISTENING.exec(line);
        if (!ready && match?.[1] !== undefined) {
          ready = true;
          clearTimeout(timer);
          const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          };
          resolve({ url: match[1].replace(/\/$/, ''), child, output: () => output, exited, stop });
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    void exited.then(({ code, signal }) => {
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
      }
    });
  });
}
