import os from 'node:os';
import path from 'node:path';
import { install as stopChildrenOnSignals } from '../../cli/children.ts';
import { headline, machine, writeReport } from './report.ts';
import type { IntakeReport } from './report.ts';
import { runScenario } from './scenario.ts';
import type { ScenarioResult, ScenarioSpec } from './scenario.ts';

/**
 * `npm run bench:intake [-- --quick]`: the intake benchmark of SPEC §6 / issue 4. Writes
 * bench/reports/intake.json and intake.md (with --quick: bench/reports/intake-quick.*).
 *
 * germany-btw2025 is run as 1,000 of its Urnenwahlbezirke (+ their Briefwahlbezirke) sending
 * 64 revisions each (~90,000 reports): every provisioning bundle embeds the whole election
 * definition, so issuing 90,000 bundles of the full Germany definition is not feasible here,
 * and opening 90,000 sessions (serialised TOTP writes) would dominate the setup. Each revision
 * is a full report through the whole pipeline (docs/decisions/0043-intake-benchmark.md).
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
      },
      {
        name: 'germany-btw2025',
        shape: 'germany-btw2025',
        seed: 2025,
        urnen: 100,
        revisions: 5,
        concurrencies: [64, 256],
        limitSample: 400,
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
        seed: 2025,
        urnen: 1000,
        revisions: 64,
        concurrencies: [64, 256],
        limitSample: 20_000,
      },
    ];

const log = (line: string): void => void process.stderr.write(`${line}\n`);
stopChildrenOnSignals(); // Ctrl-C or SIGTERM also stops the server processes the benchmark started
const loadAtStart = os.loadavg()[0] ?? 0;
const results: ScenarioResult[] = [];
for (const spec of SCENARIOS) results.push(await runScenario(spec, log));
const report: IntakeReport = {
  date: new Date().toISOString(),
  command: `npm run bench:intake${quick ? ' -- --quick' : ''}`,
  machine: machine(),
  loadAverage: { start: loadAtStart, end: os.loadavg()[0] ?? 0 },
  targets: { reportsPerSecond: 1500, ratioToLimit: 0.5, p99Ms: 100 },
  scenarios: results,
};
const out = path.resolve(import.meta.dirname, '../reports');
const name = quick ? 'intake-quick' : 'intake';
await writeReport(out, name, report);
log(`wrote ${out}/${name}.json and ${name}.md`);
// the last line of standard output: the headline figures as one JSON object (issue 10)
process.stdout.write(`${JSON.stringify(headline(report))}\n`);
