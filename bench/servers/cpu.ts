import { readdirSync, readFileSync } from 'node:fs';

/*
 * CPU accounting from /proc (Linux), so a level can say where the two cores went: the servers,
 * PostgreSQL (the postmaster and its backends), nginx, the load generator, and the machine as a
 * whole.
 */

/**
 * The fields of a /proc `stat` file after the command name (which may hold spaces): [0] the state,
 * [1] the parent's pid, [11] and [12] user and system time in clock ticks. Throws once it is gone.
 */
function statFields(file: string): string[] {
  return readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
}

/** user + system CPU seconds of a stat file's fields (clock ticks of 1/100 s). */
const cpuSeconds = (fields: readonly string[]): number =>
  (Number(fields[11]) + Number(fields[12])) / 100;

/** user + system CPU seconds of one process (all its threads) so far; 0 once it is gone. */
export function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    return cpuSeconds(statFields(`/proc/${pid}/stat`));
  } catch {
    return 0;
  }
}

/** user + system CPU seconds of each thread of a process so far, by the thread's id (Linux). */
export function threadCpuSeconds(pid: number | undefined): Map<number, number> {
  const out = new Map<number, number>();
  if (pid === undefined) return out;
  let tasks: string[];
  try {
    tasks = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tasks) {
    try {
      out.set(Number(tid), cpuSeconds(statFields(`/proc/${pid}/task/${tid}/stat`)));
    } catch {
      // the thread ended while we looked
    }
  }
  return out;
}

/**
 * The server's threads by their thread id, from its `thread started {thread, osThread}` log lines
 * (central-server/threads/os-thread.ts): main, verify, sign, writer, publication, serve, migrate.
 */
export function serverThreads(output: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of output.split('\n')) {
    if (!line.includes('"thread started"')) continue;
    try {
      const { thread, osThread } = JSON.parse(line) as { thread?: unknown; osThread?: unknown };
      if (typeof thread === 'string' && typeof osThread === 'number') out.set(osThread, thread);
    } catch {
      // not a log line of ours
    }
  }
  return out;
}

/**
 * The CPU seconds each named thread used between two readings of `threadCpuSeconds`; every
 * thread the server did not name (V8's collector helpers, libuv's pool with WebCrypto's work, the
 * migration thread once ended) is summed as `other`.
 */
export function cpuByThread(
  before: ReadonlyMap<number, number>,
  after: ReadonlyMap<number, number>,
  names: ReadonlyMap<number, string>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [tid, seconds] of after) {
    const name = names.get(tid) ?? 'other';
    out[name] = (out[name] ?? 0) + seconds - (before.get(tid) ?? 0);
  }
  return out;
}

/** `pid` and every process below it (PostgreSQL's backends, nginx's workers). */
export function processTree(pid: number | undefined): number[] {
  if (pid === undefined) return [];
  const parents = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const ppid = Number(statFields(`/proc/${entry}/stat`)[1]);
      const list = parents.get(ppid) ?? [];
      list.push(Number(entry));
      parents.set(ppid, list);
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const visit = (p: number) => {
    out.push(p);
    for (const child of parents.get(p) ?? []) visit(child);
  };
  visit(pid);
  return out;
}

/** CPU seconds of a process tree so far. */
export function treeCpuSeconds(pid: number | undefined): number {
  return processTree(pid).reduce((sum, p) => sum + processCpuSeconds(p), 0);
}

/** The machine's busy and total CPU time so far (all cores, seconds), from /proc/stat. */
export function machineCpu(): { busy: number; total: number } {
  const fields = readFileSync('/proc/stat', 'utf8')
    .split('\n')[0]!
    .trim()
    .split(/\s+/)
    .slice(1)
    .map(Number);
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] =
    fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy: busy / 100, total: (busy + idle + iowait) / 100 };
}

/** A server using less than this share of one core over a second has settled. */
export const SETTLED_CORES = 0.05;
/** How long after the last answer the benchmark waits for the server to settle. */
const SETTLE_LIMIT_MS = 120_000;

/**
 * Waits until the server process has done the work the reports caused after their answers — the
 * publication's pages and contest files trail the intake (docs/publication.md), and garbage is
 * collected — i.e. until it used less than SETTLED_CORES over one second. `seconds` runs from the
 * call to the start of that quiet second.
 */
export async function settle(
  pid: number | undefined,
  { cpuSeconds = processCpuSeconds, windowMs = 1000, limitMs = SETTLE_LIMIT_MS } = {},
): Promise<{ seconds: number; settled: boolean }> {
  const start = performance.now();
  let before = cpuSeconds(pid);
  let quietFrom = start;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, windowMs));
    const now = cpuSeconds(pid);
    const at = performance.now();
    const seconds = (quietFrom - start) / 1000;
    if (now - before < (SETTLED_CORES * (at - quietFrom)) / 1000) return { seconds, settled: true };
    if (at - start > limitMs) return { seconds, settled: false };
    before = now;
    quietFrom = at;
  }
}
