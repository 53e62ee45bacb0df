import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { IntakeReport } from '../intake/report.ts';
import type { LevelResult } from './level.ts';
import { DESCRIPTIONS } from './topology.ts';

export type ServersReport = {
  readonly date: string;
  readonly command: string;
  readonly machine: IntakeReport['machine'];
  /** 1, 5 and 15-minute load averages at the start and the end (a shared machine skews figures) */
  readonly loadAverage: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly scenario: {
    readonly shape: string;
    readonly urnen: number;
    readonly revisions: number;
    readonly stations: number;
    readonly reports: number;
  };
  readonly levels: readonly LevelResult[];
};

const f = (x: number, d = 0) => x.toFixed(d);

/**
 * What held a level back, read from its figures: all cores busy means CPU (and who used it);
 * otherwise the servers waited — for commits, or for the database-wide write lock, which the
 * reports per transaction show.
 */
export function limitOf(level: LevelResult, cores: number): string {
  const c = level.cores;
  const parts = [
    `servers ${f(c.servers, 2)}`,
    ...(c.postgres > 0.005 ? [`PostgreSQL ${f(c.postgres, 2)}`] : []),
    ...(c.nginx > 0.005 ? [`nginx ${f(c.nginx, 2)}`] : []),
    `load generator ${f(c.loadGenerator, 2)}`,
  ].join(', ');
  if (c.machine >= cores * 0.85) {
    return `CPU: ${f(c.machine, 2)} of ${cores} cores busy (${parts})`;
  }
  return `waiting, not CPU (${f(c.machine, 2)} of ${cores} cores: ${parts}); ${f(level.reportsPerBatch, 1)} reports per transaction`;
}

export function serversMarkdown(r: ServersReport): string {
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const rows = r.levels.map(
    (l) =>
      `| ${DESCRIPTIONS[l.topology]} | ${l.concurrency} | ${f(l.reportsPerSecond)} | ${f(l.latencyMs.p50, 1)} | ${f(l.latencyMs.p99, 1)} | ${l.accepted}/${l.reports} | ${f(l.reportsPerBatch, 1)} | ${f(l.serverCpuMsPerReport, 2)} | ${l.totalsMatchTruth ? 'yes' : 'NO'} | ${limitOf(l, r.machine.cores)} |`,
  );
  return [
    '# Benchmark: one server on SQLite, one on PostgreSQL, two on PostgreSQL behind nginx',
    '',
    `Run ${r.date} with \`${r.command}\` on ${r.machine.cpu} (${r.machine.cores} cores, ${r.machine.memoryGiB} GiB), Node ${r.machine.node}.`,
    `Load average (1/5/15 min) at the start: ${load(r.loadAverage.start)}; at the end: ${load(r.loadAverage.end)}.`,
    `Scenario: ${r.scenario.shape}, ${r.scenario.urnen} Urnenwahlbezirke (+ their Briefwahlbezirke) = ${r.scenario.stations} stations × ${r.scenario.revisions} revisions = ${r.scenario.reports} reports, every one a full report through the whole pipeline (session token, envelope, revision rules, plausibility, receipt, COMMIT); closed loop, a fresh database per row.`,
    '',
    '| set-up | kits | reports/s | p50 ms | p99 ms | accepted | reports per transaction | server CPU ms per report | totals = truth | what limits it |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    '## How to read it',
    '',
    '- Every report costs the same CPU in every set-up: the token check, opening the envelope (decryption, CMS signature, chain, CRL), the revision rules and plausibility, the receipt signature, HTTP. On PostgreSQL the batch is written over the network instead of by a SQLite writer thread, and PostgreSQL itself (its backends, its WAL writer) needs CPU of its own.',
    '- "reports per transaction" is the group commit at work: all reports waiting while a transaction runs go into the next one (decisions/0033). With several servers each batch also holds the database-wide write lock (decisions/0111): while one server decides and commits, the others collect their next batch.',
    '- "what limits it" is read from the CPU figures of the level (from /proc): when the machine\'s cores are busy, CPU is the limit and the columns say who used it; otherwise the servers were waiting (for COMMITs, or for the lock). On one machine a second server adds no CPU: it only adds a second event loop and nginx, so two servers are a measure of the cost of the failover set-up here, not of its capacity, which grows with the machines. The reading of a profiled run: docs/decisions/0114-three-setups-benchmark.md.',
    '',
  ].join('\n');
}

export async function writeServersReport(
  dir: string,
  name: string,
  r: ServersReport,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${name}.json`), `${JSON.stringify(r, null, 2)}\n`);
  await writeFile(path.join(dir, `${name}.md`), serversMarkdown(r));
}
