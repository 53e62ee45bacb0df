import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import { HealthSchema } from '../../api/index.ts';
import type { ShapeName } from '../../election/index.ts';
import { fetchPublishedTotals } from '../../cli/demo/results.ts';
import { startServerProcess } from '../../cli/demo/server-process.ts';
import { compareTotals, truthTotals } from '../../cli/demo/totals.ts';
import { fireArrivals } from './arrivals.ts';
import type { ArrivalPhase } from './arrivals.ts';
import { fireLoad } from './load.ts';
import type { LoadResult, PreparedSend } from './load.ts';
import type { ExerciseOffice } from '../../cli/demo/exercise-office.ts';
import type { Worker } from 'node:worker_threads';
import type { OpenInput, OpenMessage } from './open-worker.ts';
import { SERVER_START_TIMEOUT_MS, discard, prepareScenario } from './prepare.ts';
import type { PrepareSpec } from './prepare.ts';
import { shares, startWorker } from './workers.ts';
import {
  cpuByThread,
  processCpuSeconds,
  serverThreads,
  settle,
  threadCpuSeconds,
} from '../servers/cpu.ts';

export { prepareSends } from './prepare.ts';

export type ScenarioSpec = PrepareSpec & {
  /** prepare in a temporary folder and cache nothing (else: bench/intake/prepare.ts's cache) */
  readonly fresh?: boolean;
  readonly concurrencies: readonly number[];
  /** envelopes opened for the crypto-only limit */
  readonly limitSample: number;
  /**
   * After the closed-loop levels, one more server on a fresh database: reports arriving at given
   * shares of the best closed-loop throughput (open loop), each share for about `seconds`, over at
   * most `kits` connections — the latency a night's kits see below saturation.
   */
  readonly arrivals?: {
    readonly kits: number;
    readonly shares: readonly number[];
    readonly seconds: number;
  };
};

export type LevelResult = LoadResult & {
  /**
   * the server process's CPU time (all threads) from the first report sent until it settled
   * after the last answer (`settleSeconds`), from /proc
   */
  readonly serverCpuSeconds: number;
  readonly serverCpuMsPerReport: number;
  /**
   * the same by thread (the server's `thread started` log lines name them: main, verify, writer,
   * publication, serve; `other` is V8's collector helpers and libuv's pool), from /proc; absent
   * where the threads could not be told apart
   */
  readonly serverCpuMsPerReportByThread?: Readonly<Record<string, number>>;
  /** the server process's peak resident memory (VmHWM) once it settled */
  readonly serverPeakRssMb: number;
  /**
   * seconds from the last answer until the server settled (its CPU below SETTLED_CORES over a
   * second): the work the reports caused that trails the answers, chiefly the publication's
   * pages and contest files (absent in reports before 2026-12-07 s10, which stopped the clock at
   * the last answer)
   */
  readonly settleSeconds?: number;
  /** false where the server was still busy SETTLE_LIMIT_MS after the last answer */
  readonly settled?: boolean;
  /** CPU per report and peak RSS read at the last answer, as reports before s10 gave them */
  readonly atLastAnswer?: {
    readonly serverCpuMsPerReport: number;
    readonly serverPeakRssMb: number;
  };
  readonly loadGeneratorCpuSeconds: number;
  readonly totalsMatchTruth: boolean;
  readonly reportsCounted: number;
  /**
   * from starting the server process until it answered, and then until its verification workers
   * had every station certificate in their cache (/healthz `preload`), before the level's clock
   * starts: a night's server runs for hours before the first report
   */
  readonly serverStartSeconds: { readonly ready: number; readonly warm: number };
};

export type ScenarioResult = {
  readonly name: string;
  readonly shape: ShapeName;
  readonly precincts: number;
  readonly stations: number;
  readonly revisionsPerStation: number;
  /** share of the stations that send one more revision (a correction) */
  readonly correctionShare: number;
  readonly reports: number;
  /** 0 where the preparation came from the cache */
  readonly setupSeconds: { readonly office: number; readonly prepare: number };
  readonly preparedFromCache: boolean;
  /** perSecond: warm certificate cache (the server's case; used for the ratio); coldPerSecond: first sight */
  readonly cryptoLimit: {
    readonly workers: number;
    readonly opened: number;
    readonly perSecond: number;
    readonly coldPerSecond: number;
    /** CPU milliseconds per envelope of the warm pass (all threads of the process) */
    readonly cpuMsPerReport: number;
  };
  readonly levels: readonly LevelResult[];
  /** the open-loop phases (`ScenarioSpec.arrivals`), in order; each on stations not sent before */
  readonly arrivals?: readonly ArrivalPhase[];
};

const WORKERS = 2;

/** Peak resident set size (VmHWM) of a process in MB, from /proc (Linux). */
function peakRssMb(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const kb = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kb ?? 0) / 1024;
  } catch {
    return 0;
  }
}

/** Resolves with the next message of a worker (rejects if it fails first). */
function nextMessage<T>(worker: Worker): Promise<T> {
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

/**
 * The crypto-only limit and cost: pki `openMeldung` on the same envelopes in WORKERS threads. A
 * cold pass first (each station certificate seen for the first time), then, all workers together,
 * the warm pass, around which this process's CPU time is read: all threads, the WebCrypto work on
 * libuv's pool included (this thread only waits meanwhile).
 */
async function cryptoLimit(office: ExerciseOffice, sends: readonly PreparedSend[], sample: number) {
  const envelopes = sends.slice(0, sample).map((s) => s.envelope);
  const workers = shares(envelopes, WORKERS).map((part) =>
    startWorker<OpenInput>('./open-worker.ts', { pkiDir: office.pkiDir, envelopes: part }),
  );
  try {
    const cold = await Promise.all(workers.map((w) => nextMessage<OpenMessage>(w)));
    const cpu = process.cpuUsage();
    const warmDone = Promise.all(workers.map((w) => nextMessage<OpenMessage>(w)));
    for (const w of workers) w.postMessage('warm');
    const warm = await warmDone;
    const used = process.cpuUsage(cpu);
    const passes = [...cold, ...warm].map((m) => m.pass);
    const failed = passes.reduce((n, p) => n + p.failed, 0);
    if (failed > 0) throw new Error(`${failed} envelopes failed to open in the crypto-only run`);
    const rate = (ms: readonly OpenMessage[]): number =>
      ms.reduce((sum, m) => sum + m.pass.opened / m.pass.seconds, 0);
    const opened = warm.reduce((n, m) => n + m.pass.opened, 0);
    return {
      workers: WORKERS,
      opened,
      perSecond: rate(warm),
      coldPerSecond: rate(cold),
      cpuMsPerReport: (used.user + used.system) / 1000 / opened,
    };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * A server process on a fresh database and publication folder (removed afterwards; the office may
 * be cached), its certificate preload awaited before `measure` runs.
 */
async function withServer<T>(
  office: ExerciseOffice,
  label: string,
  log: (s: string) => void,
  measure: (
    server: Awaited<ReturnType<typeof startServerProcess>>,
    start: { ready: number; warm: number },
  ) => Promise<T>,
): Promise<T> {
  const levelDir = await mkdtemp(path.join(office.dir, `level-${label}-`));
  const starting = performance.now();
  const server = await startServerProcess({
    pkiDir: office.pkiDir,
    electionFile: office.electionFile,
    dbFile: path.join(levelDir, 'intake.db'),
    timeoutMs: SERVER_START_TIMEOUT_MS,
  });
  try {
    const ready = (performance.now() - starting) / 1000;
    await warmedUp(server.url, log);
    const warm = (performance.now() - starting) / 1000 - ready;
    log(
      `    server ready after ${ready.toFixed(1)} s, certificates preloaded ${warm.toFixed(1)} s later`,
    );
    return await measure(server, { ready, warm });
  } finally {
    await server.stop('SIGTERM');
    await rm(levelDir, { recursive: true, force: true });
  }
}

function runLevel(
  office: ExerciseOffice,
  sends: readonly PreparedSend[],
  concurrency: number,
  log: (s: string) => void,
): Promise<LevelResult> {
  return withServer(office, `c${concurrency}`, log, async (server, serverStartSeconds) => {
    const serverCpu = processCpuSeconds(server.child.pid);
    const threadsBefore = threadCpuSeconds(server.child.pid);
    const ownCpu = process.cpuUsage();
    const result = await fireLoad(server.url, sends, concurrency, (done) =>
      log(`    c=${concurrency}: ${done}/${sends.length}`),
    );
    const own = process.cpuUsage(ownCpu);
    const atLastAnswer = {
      serverCpuMsPerReport:
        ((processCpuSeconds(server.child.pid) - serverCpu) * 1000) / result.reports,
      serverPeakRssMb: peakRssMb(server.child.pid),
    };
    const settling = await settle(server.child.pid);
    const serverCpuSeconds = processCpuSeconds(server.child.pid) - serverCpu;
    const names = serverThreads(server.output());
    const byThread = cpuByThread(threadsBefore, threadCpuSeconds(server.child.pid), names);
    const serverPeakRssMb = peakRssMb(server.child.pid);
    const published = await fetchPublishedTotals(server.url, office.definition);
    const reportsCounted = Object.values(published).reduce((n, c) => n + c.reported, 0);
    const totalsMatchTruth =
      compareTotals(truthTotals(office.definition, office.truth), published).length === 0;
    return {
      ...result,
      serverCpuSeconds,
      serverCpuMsPerReport: (serverCpuSeconds * 1000) / result.reports,
      ...(names.size === 0
        ? {}
        : {
            serverCpuMsPerReportByThread: Object.fromEntries(
              Object.entries(byThread).map(([name, s]) => [name, (s * 1000) / result.reports]),
            ),
          }),
      serverPeakRssMb,
      settleSeconds: settling.seconds,
      settled: settling.settled,
      atLastAnswer,
      loadGeneratorCpuSeconds: (own.user + own.system) / 1e6,
      totalsMatchTruth,
      reportsCounted,
      serverStartSeconds,
    };
  });
}

/** Fewer reports than this left for a phase: the phase is not run (its p99 would mean little). */
const MIN_PHASE_REPORTS = 500;

/**
 * The open-loop phases on one server: each share of `capacity` gets the next stations' reports for
 * about `seconds` (fewer where the scenario has no more), one phase after the other.
 */
function runArrivals(
  office: ExerciseOffice,
  sends: readonly PreparedSend[],
  spec: NonNullable<ScenarioSpec['arrivals']>,
  capacity: number,
  log: (s: string) => void,
): Promise<ArrivalPhase[]> {
  return withServer(office, 'arrivals', log, async (server) => {
    const phases: ArrivalPhase[] = [];
    let from = 0;
    for (const [i, share] of spec.shares.entries()) {
      const perSecond = Math.max(1, Math.round(share * capacity));
      const part = sends.slice(from, from + Math.round(perSecond * spec.seconds));
      if (part.length < MIN_PHASE_REPORTS) {
        log(`    ${perSecond} reports/s offered: only ${part.length} reports left, not run`);
        break;
      }
      from += part.length;
      const phase = await fireArrivals(server.url, part, {
        kits: spec.kits,
        perSecond,
        seed: 1 + i,
      });
      phases.push({ ...phase, shareOfCapacity: share });
      log(
        `    ${perSecond} reports/s offered (${Math.round(share * 100)} % of ${capacity.toFixed(0)}): ` +
          `${phase.achievedPerSecond.toFixed(0)}/s, p50 ${phase.latencyMs.p50.toFixed(0)} ms, ` +
          `p99 ${phase.latencyMs.p99.toFixed(0)} ms, ${phase.accepted}/${phase.reports} accepted`,
      );
    }
    return phases;
  });
}

/** Waits until the server's /healthz says its certificate preload is done (or has none). */
async function warmedUp(url: string, log: (s: string) => void): Promise<void> {
  const deadline = performance.now() + SERVER_START_TIMEOUT_MS;
  let said = 0;
  for (;;) {
    const health = HealthSchema.parse(await (await fetch(`${url}/healthz`)).json());
    if (health.preload === undefined || health.preload.done) return;
    if (performance.now() > deadline)
      throw new Error(
        `the server's certificate preload did not end: ${JSON.stringify(health.preload)}`,
      );
    if (performance.now() - said > 10_000) {
      said = performance.now();
      log(`    certificate preload ${health.preload.read}/${health.preload.of}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** One scenario: the prepared office and reports (cached), the crypto limit, then each concurrency on a fresh database. */
export async function runScenario(
  spec: ScenarioSpec,
  log: (s: string) => void,
): Promise<ScenarioResult> {
  const prepared = await prepareScenario(spec, { fresh: spec.fresh === true, log });
  const { office, sends } = prepared;
  log(
    `  crypto-only limit: openMeldung on ${Math.min(spec.limitSample, sends.length)} envelopes in ${WORKERS} workers`,
  );
  const limit = await cryptoLimit(office, sends, spec.limitSample);
  const levels: LevelResult[] = [];
  for (const c of spec.concurrencies) {
    log(`  end to end over HTTP, ${sends.length} reports at concurrency ${c} (fresh database)`);
    levels.push(await runLevel(office, sends, c, log));
    const l = levels.at(-1)!;
    log(
      `    ${l.reportsPerSecond.toFixed(0)} reports/s in ${l.seconds.toFixed(1)} s, p99 ${l.latencyMs.p99.toFixed(0)} ms, ` +
        `${l.serverCpuMsPerReport.toFixed(2)} CPU ms/report, peak RSS ${l.serverPeakRssMb.toFixed(0)} MB ` +
        `(settled ${l.settleSeconds?.toFixed(0)} s after the last answer${l.settled === false ? ': NOT settled' : ''}; ` +
        `at the last answer ${l.atLastAnswer?.serverCpuMsPerReport.toFixed(2)} CPU ms/report, ${l.atLastAnswer?.serverPeakRssMb.toFixed(0)} MB)`,
    );
  }
  let arrivals: ArrivalPhase[] | undefined;
  if (spec.arrivals !== undefined && levels.length > 0) {
    const capacity = Math.max(...levels.map((l) => l.reportsPerSecond));
    log(
      `  open loop: reports arriving at ${spec.arrivals.shares.map((x) => `${Math.round(x * 100)} %`).join(', ')} ` +
        `of ${capacity.toFixed(0)} reports/s, ${spec.arrivals.kits} kits at most (fresh database)`,
    );
    arrivals = await runArrivals(office, sends, spec.arrivals, capacity, log);
  }
  await discard(prepared);
  return {
    name: spec.name,
    shape: spec.shape,
    precincts: office.definition.precincts.length,
    stations: prepared.stations.length,
    revisionsPerStation: spec.revisions,
    correctionShare: spec.correctionShare ?? 0,
    reports: sends.length,
    setupSeconds: prepared.setupSeconds,
    preparedFromCache: prepared.cached,
    cryptoLimit: limit,
    levels,
    ...(arrivals === undefined ? {} : { arrivals }),
  };
}
