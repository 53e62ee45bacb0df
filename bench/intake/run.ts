import os from 'node:os';
import path from 'node:path';
import { install as stopChildrenOnSignals } from '../../cli/children.ts';
import { headline, machine, writeReport } from './report.ts';
import type { IntakeReport } from './report.ts';
import { prepareScenario } from './prepare.ts';
import { runScenario } from './scenario.ts';
import type { ScenarioResult, ScenarioSpec } from './scenario.ts';

/**
 * `npm run bench:intake [-- --quick]`: the intake benchmark of SPEC §6 / issues 4 and 10. Writes
 * bench/reports/intake.json and intake.md (with --quick: bench/reports/intake-quick.*).
 *
 * The full run's germany-btw2025 is the whole generated Bundestag election (seed 1: 90,652
 * precincts): every station its own certificate, session and report, and every 20th station a
 * correction as well. Preparing it (issuing with the test KDF, opening 90,652 sessions, sealing)
 * takes tens of minutes once and is cached for the day (bench/intake/prepare.ts); the quick run
 * prepares small cut-down elections afresh (docs/decisions/0064-national-intake-benchmark.md).
 */
const quick = process.argv.includes('--quick');

const SCENARIOS: ScenarioSpec[] = quick
  ? [
      {
        name: 'munich-kw2020',
        shape: 'munich-kw2020',
        seed: 2020,
        urnen: 100,
        revisions: 3,
        concurrencies: [64, 256],
        limitSample: 400,
        fresh: true,
      },
      {
        name: 'germany-btw2025',
        shape: 'germany-btw2025',
        seed: 2025,
        urnen: 100,
        revisions: 5,
        concurrencies: [64, 256],
        limitSample: 400,
        fresh: true,
      },
    ]
  : [
      {
        name: 'munich-kw2020',
        shape: 'munich-kw2020',
        seed: 2020,
        revisions: 1,
        concurrencies: [64, 256],
        limitSample: 1274,
      },
      {
        name: 'germany-btw2025',
        shape: 'germany-btw2025',
        seed: 1,
        revisions: 1,
        correctionShare: 0.05,
        concurrencies: [64, 256],
        limitSample: 20_000,
        // 15 s at each rate: 95,185 reports cover up to ~2,100 reports/s of capacity
        arrivals: { kits: 256, shares: [0.25, 0.5, 0.75, 0.9], seconds: 15 },
      },
    ];

// --stations=N: the national scenario with N of its stations reporting (spread evenly; the server
// still holds the whole election), when preparing all 90,652 does not fit the time at hand
const sample = process.argv.find((a) => a.startsWith('--stations='))?.slice('--stations='.length);
if (sample !== undefined) {
  const n = Number(sample);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--stations takes a positive whole number: ${sample}`);
  const i = SCENARIOS.findIndex((s) => s.name === 'germany-btw2025');
  SCENARIOS[i] = { ...SCENARIOS[i]!, stations: n };
}
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
// --kits=N: one level only, N concurrent kits (e.g. to profile the national night at 256)
const kits = process.argv.find((a) => a.startsWith('--kits='))?.slice('--kits='.length);
if (kits !== undefined) {
  const n = Number(kits);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--kits takes a positive whole number: ${kits}`);
  for (const [i, s] of SCENARIOS.entries()) {
    const { arrivals: _, ...closedLoop } = s;
    SCENARIOS[i] = { ...closedLoop, concurrencies: [n] };
  }
}
const prepareOnly = process.argv.includes('--prepare-only');

const log = (line: string): void => void process.stderr.write(`${line}\n`);
stopChildrenOnSignals(); // Ctrl-C or SIGTERM also stops the server processes the benchmark started
const loadAtStart = os.loadavg()[0] ?? 0;
const results: ScenarioResult[] = [];
const chosen = SCENARIOS.filter((s) => only === undefined || s.name === only);
if (prepareOnly) {
  // fills the cache (e.g. the night before); measures nothing
  for (const spec of chosen) await prepareScenario(spec, { fresh: spec.fresh === true, log });
  process.exit(0);
}
for (const spec of chosen) results.push(await runScenario(spec, log));
const report: IntakeReport = {
  date: new Date().toISOString(),
  command: `npm run bench:intake${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  machine: machine(),
  loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? 0 },
  targets: { reportsPerSecond: 1500, ratioToLimit: 0.5, p99Ms: 100 },
  scenarios: results,
};
const out = path.resolve(import.meta.dirname, '../reports');
const name = `${quick ? 'intake-quick' : only === undefined ? 'intake' : `intake-${only}`}${kits === undefined ? '' : `-kits${kits}`}`;
await writeReport(out, name, report);
log(`wrote ${out}/${name}.json and ${name}.md`);
// the last line of standard output: the headline figures as one JSON object (issue 10)
process.stdout.write(`${JSON.stringify(headline(report))}\n`);
