import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LoadResult } from '../intake/load.ts';
import type { machine } from '../intake/report.ts';
import type { WrkResult } from './wrk.ts';

export type Pair = {
  readonly file: string;
  readonly round: number;
  readonly server: WrkResult;
  readonly nginx: WrkResult;
  /** server requests/s ÷ nginx requests/s */
  readonly ratio: number;
};

export type PublicationReport = {
  readonly date: string;
  readonly command: string;
  readonly machine: ReturnType<typeof machine>;
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly targets: { readonly ratio: number; readonly lagP99Ms: number };
  readonly scenario: Record<string, unknown>;
  readonly intake: LoadResult & {
    readonly serverCpuSeconds: number;
    readonly measuredWhileIntake: boolean;
  };
  readonly idle: readonly Pair[];
  readonly underLoad: readonly Pair[];
  readonly lag: { reports: number; unseen: number; p50: number; p99: number; max: number };
  readonly totalsMatchTruth: boolean;
};

const f0 = (x: number) => x.toFixed(0);
const f2 = (x: number) => x.toFixed(2);

function rows(pairs: readonly Pair[]): string[] {
  return pairs.map(
    (p) =>
      `| ${p.file} | ${p.round + 1} | ${f0(p.server.requestsPerSecond)} | ${f0(p.server.latencyMs.p50)} / ${f0(p.server.latencyMs.p99)} | ${f0(p.nginx.requestsPerSecond)} | ${f0(p.nginx.latencyMs.p50)} / ${f0(p.nginx.latencyMs.p99)} | **${f2(p.ratio)}** | ${p.server.errors + p.nginx.errors} |`,
  );
}

export function toMarkdown(r: PublicationReport): string {
  const head =
    '| file | round | server req/s | server p50 / p99 ms | nginx req/s | nginx p50 / p99 ms | ratio | errors |\n|---|---|---|---|---|---|---|---|';
  const m = r.machine;
  return `# Publication benchmark (public pages and results.json; publication lag)

Date: ${r.date}. Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}.
Load average (1 min) at start ${r.loadAverage.start.toFixed(1)}, at end ${r.loadAverage.end.toFixed(1)} on ${m.cores} cores${r.loadAverage.start > m.cores ? ' — the machine was shared with other work during the run; read the figures as lower bounds' : ''}.
Command: \`${r.command}\`. Targets (issue 8, SPEC §6): server ≥ ${r.targets.ratio} × nginx for the same files, publication lag p99 ≤ ${r.targets.lagP99Ms} ms.

Scenario: ${String(r.scenario.shape)} cut to ${String(r.scenario.urnen)} Urnenwahlbezirke (${String(r.scenario.stations)} stations) × ${String(r.scenario.revisions)} revisions = ${String(r.scenario.reports)} reports; wrk -t2 -c${String(r.scenario.connections)}, ${String(r.scenario.seconds)} s per measurement; nginx ${String(r.scenario.nginxWorkers)} worker on the same snapshot directory (\`--publish-dir\`).

## Under intake at full rate (${f0(r.intake.reportsPerSecond)} reports/s, ${r.intake.accepted}/${r.intake.reports} accepted, intake p99 ${f0(r.intake.latencyMs.p99)} ms; wrk ran ${r.intake.measuredWhileIntake ? 'entirely while the intake was running' : 'partly after the intake had finished'})

${head}
${rows(r.underLoad).join('\n')}

## Publication lag under that load

Every accepted report (${r.lag.reports}), from its receipt at the load generator to the first results.json (polled every 50 ms with If-None-Match) whose lastSequence includes it: p50 ${f0(r.lag.p50)} ms, **p99 ${f0(r.lag.p99)} ms**, max ${f0(r.lag.max)} ms; never seen: ${r.lag.unseen}. Final snapshot equals the truth: ${r.totalsMatchTruth ? 'yes' : 'NO'}.

## Idle (no intake), for comparison

${head}
${rows(r.idle).join('\n')}

How it is measured: bench/publication/ and docs/decisions/0084-publication-benchmark.md.
`;
}

export async function writePublicationReport(
  dir: string,
  name: string,
  r: PublicationReport,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${name}.json`), `${JSON.stringify(r, null, 2)}\n`);
  await writeFile(path.join(dir, `${name}.md`), toMarkdown(r));
}
