/**
 * `npx tsx bench/pki/issue-bench.ts [--sample 60]`: what `wahlkoffer pki issue` costs at national
 * size with the production key derivation (scrypt N=2^17, r=8, p=1). Issuing all 90,652 stations
 * of the generated Bundestag election takes hours on this 2-core machine, so a sample of stations
 * spread over the whole election is issued from the whole national PKI (production `pki init`),
 * once with the production KDF and once with the test KDF (the rest of the work), and one scrypt
 * derivation is timed alone; the report extrapolates to 90,652 stations and to a ceremony split
 * over several machines (docs/pki-ceremony.md). Writes bench/reports/pki-issue.{json,md}.
 */
import { scryptSync, randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { exerciseElection } from '../../cli/demo/exercise-office.ts';
import { mustRunWahlkoffer } from '../../cli/demo/run-cli.ts';
import { writeCaPassphrase } from '../../cli/demo/workspace.ts';
import { DEFAULT_SCRYPT_COST } from '../../pki/index.ts';
import { reportingPrecincts } from '../intake/prepare.ts';
import { machine } from '../intake/report.ts';

const arg = (name: string, fallback: number): number => {
  const v = process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return v === undefined ? fallback : Number(v);
};
const SAMPLE = arg('sample', 60);
const CONCURRENCY = os.availableParallelism();
const log = (s: string): void => void process.stderr.write(`${s}\n`);
const loadStart = os.loadavg()[0] ?? 0;

const dir = await mkdtemp(path.join(os.tmpdir(), 'wk-bench-issue-'));
const today = new Date().toISOString().slice(0, 10);
const { definition } = exerciseElection('germany-btw2025', 1, undefined, today);
const electionFile = path.join(dir, 'election.json');
await writeFile(electionFile, JSON.stringify(definition));
const precincts = reportingPrecincts(
  { name: 'issue', shape: 'germany-btw2025', seed: 1, revisions: 1, stations: SAMPLE },
  definition.precincts.map((p) => p.id),
);

/** `pki init` and then `pki issue` of the sample; wall seconds of each (CPU: see scrypt below). */
async function ceremony(kind: 'production' | 'test') {
  const pki = path.join(dir, `pki-${kind}`);
  const pass = path.join(dir, `ca-${kind}.txt`);
  await writeCaPassphrase(pass);
  const ca = ['--dir', pki, '--ca-passphrase-file', pass];
  let t = performance.now();
  await mustRunWahlkoffer([
    'pki',
    'init',
    ...ca,
    '--election',
    electionFile,
    ...(kind === 'test' ? ['--insecure-test-kdf'] : []),
  ]);
  const initSeconds = (performance.now() - t) / 1000;
  t = performance.now();
  await mustRunWahlkoffer([
    'pki',
    'issue',
    ...ca,
    ...precincts.flatMap((id) => ['--precinct', id]),
    '--concurrency',
    String(CONCURRENCY),
    '--out',
    path.join(dir, `bundles-${kind}`),
    '--letters',
    path.join(dir, `letters-${kind}`),
  ]);
  const issueSeconds = (performance.now() - t) / 1000;
  log(
    `${kind} KDF: init ${initSeconds.toFixed(1)} s, ${SAMPLE} stations in ${issueSeconds.toFixed(1)} s`,
  );
  return { initSeconds, issueSeconds, perStationSeconds: issueSeconds / SAMPLE };
}

log(
  `national election: ${definition.precincts.length} precincts; sample of ${SAMPLE} stations in ${dir}`,
);
const production = await ceremony('production');
const test = await ceremony('test');
// one production derivation on one core, as each station's key wrapping does (libuv's pool)
const runs = 5;
const t = performance.now();
for (let i = 0; i < runs; i++) {
  const { N, r, p } = DEFAULT_SCRYPT_COST;
  scryptSync('correct-horse-battery-staple', randomBytes(16), 32, { N, r, p, maxmem: 256 * N * r });
}
const scryptSeconds = (performance.now() - t) / 1000 / runs;
await rm(dir, { recursive: true, force: true });

const NATIONAL = 90_652;
const result = {
  date: new Date().toISOString(),
  command: `npx tsx bench/pki/issue-bench.ts --sample=${SAMPLE}`,
  machine: machine(),
  loadAverage: { start: loadStart, end: os.loadavg()[0] ?? 0 },
  precinctsInElection: definition.precincts.length,
  sample: SAMPLE,
  concurrency: CONCURRENCY,
  production,
  test,
  scryptSecondsOneCore: scryptSeconds,
  extrapolated: {
    stations: NATIONAL,
    /** this machine, its cores, production KDF, measured rate of the sample */
    hoursThisMachine: (NATIONAL * production.perStationSeconds) / 3600,
    /** CPU-seconds per station: one scrypt plus the rest (test-KDF run, 1 core busy) */
    cpuSecondsPerStation: scryptSeconds + test.perStationSeconds,
  },
};
const f1 = (x: number) => x.toFixed(1);
const f2 = (x: number) => x.toFixed(2);
const split = (machines: number, cores: number) =>
  (NATIONAL * result.extrapolated.cpuSecondsPerStation) / (machines * cores) / 60;
const md = [
  '# `pki issue` at national size (production key derivation)',
  '',
  `Date: ${result.date}. Machine: ${result.machine.cpu}, ${result.machine.cores} cores, Node ${result.machine.node}.`,
  `Load average (1 min) ${f1(result.loadAverage.start)} at start, ${f1(result.loadAverage.end)} at end on ${result.machine.cores} cores — the machine was shared with other work (other engineers' tests and benchmarks); read the figures as upper bounds of the time.`,
  `Command: \`${result.command}\`.`,
  '',
  `The whole generated Bundestag election (seed 1, ${result.precinctsInElection} precincts) with a production \`pki init\` (scrypt N=2^17, r=8, p=1); ${SAMPLE} stations spread over the election issued with \`--concurrency ${CONCURRENCY}\`.`,
  '',
  '| | production KDF | test KDF (N=2^10) |',
  '|---|---|---|',
  `| pki init (whole election) | ${f1(production.initSeconds)} s | ${f1(test.initSeconds)} s |`,
  `| pki issue, ${SAMPLE} stations | ${f1(production.issueSeconds)} s | ${f1(test.issueSeconds)} s |`,
  `| per station (wall, ${CONCURRENCY} at once) | ${f2(production.perStationSeconds)} s | ${f2(test.perStationSeconds)} s |`,
  '',
  `One production scrypt derivation on one core: ${f2(scryptSeconds)} s.`,
  '',
  `Extrapolated to ${NATIONAL} stations: **${f1(result.extrapolated.hoursThisMachine)} h on this machine** (the sample's rate).`,
  `CPU per station ≈ one scrypt + the rest (certificate, bundle signature, letter, files) ≈ ${f2(result.extrapolated.cpuSecondsPerStation)} s, so a ceremony split over`,
  `m machines of c free cores takes ≈ ${NATIONAL} × ${f2(result.extrapolated.cpuSecondsPerStation)} s / (m·c): ` +
    `1 × 8 cores ${f1(split(1, 8))} min, 4 × 8 cores ${f1(split(4, 8))} min, 16 × 8 cores ${f1(split(16, 8))} min (docs/pki-ceremony.md).`,
  '',
].join('\n');
const out = path.resolve(import.meta.dirname, '../reports');
await writeFile(path.join(out, 'pki-issue.json'), `${JSON.stringify(result, null, 2)}\n`);
await writeFile(path.join(out, 'pki-issue.md'), md);
log(md);
