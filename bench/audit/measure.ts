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
  /** the command's progress lines (WAHLKOFFER_PROGRESS=lines): [seconds since start, phase, done] */
  readonly progress: readonly (readonly [number, string, number])[];
};

const PROGRESS_LINE = /^wahlkoffer progress: (.+) (\d+)\/(\d+)$/;

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
      env: { ...process.env, WAHLKOFFER_PROGRESS: 'lines' },
    }),
  );
  let stdout = '';
  const progress: [number, string, number][] = [];
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
  let pending = '';
  child.stderr.on('data', (c: Buffer) => {
    pending += c.toString('utf8');
    const lines = pending.split(/[\r\n]+/);
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const step = PROGRESS_LINE.exec(line.trim());
      if (step !== null) {
        progress.push([(performance.now() - started) / 1000, step[1]!, Number(step[2])]);
      } else if (line.trim() !== '') onStderr(line);
    }
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
    progress,
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
 * of RSS against the reports done, over the samples taken while the command's per-report phase
 * (`phase`, from its progress lines) went from 20 % of the reports to its last step — start-up
 * (the election definition, the workers) and the steps after the reports left out. Flat memory
 * is a slope near 0. Null without progress lines or with too few samples.
 */
export function rssSlope(m: Measured, phase: string): number | null {
  const steps = m.progress.filter(([, p]) => p === phase);
  const last = steps.at(-1);
  if (last === undefined) return null;
  const from = steps.find(([, , done]) => done >= last[2] * 0.2) ?? steps[0]!;
  /** reports done at time t, between two progress lines */
  const doneAt = (t: number): number => {
    let before = steps[0]!;
    for (const s of steps) {
      if (s[0] > t) {
        const span = s[0] - before[0];
        return span <= 0 ? s[2] : before[2] + ((t - before[0]) / span) * (s[2] - before[2]);
      }
      before = s;
    }
    return before[2];
  };
  const points = m.rssMb
    .filter(([t]) => t >= from[0] && t <= last[0])
    .map(([t, rss]) => [doneAt(t), rss] as const);
  if (points.length < 3) return null;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? null : Math.round((num / den) * 10_000 * 10) / 10;
}
