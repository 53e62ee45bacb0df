import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { install as stopChildrenOnSignals } from '../../cli/children.ts';
import {
  cacheRoot,
  discard,
  prepareScenario,
  usableCachedDay,
  type Prepared,
  type PrepareSpec,
} from '../intake/prepare.ts';
import type { PreparedSend } from '../intake/load.ts';
import { machine } from '../intake/report.ts';
import { fillDatabase } from './fill.ts';
import { measureWahlkoffer, rssProfile, rssSlope, type Measured } from './measure.ts';
import {
  headline,
  writeReport,
  type AuditBenchReport,
  type AuditScenarioResult,
  type CommandResult,
} from './report.ts';

/**
 * `npm run bench:audit [-- --quick | --national]` (issue 9): time and memory of `wahlkoffer audit export` and
 * `audit verify` on an election night stored by a real server. Writes bench/reports/audit.{json,md}
 * (with --quick: audit-quick.*).
 *
 * The full run stores 91,476 accepted reports: germany-btw2025 cut to its first 1,000
 * Urnenwahlbezirke and their Briefwahlbezirke (1,386 stations), each sending 66 revisions (65 of
 * them corrections), prepared with the intake benchmark's prepareScenario (cached; sealed before
 * any clock starts). Every report is a full kit report: its own envelope, signature and log leaf.
 * (The national preparation — 90,652 distinct stations — takes hours of issuing on this machine;
 * decisions/0099 says what differs.) Two nights are stored from it: the first eighth of the
 * stations, then all of them, so the report shows how time and memory grow with the reports.
 * The quick run does the same with 100 Urnenwahlbezirke, prepared afresh. `--national` stores the
 * whole national night instead: all 90,652 stations of germany-btw2025 (seed 1), one report each
 * plus 5 % corrections — the intake benchmark's national preparation, which must be in the cache
 * already (bench/reports/audit-national.*; preparing it here takes hours).
 * `--prepare-only` prepares (or finds) the cache and stops: run it outside the bench lock.
 */
const quick = process.argv.includes('--quick');
const national = process.argv.includes('--national');
// --national --stations=N: N of the national stations reporting (the intake benchmark's sample
// preparation of that size, e.g. 4000), to try the national run when the whole one is not cached
const sample = process.argv.find((a) => a.startsWith('--stations='))?.slice('--stations='.length);
const stations = sample === undefined ? undefined : Number(sample);
if (stations !== undefined && (!national || !Number.isInteger(stations) || stations < 1)) {
  process.stderr.write(`--stations=N takes a positive whole number, with --national: ${sample}\n`);
  process.exit(2);
}

const SPEC: PrepareSpec = quick
  ? {
      name: 'audit-quick',
      shape: 'germany-btw2025',
      seed: 2025,
      urnen: 100,
      revisions: 1,
      correctionShare: 0.25,
    }
  : national
    ? // the intake benchmark's national spec (bench/intake/run.ts): one cache for both
      {
        name: stations === undefined ? 'audit-national' : `audit-national-n${stations}`,
        shape: 'germany-btw2025',
        seed: 1,
        revisions: 1,
        correctionShare: 0.05,
        ...(stations === undefined ? {} : { stations }),
      }
    : { name: 'audit', shape: 'germany-btw2025', seed: 2025, urnen: 1000, revisions: 66 };

const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** `phase`: the command's progress phase that streams the reports */
function commandResult(m: Measured, phase: string): CommandResult {
  const { rssMb: _samples, lastLine: _line, progress: _steps, ...rest } = m;
  return { ...rest, rssProfileMb: rssProfile(m), rssSlopeMbPer10k: rssSlope(m, phase) };
}

function sizeMb(dir: string): number {
  return Number(execFileSync('du', ['-sk', dir], { encoding: 'utf8' }).split('\t')[0]) / 1024;
}

async function runScenario(
  name: string,
  prepared: Prepared,
  sends: readonly PreparedSend[],
): Promise<AuditScenarioResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `wk-bench-audit-${name}-`));
  try {
    log(`${name}: ${sends.length} reports into a server database (${dir})`);
    const night = await fillDatabase(dir, prepared, sends, log);
    const office = prepared.office;
    const out = path.join(dir, 'export');
    log(`  audit export of ${night.accepted} accepted reports`);
    const exported = await measureWahlkoffer(
      [
        'audit',
        'export',
        '--pki',
        office.pkiDir,
        '--election',
        office.electionFile,
        '--db',
        night.dbFile,
        '--publication',
        night.publishDir,
        '--out',
        out,
      ],
      log,
    );
    if (exported.exitCode !== 0) throw new Error(`audit export exited ${exported.exitCode}`);
    log(`    ${exported.seconds} s, peak RSS ${Math.round(exported.peakRssMb)} MB`);
    log('  audit verify');
    const verified = await measureWahlkoffer(['audit', 'verify', out, '--json'], log);
    const summary = JSON.parse(verified.lastLine) as {
      checked: Record<string, number | null>;
      findings: unknown[];
    };
    log(
      `    ${verified.seconds} s, peak RSS ${Math.round(verified.peakRssMb)} MB, exit ${verified.exitCode}`,
    );
    return {
      name,
      shape: SPEC.shape,
      stations: night.stations,
      acceptedReports: night.accepted,
      setupSeconds: { ...prepared.setupSeconds, intake: night.intakeSeconds },
      exportMb: sizeMb(out),
      export: commandResult(exported, 'envelopes'),
      verify: {
        ...commandResult(verified, 'Meldungen / reports'),
        findings: summary.findings.length,
        checked: summary.checked,
      },
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

stopChildrenOnSignals();
const loadAtStart = os.loadavg()[0] ?? 0;
if (quick && national) {
  log('--quick and --national exclude each other');
  process.exit(2);
}
if (national && usableCachedDay(SPEC, new Date()) === undefined) {
  // issuing 90,652 kits takes hours on a small machine: that is `npm run bench:intake`'s job
  log(
    `--national needs the national preparation in the cache (${cacheRoot()}); make it with ` +
      '`npm run bench:intake -- --prepare-only --only=germany-btw2025`',
  );
  process.exit(2);
}
const prepared = await prepareScenario(SPEC, { fresh: quick, log });
if (process.argv.includes('--prepare-only')) {
  log(`prepared: ${prepared.sends.length} reports of ${prepared.stations.length} stations`);
  process.exit(0);
}
/** the first eighth of the stations (with their corrections), then every station */
const firstEighth = new Set(
  prepared.stations.slice(0, Math.ceil(prepared.stations.length / 8)).map((s) => s.precinctId),
);
const scenarios: AuditScenarioResult[] = [];
try {
  scenarios.push(
    await runScenario(
      `${SPEC.name}-eighth`,
      prepared,
      prepared.sends.filter((s) => s.key !== undefined && firstEighth.has(s.key)),
    ),
  );
  scenarios.push(await runScenario(SPEC.name, prepared, prepared.sends));
} finally {
  await discard(prepared);
}
const report: AuditBenchReport = {
  date: new Date().toISOString(),
  command: `npm run bench:audit${quick ? ' -- --quick' : national ? ` -- --national${stations === undefined ? '' : ` --stations=${stations}`}` : ''}`,
  machine: machine(),
  loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? 0 },
  note: 'Other work may have run on the machine meanwhile; the load average above says how much.',
  targets: { verifySeconds: 60 },
  scenarios,
};
const outDir = path.resolve(import.meta.dirname, '../reports');
const name = SPEC.name;
await writeReport(outDir, name, report);
log(`wrote ${outDir}/${name}.json and ${name}.md`);
process.stdout.write(`${JSON.stringify(headline(report))}\n`);
