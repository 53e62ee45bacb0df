import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { machine } from '../intake/report.ts';
import type { Measured } from './measure.ts';

export type CommandResult = Omit<Measured, 'rssMb' | 'lastLine' | 'progress'> & {
  /** RSS (MB) at each tenth of the run */
  readonly rssProfileMb: readonly number[];
  /** RSS growth while the reports stream, MB per 10,000 reports (measure.ts rssSlope) */
  readonly rssSlopeMbPer10k: number | null;
};

export type AuditScenarioResult = {
  readonly name: string;
  readonly shape: string;
  readonly stations: number;
  readonly acceptedReports: number;
  readonly setupSeconds: {
    readonly office: number;
    readonly prepare: number;
    readonly intake: number;
  };
  readonly exportMb: number;
  readonly export: CommandResult;
  readonly verify: CommandResult & {
    readonly findings: number;
    readonly checked: Readonly<Record<string, number | null>>;
  };
};

export type AuditBenchReport = {
  readonly date: string;
  readonly command: string;
  readonly machine: ReturnType<typeof machine>;
  /** 1-minute load average at the start and the end: other work on the machine skews every figure */
  readonly loadAverage: { readonly start: number; readonly end: number };
  readonly note: string;
  readonly targets: { readonly verifySeconds: number };
  readonly scenarios: readonly AuditScenarioResult[];
};

const r1 = (x: number) => Math.round(x * 10) / 10;

export function headline(report: AuditBenchReport) {
  const s = report.scenarios.at(-1);
  if (s === undefined) throw new Error('no scenario was run');
  return {
    scenario: s.name,
    reports: s.acceptedReports,
    exportSeconds: r1(s.export.seconds),
    exportPeakRssMb: Math.round(s.export.peakRssMb),
    verifySeconds: r1(s.verify.seconds),
    verifyPeakRssMb: Math.round(s.verify.peakRssMb),
    verifyRssSlopeMbPer10k: s.verify.rssSlopeMbPer10k,
    verifyFindings: s.verify.findings,
    verifyWithinTarget: s.verify.seconds <= report.targets.verifySeconds,
    loadAverage: report.loadAverage,
  };
}

function markdown(r: AuditBenchReport): string {
  const rows = r.scenarios.flatMap((s) =>
    (['export', 'verify'] as const).map((step) => {
      const c = s[step];
      return `| ${s.name} | ${s.acceptedReports.toLocaleString('en')} | ${step} | ${r1(c.seconds)} | ${r1(c.cpuSeconds)} | ${Math.round(c.peakRssMb)} | ${c.rssSlopeMbPer10k ?? '–'} | ${c.rssProfileMb.join(' ')} |`;
    }),
  );
  const last = r.scenarios.at(-1)!;
  return [
    '# Audit export and verification benchmark',
    '',
    `Command: \`${r.command}\` (under \`flock /work/team/bench.lock\`) · ${r.date}`,
    '',
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}, ${r.machine.os}. ` +
      `Load average (1 min) ${r1(r.loadAverage.start)} at the start, ${r1(r.loadAverage.end)} at the end.`,
    '',
    r.note,
    '',
    `Target (issue 9): \`audit verify\` of a germany-btw2025-sized election in ≤ ${r.targets.verifySeconds} s, streaming, flat memory.`,
    '',
    '| scenario | accepted reports | command | wall s | CPU s | peak RSS MB | RSS slope MB / 10k reports | RSS MB at each tenth of the run |',
    '|---|---:|---|---:|---:|---:|---:|---|',
    ...rows,
    '',
    `Largest scenario: the export folder holds ${Math.round(last.exportMb)} MB; verify exited ${last.verify.exitCode} with ${last.verify.findings} findings; ` +
      `checked ${JSON.stringify(last.verify.checked)}.`,
    '',
    'Setup (not measured above): ' +
      r.scenarios
        .map(
          (s) =>
            `${s.name}: ${s.stations.toLocaleString('en')} stations, office ${r1(s.setupSeconds.office)} s, sealing ${r1(s.setupSeconds.prepare)} s, intake over HTTP ${r1(s.setupSeconds.intake)} s`,
        )
        .join('; ') +
      '.',
    '',
    'Wall and CPU time and peak RSS come from GNU time (`/usr/bin/time -f "%e %U %S %M"`) around the real',
    '`wahlkoffer audit export` / `audit verify` process; the RSS curve is sampled from /proc every 250 ms.',
    'The slope is the least-squares growth of RSS against the reports done (from the command’s progress lines),',
    'from 20 % of the reports to the last, per 10,000 reports (start-up and the steps after the reports left out);',
    'comparing the scenarios shows how memory grows with the election (decisions/0099).',
    '',
  ].join('\n');
}

export async function writeReport(dir: string, name: string, report: AuditBenchReport) {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `${name}.json`), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(path.join(dir, `${name}.md`), markdown(report));
}
