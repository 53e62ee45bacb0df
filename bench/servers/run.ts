import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { install as stopChildrenOnSignals, stopWithThisProcess } from '../../cli/children.ts';
import { setUpExerciseOffice } from '../../cli/demo/exercise-office.ts';
import { startPostgresCluster } from '../../cli/postgres/cluster.ts';
import type { PreparedSend } from '../intake/load.ts';
import { machine } from '../intake/report.ts';
import { prepareSends } from '../intake/scenario.ts';
import { runLevel, type LevelResult } from './level.ts';
import { writeServersReport, type ServersReport } from './report.ts';
import { TOPOLOGIES } from './topology.ts';

/**
 * `npm run bench:servers [-- --quick]`: the same pre-sealed reports against one server on SQLite,
 * one server on PostgreSQL and two servers on PostgreSQL behind nginx, at 64 and 256 kits, in one
 * run on one machine (issue 12). Writes bench/reports/servers.{json,md} (--quick: servers-quick.*).
 * Each level runs on a fresh database; the levels of one concurrency run one after the other, so
 * a change in the machine's load hits all three alike.
 */
const quick = process.argv.includes('--quick');
const SCENARIO = quick
  ? { shape: 'germany-btw2025' as const, seed: 2025, urnen: 60, revisions: 3 }
  : { shape: 'germany-btw2025' as const, seed: 2025, urnen: 300, revisions: 12 };
const CONCURRENCIES = [64, 256];

const log = (line: string): void => void process.stderr.write(`${line}\n`);
stopChildrenOnSignals();
const loadAtStart = os.loadavg();
const dir = await mkdtemp(path.join(os.tmpdir(), 'wk-bench-servers-'));
const cluster = await startPostgresCluster({ register: stopWithThisProcess });
try {
  log(
    `setting up the election office in ${dir} (${SCENARIO.shape}, ${SCENARIO.urnen} Urnenwahlbezirke)`,
  );
  const office = await setUpExerciseOffice(dir, SCENARIO.shape, SCENARIO.seed, SCENARIO.urnen);
  const prepared = await prepareSends(office, { name: 'servers', ...SCENARIO }, log);
  const sends: PreparedSend[] = [];
  for (let r = 0; r < SCENARIO.revisions; r++) {
    for (const p of prepared)
      sends.push({ token: p.token, envelope: p.envelopes[r]!, key: p.precinctId });
  }
  const levels: LevelResult[] = [];
  for (const concurrency of CONCURRENCIES) {
    for (const topology of TOPOLOGIES) {
      log(`${topology}: ${sends.length} reports at ${concurrency} kits (fresh database)`);
      const level = await runLevel(topology, office, cluster, sends, concurrency);
      log(
        `  ${level.reportsPerSecond.toFixed(0)} reports/s, p99 ${level.latencyMs.p99.toFixed(0)} ms, ` +
          `${level.reportsPerBatch.toFixed(1)} reports per transaction, machine ${level.cores.machine.toFixed(2)} cores`,
      );
      levels.push(level);
    }
  }
  const report: ServersReport = {
    date: new Date().toISOString(),
    command: `npm run bench:servers${quick ? ' -- --quick' : ''}`,
    machine: machine(),
    loadAverage: { start: loadAtStart, end: os.loadavg() },
    scenario: { ...SCENARIO, stations: prepared.length, reports: sends.length },
    levels,
  };
  const out = path.resolve(import.meta.dirname, '../reports');
  const name = quick ? 'servers-quick' : 'servers';
  await writeServersReport(out, name, report);
  log(`wrote ${out}/${name}.json and ${name}.md`);
} finally {
  await cluster.stop();
  await rm(dir, { recursive: true, force: true });
}
