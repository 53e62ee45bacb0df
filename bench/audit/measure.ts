import { spawn } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { stopWithThisProcess } from '../../cli/children.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/wahlkoffer.js');

/** One `wahlkoffer` command, timed: wall clock, CPU, exact peak RSS, and its RSS over time. */
export type Measured = {
  readonly command: string;
  readonly exitCode: number | null;
  readonly seconds: number;
  /** user + system CPU seconds of the command (all its threads) */
  readonly cpuSeconds: number;
  /** the maximum resident set size the kernel recorded (GNU time %M) */
  readonly peakRssMb: number;
  /** resident set size sampled every SAMPLE_MS: [seconds since start, MB] */
  readonly rssMb: readonly (readonly [number, number])[];
  /** the last line of standard output (the commands end with one JSON object) */
  readonly lastLine: string;
};

const SAMPLE_MS = 250;

async function rssOf(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+) kB/.exec(status)?.[1];
    return kb === undefined ? undefined : Number(kb) / 1024;
  } catch {
    return undefined;
  }
}

/** The node process GNU time runs (its only child). */
async function childOf(pid: number): Promise<number | undefined> {
  try {
    const tasks = await readdir(`/proc/${pid}/task`);
    for (const t of tasks) {
      const children = (await readFile(`/proc/${pid}/task/${t}/children`, 'utf8')).trim();
      if (children !== '') return Number(children.split(' ')[0]);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Runs `wahlkoffer <args>` under GNU time (/usr/bin/time: the kernel's own peak RSS and CPU of
 * the process, not a sample) and samples its RSS meanwhile, to show whether memory stays flat.
 * Standard error (the progress of the command) goes to `onStderr`.
 */
export async function measureWahlkoffer(
  args: readonly string[],
  onStderr: (line: string) => void,
): Promise<Measured> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'wk-bench-time-'));
  const timeFile = path.join(tmp, 'time.txt');
  const started = performance.now();
  const child = stopWithThisProcess(
    spawn('/usr/bin/time', ['-f', '%e %U %S %M', '-o', timeFile, process.execPath, BIN, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let stdout = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  let pending = '';
  child.stderr.on('data', (c: Buffer) => {
    pending += c.toString('utf8');
    const lines = pending.split(/[\r\n]+/);
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onStderr(line);
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  const samples: [number, number][] = [];
  let node: number | undefined;
  const timer = setInterval(() => {
    void (async () => {
      node ??= child.pid === undefined ? undefined : await childOf(child.pid);
      const rss = node === undefined ? undefined : await rssOf(node);
      if (rss !== undefined) samples.push([(performance.now() - started) / 1000, rss]);
    })();
  }, SAMPLE_MS);
  const exitCode = await exited;
  clearInterval(timer);
  const [elapsed, user, system, maxKb] = (await readFile(timeFile, 'utf8'))
    .trim()
    .split('\n')
    .at(-1)!
    .split(' ')
    .map(Number);
  await rm(tmp, { recursive: true, force: true });
  return {
    command: `wahlkoffer ${args.join(' ')}`,
    exitCode,
    seconds: elapsed ?? 0,
    cpuSeconds: (user ?? 0) + (system ?? 0),
    peakRssMb: (maxKb ?? 0) / 1024,
    rssMb: samples,
    lastLine: stdout.trim().split('\n').at(-1) ?? '',
  };
}

/**
 * RSS at each tenth of the run (the sample nearest to it): flat memory shows as a curve that
 * stops rising once the fixed parts are loaded, while the reports keep streaming.
 */
export function rssProfile(m: Measured): number[] {
  if (m.rssMb.length === 0) return [];
  const end = m.rssMb.at(-1)![0];
  return Array.from({ length: 10 }, (_, i) => {
    const at = (end * (i + 1)) / 10;
    let best = m.rssMb[0]!;
    for (const s of m.rssMb) if (Math.abs(s[0] - at) < Math.abs(best[0] - at)) best = s;
    return Math.round(best[1]);
  });
}

/**
 * How fast RSS grows while the reports stream, in MB per 10,000 reports: the least-squares slope
 * of the samples between 20 % and 90 % of the run (start-up and the final steps left out),
 * taking the reports as spread evenly over that time. Flat memory is a slope near 0.
 */
export function rssSlope(m: Measured, reports: number): number | null {
  const end = m.rssMb.at(-1)?.[0];
  if (end === undefined || reports === 0) return null;
  const inside = m.rssMb.filter(([t]) => t >= end * 0.2 && t <= end * 0.9);
  if (inside.length < 3) return null;
  const n = inside.length;
  const mt = inside.reduce((s, [t]) => s + t, 0) / n;
  const mr = inside.reduce((s, [, r]) => s + r, 0) / n;
  let num = 0;
  let den = 0;
  for (const [t, r] of inside) {
    num += (t - mt) * (r - mr);
    den += (t - mt) ** 2;
  }
  if (den === 0) return null;
  const mbPerSecond = num / den;
  const reportsPerSecond = reports / end;
  return Math.round((mbPerSecond / reportsPerSecond) * 10_000 * 10) / 10;
}
