import { spawn } from 'node:child_process';

export type WrkResult = {
  readonly url: string;
  readonly connections: number;
  readonly seconds: number;
  readonly requestsPerSecond: number;
  readonly latencyMs: { readonly p50: number; readonly p99: number };
  /** non-2xx/3xx answers and socket errors: must be 0 for a valid figure */
  readonly errors: number;
};

function ms(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : unit === 'm' ? n * 60_000 : n;
}

/** Parses wrk's text output (with --latency). */
export function parseWrk(out: string): Omit<WrkResult, 'url' | 'connections' | 'seconds'> {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p50 = /\s50%\s+([\d.]+)(us|ms|s|m)\b/.exec(out);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s|m)\b/.exec(out);
  if (rps === null || p50 === null || p99 === null)
    throw new Error(`unreadable wrk output:\n${out}`);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  const socketErrors = socket === null ? 0 : socket.slice(1).reduce((n, x) => n + Number(x), 0);
  return {
    requestsPerSecond: Number(rps[1]),
    latencyMs: { p50: ms(p50[1]!, p50[2]!), p99: ms(p99[1]!, p99[2]!) },
    errors: Number(non2xx?.[1] ?? 0) + socketErrors,
  };
}

/** `wrk -t2 -c<connections> -d<seconds>s --latency <url>` as its own process. */
export function runWrk(url: string, connections: number, seconds: number): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', ['-t2', `-c${connections}`, `-d${seconds}s`, '--latency', url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`wrk exited ${code}:\n${out}`));
      try {
        resolve({ url, connections, seconds, ...parseWrk(out) });
      } catch (error) {
        reject(error as Error);
      }
    });
  });
}
