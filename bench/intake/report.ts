import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SETTLED_CORES } from '../servers/cpu.ts';
import type { ScenarioResult } from './scenario.ts';

export type IntakeReport = {
  readonly date: string;
  readonly command: string;
  readonly machine: {
    readonly cpu: string;
    readonly cores: number;
    readonly memoryGiB: number;
    readonly node: string;
    readonly os: string;
  };
  /** 1-minute load average at the start and the end: other work on the machine skews every figure */
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly targets: {
    readonly reportsPerSecond: number;
    readonly ratioToLimit: number;
    readonly p99Ms: number;
  };
  readonly scenarios: readonly ScenarioResult[];
};

/**
 * The headline of a run: the germany-btw2025 scenario (else the last) at 256 concurrent kits (else
 * its highest concurrency). efficiency = crypto-only CPU per report / server CPU per report.
 */
export function headline(r: IntakeReport) {
  const scenario = r.scenarios.find((s) => s.shape === 'germany-btw2025') ?? r.scenarios.at(-1);
  const level = scenario?.levels.find((l) => l.concurrency === 256) ?? scenario?.levels.at(-1);
  if (scenario === undefined || level === undefined) throw new Error('no scenario was run');
  const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;
  return {
    scenario: scenario.name,
    stations: scenario.stations,
    reports: level.reports,
    accepted: level.accepted,
    concurrency: level.concurrency,
    reportsPerSecond: round(level.reportsPerSecond, 0),
    p99Ms: round(level.latencyMs.p99, 1),
    serverCpuMsPerReport: round(level.serverCpuMsPerReport),
    ...(level.serverCpuMsPerReportByThread === undefined
      ? {}
      : {
          serverCpuMsPerReportByThread: Object.fromEntries(
            Object.entries(level.serverCpuMsPerReportByThread).map(([n, ms]) => [n, round(ms)]),
          ),
        }),
    cryptoCpuMsPerReport: round(scenario.cryptoLimit.cpuMsPerReport),
    efficiency: round(scenario.cryptoLimit.cpuMsPerReport / level.serverCpuMsPerReport),
    serverPeakRssMb: round(level.serverPeakRssMb, 0),
    ...(level.settleSeconds === undefined ? {} : { settleSeconds: round(level.settleSeconds, 0) }),
    ...(level.atLastAnswer === undefined
      ? {}
      : {
          atLastAnswer: {
            serverCpuMsPerReport: round(level.atLastAnswer.serverCpuMsPerReport),
            efficiency: round(
              scenario.cryptoLimit.cpuMsPerReport / level.atLastAnswer.serverCpuMsPerReport,
            ),
            serverPeakRssMb: round(level.atLastAnswer.serverPeakRssMb, 0),
          },
        }),
    precincts: scenario.precincts,
    /** every precinct's report (and the scenario's share of corrections) at the measured rate */
    secondsForAllStations: round(allReports(scenario) / level.reportsPerSecond, 1),
    loadAverage: r.loadAverage,
  };
}

/** The reports of the scenario if every precinct of its election sent them (with its corrections). */
export function allReports(s: ScenarioResult): number {
  const perStation = s.revisionsPerStation + (s.correctionShare ?? 0);
  return Math.round(s.precincts * perStation);
}

export function machine(): IntakeReport['machine'] {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
  };
}

const f0 = (x: number): string => x.toFixed(0);

function stationsCell(s: ScenarioResult): string {
  const of = s.stations < s.precincts ? ` of ${s.precincts}` : '';
  const corrections =
    (s.correctionShare ?? 0) > 0
      ? ` + ${(100 * (s.correctionShare ?? 0)).toFixed(0)} % corrections`
      : '';
  return `${s.stations}${of} × ${s.revisionsPerStation}${corrections}`;
}

/** What each scenario's run means for the whole election: all its precincts at the measured rate. */
function wholeElection(r: IntakeReport): string[] {
  return r.scenarios.flatMap((s) => {
    const all = allReports(s);
    const rows = s.levels.map(
      (l) =>
        `at ${l.concurrency} kits ${f0(all / l.reportsPerSecond)} s (${f0(l.reportsPerSecond)} reports/s, p99 ${f0(l.latencyMs.p99)} ms, peak RSS ${f0(l.serverPeakRssMb)} MB` +
        // older reports have no start figures
        (l.serverStartSeconds === undefined
          ? ')'
          : `; before the clock: server start ${f0(l.serverStartSeconds.ready)} s, certificate preload ${f0(l.serverStartSeconds.warm)} s)`),
    );
    const sampled =
      s.stations < s.precincts
        ? `${s.stations} of its ${s.precincts} precincts reported (spread evenly; the server held the whole election and every issued station)`
        : `all ${s.precincts} precincts reported`;
    const prep = s.preparedFromCache
      ? 'preparation from the cache'
      : `preparation ${f0(s.setupSeconds.office)} s issuing + ${f0(s.setupSeconds.prepare)} s sessions and sealing`;
    return [
      `- ${s.name}: ${sampled}; ${all} reports for the whole election would take ${rows.join('; ')}. ${prep}.`,
    ];
  });
}
const f1 = (x: number): string => x.toFixed(1);

/** When the server settled after the last answer, and the figures read at the last answer. */
function settleCell(l: ScenarioResult['levels'][number]): string {
  if (l.settleSeconds === undefined || l.atLastAnswer === undefined) return '–';
  const when = l.settled === false ? `not within ${f0(l.settleSeconds)}` : f0(l.settleSeconds);
  return `${when} (${l.atLastAnswer.serverCpuMsPerReport.toFixed(2)}, ${f0(l.atLastAnswer.serverPeakRssMb)})`;
}
const f2 = (x: number): string => x.toFixed(2);

/** The threads in the order a report passes them; any other name the server logs comes after. */
const THREAD_ORDER = ['main', 'verify', 'sign', 'writer', 'publication', 'serve', 'other'];

/** CPU ms per report by server thread, one row per level that has the figures. */
function byThread(r: IntakeReport): string[] {
  const levels = r.scenarios.flatMap((s) =>
    s.levels.flatMap((l) =>
      l.serverCpuMsPerReportByThread === undefined
        ? []
        : [
            {
              name: `${s.name} at ${l.concurrency} kits`,
              l,
              split: l.serverCpuMsPerReportByThread,
            },
          ],
    ),
  );
  if (levels.length === 0) return [];
  const names = [
    ...new Set([...THREAD_ORDER, ...levels.flatMap((x) => Object.keys(x.split))]),
  ].filter((n) => levels.some((x) => x.split[n] !== undefined));
  return [
    'Server CPU ms per report by thread (/proc/<pid>/task/<tid>/stat; the server logs which thread is which;',
    "`other` is V8's collector helpers and libuv's pool, where WebCrypto and file-system calls run):",
    '',
    `| level | ${names.join(' | ')} | all |`,
    `|---|${names.map(() => '---|').join('')}---|`,
    ...levels.map(
      (x) =>
        `| ${x.name} | ${names.map((n) => f2(x.split[n] ?? 0)).join(' | ')} | ${f2(x.l.serverCpuMsPerReport)} |`,
    ),
    '',
  ];
}

/** The open-loop phases: latency below saturation, where a night's kits are. */
function arrivals(r: IntakeReport): string[] {
  const phases = r.scenarios.flatMap((s) => (s.arrivals ?? []).map((a) => ({ s, a })));
  if (phases.length === 0) return [];
  const target = r.targets.p99Ms;
  return [
    `Reports arriving at a given rate (open loop: random arrival times, at most 256 connections; one server on a`,
    `fresh database, the phases one after another, each on stations not sent before). Latency counts from when a`,
    `report was due, waiting for a free connection included. The closed-loop levels above keep every kit busy, so`,
    `their latency is the queue in front of a saturated server (mean = kits / throughput); these rows are what kits`,
    `see below saturation (target: p99 ≤ ${target} ms):`,
    '',
    '| scenario | offered reports/s (share of the closed-loop best) | reports | achieved /s | p50 ms | p99 ms | max ms | all accepted |',
    '|---|---|---|---|---|---|---|---|',
    ...phases.map(
      ({ s, a }) =>
        `| ${s.name} | ${f0(a.offeredPerSecond)} (${f0(a.shareOfCapacity * 100)} %) | ${a.reports} | ${f0(a.achievedPerSecond)} | ` +
        `${f1(a.latencyMs.p50)} | ${f1(a.latencyMs.p99)} | ${f0(a.latencyMs.max)} | ${a.accepted === a.reports ? 'yes' : `NO (${JSON.stringify(a.other)})`} |`,
    ),
    '',
  ];
}

export function toMarkdown(r: IntakeReport): string {
  const rows = r.scenarios.flatMap((s) =>
    s.levels.map(
      (l) =>
        `| ${s.name} | ${stationsCell(s)} = ${l.reports} | ${l.concurrency} | ${f0(l.reportsPerSecond)} | ` +
        `${f1(l.latencyMs.p50)} | ${f1(l.latencyMs.p99)} | ${f0(s.cryptoLimit.perSecond)} (cold ${f0(s.cryptoLimit.coldPerSecond)}) | ${f2(l.reportsPerSecond / s.cryptoLimit.perSecond)} | ` +
        `${f2(l.serverCpuMsPerReport)} | ${f2(s.cryptoLimit.cpuMsPerReport)} | ${f2(s.cryptoLimit.cpuMsPerReport / l.serverCpuMsPerReport)} | ${f0(l.serverPeakRssMb)} | ` +
        `${f1(l.seconds)} | ${settleCell(l)} | ${f1(l.serverCpuSeconds)} / ${f1(l.loadGeneratorCpuSeconds)} | ${l.accepted === l.reports && l.totalsMatchTruth ? 'yes' : 'NO'} |`,
    ),
  );
  return [
    '# Intake benchmark (end to end over HTTP)',
    '',
    `Date: ${r.date}. Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, ${r.machine.os}.`,
    `Load average (1 min) at start ${r.loadAverage.start.toFixed(1)}, at end ${r.loadAverage.end.toFixed(1)} on ${r.machine.cores} cores` +
      // the load at the end includes the benchmark's own server and load generator: only the
      // load before it started says whether other work was running
      (r.loadAverage.start > r.machine.cores / 2
        ? ' — other work was running when the run started; read the figures as lower bounds.'
        : ' (the load at the end is the benchmark itself: server and load generator).'),
    `Command: \`${r.command}\`. Targets (SPEC §6): ≥ ${r.targets.reportsPerSecond} reports/s, ≥ ${r.targets.ratioToLimit} of the crypto-only limit, p99 ≤ ${r.targets.p99Ms} ms at 256 concurrent kits.`,
    '',
    '| scenario | reports (stations × revisions) | concurrency | reports/s | p50 ms | p99 ms | crypto limit /s, 2 workers, warm (cold) | ratio | server CPU ms/report | crypto CPU ms/report | efficiency | server peak RSS MB | wall s | settled after s (CPU ms/report, peak MB at the last answer) | CPU s server / load gen | all accepted, totals = truth |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    ...byThread(r),
    ...arrivals(r),
    'The whole election at the measured rates (target: all 90,652 Bundestag stations in ≤ 60 s, peak RSS ≤ 300 MB):',
    '',
    ...wholeElection(r),
    '',
    'Where a target is missed, why and what would fix it: docs/decisions/0066-cpu-and-memory-at-national-scale.md',
    '(CPU by thread from a profile, what holds memory with the national election); why a run reports fewer than',
    'all stations (`--stations=N`) and how preparation is cached: docs/decisions/0064-national-intake-benchmark.md.',
    '',
    'How it is measured (bench/intake/, docs/decisions/0043-intake-benchmark.md): the server runs as its own process',
    '(`wahlkoffer server`, SQLite file, fresh database per concurrency level); every envelope is sealed and every',
    'session opened before the clock starts; the load generator keeps `concurrency` requests in flight over keep-alive',
    "connections and sends a station's revisions strictly in order. The crypto-only limit is pki `openMeldung` on",
    'the same envelopes in 2 worker threads, no HTTP, no database: a cold pass (each station certificate seen',
    "for the first time) and a warm pass (the server's case: it verified the certificate at session opening);",
    'the ratio uses the warm limit. Server and load generator share the same 2 cores.',
    'CPU per report: the server process (all threads, /proc/<pid>/stat) from the first report sent until it settled',
    `(less than ${SETTLED_CORES} of a core over a second after the last answer: the publication's pages and contest`,
    'files trail the answers), divided by the reports; the figures at the last answer (how reports before',
    '2026-12-07 s10 were measured) are given beside. The crypto-only figure is the CPU of the process doing nothing',
    "but the warm openMeldung passes (all threads, WebCrypto's pool included); efficiency = crypto / server (target",
    "≥ 0.5). Peak RSS is the server's VmHWM once it settled.",
    '',
  ].join('\n');
}

export async function writeReport(dir: string, name: string, report: IntakeReport): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(dir, `${name}.md`), toMarkdown(report));
}
