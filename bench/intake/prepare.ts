import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { ShapeName } from '../../election/index.ts';
import { parseElectionDefinition } from '../../election/index.ts';
import { exerciseElection, setUpExerciseOffice } from '../../cli/demo/exercise-office.ts';
import type { ExerciseOffice } from '../../cli/demo/exercise-office.ts';
import { startServerProcess } from '../../cli/demo/server-process.ts';
import { readSecrets } from '../../cli/simulate/inputs.ts';
import type { PreparedSend } from './load.ts';
import type { PrepareInput, PrepareMessage, PreparedStation } from './prepare-worker.ts';
import { shares } from './workers.ts';

/** What a benchmark needs prepared: which election, how many reports per station. */
export type PrepareSpec = {
  readonly name: string;
  readonly shape: ShapeName;
  readonly seed: number;
  /** cut the election down to this many Urnenwahlbezirke (+ their Briefwahlbezirke); all if absent */
  readonly urnen?: number;
  /** each station sends revisions 1…n (2…n as corrections), in order */
  readonly revisions: number;
  /** this share of the stations (every 1/share-th) sends one more revision, a correction */
  readonly correctionShare?: number;
  /**
   * issue and prepare only this many stations, spread evenly over the (whole or cut) election:
   * the server still holds the whole definition, only these kits report
   */
  readonly stations?: number;
};

/** The precincts a spec's kits belong to: all, or `stations` of them spread evenly. */
export function reportingPrecincts(spec: PrepareSpec, precinctIds: readonly string[]): string[] {
  const n = spec.stations;
  if (n === undefined || n >= precinctIds.length) return [...precinctIds];
  return Array.from(
    { length: n },
    (_, i) => precinctIds[Math.floor((i * precinctIds.length) / n)]!,
  );
}

export type Prepared = {
  readonly office: ExerciseOffice;
  readonly stations: readonly PreparedStation[];
  /** revision-major: every station's first report, then every second one, … */
  readonly sends: PreparedSend[];
  /** seconds spent now; 0 for a part taken from the cache */
  readonly setupSeconds: { readonly office: number; readonly prepare: number };
  readonly cached: boolean;
};

const WORKERS = 2;
/** how long a server may take to print `listening on` (the national election on a busy machine) */
export const SERVER_START_TIMEOUT_MS = 600_000;
/** stations each preparing worker has in flight (the session round trips overlap) */
const PER_WORKER = 4;
const log0 = (s: string): void => void process.stderr.write(`${s}\n`);

/** How many revisions station number i (in the definition's order) sends. */
export function revisionsOf(spec: PrepareSpec, i: number): number {
  const share = spec.correctionShare ?? 0;
  const stride = share > 0 ? Math.max(1, Math.round(1 / share)) : 0;
  return spec.revisions + (stride > 0 && i % stride === 0 ? 1 : 0);
}

/** Revision-major send order; a station's sends share its key, so they go strictly in order. */
export function sendOrder(stations: readonly PreparedStation[]): PreparedSend[] {
  const sends: PreparedSend[] = [];
  const most = stations.reduce((m, s) => Math.max(m, s.envelopes.length), 0);
  for (let r = 0; r < most; r++) {
    for (const p of stations) {
      const envelope = p.envelopes[r];
      if (envelope !== undefined) sends.push({ token: p.token, envelope, key: p.precinctId });
    }
  }
  return sends;
}

/**
 * Every kit of the office unlocks its bundle, opens its session (against a server of its own on a
 * throwaway database) and seals its reports, in WORKERS worker threads, before any clock starts.
 * Session tokens are stateless (decision 0032): they hold on every later server of the same PKI.
 */
export async function prepareSends(
  office: ExerciseOffice,
  spec: PrepareSpec,
  log: (s: string) => void = log0,
): Promise<PreparedStation[]> {
  // the throwaway database lives in memory-backed /dev/shm when there is one: its fsyncs are not
  // what is measured, and 90,652 session openings would otherwise wait for the disk
  const scratch = existsSync('/dev/shm') ? '/dev/shm' : office.dir;
  const dbFile = path.join(scratch, `wk-prepare-${process.pid}-${Date.now()}.db`);
  const server = await startServerProcess({
    pkiDir: office.pkiDir,
    electionFile: office.electionFile,
    dbFile,
    // its own publication folder (the default, beside the database, would be shared in /dev/shm)
    extraArgs: ['--log-level', 'warn', '--publish-dir', `${dbFile}.publication`],
    // a national election takes a while to load and to publish first on a loaded machine
    timeoutMs: SERVER_START_TIMEOUT_MS,
  });
  try {
    const stations = office.truth.map((tally, i) => ({
      bundleFile: path.join(office.bundlesDir, tally.precinctId, 'bundle.json'),
      ...office.secrets[tally.precinctId]!,
      tally,
      revisions: revisionsOf(spec, i),
    }));
    const total = stations.length;
    log(
      `  preparing ${total} kits in ${WORKERS} workers (unlock, session, seal ${spec.revisions} revision(s)` +
        `${spec.correctionShare ? ` + a correction for ${(spec.correctionShare * 100).toFixed(0)} %` : ''})`,
    );
    const progress = new Array<number>(WORKERS).fill(0);
    const started = performance.now();
    let lastLog = 0;
    const parts = await Promise.all(
      shares(stations, WORKERS).map((part, w) =>
        runPrepareWorker(
          { serverUrl: server.url, concurrency: PER_WORKER, stations: part },
          (done) => {
            progress[w] = done;
            const sum = progress.reduce((a, b) => a + b, 0);
            if (performance.now() - lastLog > 15_000) {
              lastLog = performance.now();
              const rate = sum / ((lastLog - started) / 1000);
              log(`    ${sum}/${total} kits prepared (${rate.toFixed(0)}/s)`);
            }
          },
        ),
      ),
    );
    // shares() split round-robin: put the stations back in the definition's order
    const out: PreparedStation[] = new Array(total);
    parts.forEach((part, w) => part.forEach((s, j) => (out[j * WORKERS + w] = s)));
    return out;
  } finally {
    await server.stop('SIGTERM');
    for (const suffix of [
      '',
      '-wal',
      '-shm',
      '-journal',
      '.lock',
      '.publication',
      '.publication.snapshots',
    ])
      await rm(`${dbFile}${suffix}`, { recursive: true, force: true });
  }
}

function runPrepareWorker(
  input: PrepareInput,
  onProgress: (done: number) => void,
): Promise<PreparedStation[]> {
  const boot = new URL('./worker-boot.mjs', import.meta.url);
  const module = new URL('./prepare-worker.ts', import.meta.url).href;
  return new Promise((resolve, reject) => {
    const worker = new Worker(boot, { workerData: { module, input } });
    worker.on('message', (m: PrepareMessage) => {
      if (m.kind === 'progress') onProgress(m.done);
      else {
        resolve(m.stations);
        void worker.terminate();
      }
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`prepare worker exited with ${code}`));
    });
  });
}

/** Where prepared scenarios are kept: $WAHLKOFFER_BENCH_CACHE, else <tmp>/wahlkoffer-bench-cache. */
export function cacheRoot(): string {
  return process.env.WAHLKOFFER_BENCH_CACHE ?? path.join(os.tmpdir(), 'wahlkoffer-bench-cache');
}

/**
 * The office and every station's session token and sealed reports for `spec`, from the cache when
 * this spec was prepared for today's election (or yesterday's while its tokens hold), else
 * prepared now and cached (issuing with the test KDF, see setUpExerciseOffice). The cache keeps
 * the election file, the PKI directory and the revealed secrets, plus `prepared.ndjson` (one
 * station a line); bundles and letters are removed once the reports are sealed. `fresh: true`
 * prepares in a temporary folder and caches nothing (the quick run).
 *
 * The audit benchmark uses the same function: `await prepareScenario({ name, shape:
 * 'germany-btw2025', seed: 1, revisions: 1, correctionShare: 0.05 })` gives the national office
 * (90,652 stations) and its sends, and `office.pkiDir` / `office.electionFile` for a server.
 */
export async function prepareScenario(
  spec: PrepareSpec,
  options: { readonly fresh?: boolean; readonly log?: (s: string) => void } = {},
): Promise<Prepared> {
  const log = options.log ?? log0;
  const now = new Date();
  // a preparation made yesterday evening is still good this morning: its election day is
  // yesterday and its session tokens hold until noon today (sessionExpiry); it is used while at
  // least an hour of that is left, so a run that starts after midnight finds it
  const day = options.fresh === true ? isoDay(now) : (usableCachedDay(spec, now) ?? isoDay(now));
  const dir = options.fresh
    ? path.join(os.tmpdir(), `wk-bench-${spec.name}-${process.pid}-${Date.now()}`)
    : path.join(cacheRoot(), cacheKey(spec, day));
  const preparedFile = path.join(dir, 'prepared.ndjson');
  if (!options.fresh && existsSync(preparedFile)) {
    log(`${spec.name}: prepared kits from the cache ${dir}`);
    const office = await cachedOffice(spec, dir, day);
    const stations = await readPrepared(preparedFile);
    return {
      office,
      stations,
      sends: sendOrder(stations),
      setupSeconds: { office: 0, prepare: 0 },
      cached: true,
    };
  }
  // an office whose issuing finished (the secrets are written last) is kept; only the kits'
  // preparation is done again
  if (!options.fresh && existsSync(path.join(dir, 'station-secrets.json'))) {
    log(`${spec.name}: the office in ${dir} is issued; preparing its kits`);
    const office = await cachedOffice(spec, dir, day);
    const t = performance.now();
    const stations = await prepareSends(office, spec, log);
    const prepareSeconds = (performance.now() - t) / 1000;
    await writePrepared(preparedFile, stations);
    await rm(office.bundlesDir, { recursive: true, force: true });
    await rm(path.join(dir, 'letters'), { recursive: true, force: true });
    return {
      office,
      stations,
      sends: sendOrder(stations),
      setupSeconds: { office: 0, prepare: prepareSeconds },
      cached: false,
    };
  }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  log(`${spec.name}: setting up the election office in ${dir} (issuing every station, test KDF)`);
  let t = performance.now();
  const office = await setUpExerciseOffice(dir, spec.shape, spec.seed, spec.urnen, {
    issueConcurrency: 8,
    ...(spec.stations === undefined
      ? {}
      : {
          precincts: reportingPrecincts(
            spec,
            exerciseElection(spec.shape, spec.seed, spec.urnen, day).definition.precincts.map(
              (p) => p.id,
            ),
          ),
        }),
  });
  const officeSeconds = (performance.now() - t) / 1000;
  log(`  ${office.truth.length} stations issued in ${officeSeconds.toFixed(0)} s`);
  t = performance.now();
  const stations = await prepareSends(office, spec, log);
  const prepareSeconds = (performance.now() - t) / 1000;
  log(`  prepared in ${prepareSeconds.toFixed(0)} s`);
  if (!options.fresh) {
    await writePrepared(preparedFile, stations);
    await rm(office.bundlesDir, { recursive: true, force: true });
    await rm(path.join(dir, 'letters'), { recursive: true, force: true });
  }
  return {
    office,
    stations,
    sends: sendOrder(stations),
    setupSeconds: { office: officeSeconds, prepare: prepareSeconds },
    cached: false,
  };
}

const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** The cache folder's name for `spec` prepared for an election on `day` (YYYY-MM-DD). */
export function cacheKey(spec: PrepareSpec, day: string): string {
  return [
    spec.shape,
    `seed${spec.seed}`,
    spec.urnen === undefined ? 'all' : `u${spec.urnen}`,
    `r${spec.revisions}`,
    `c${spec.correctionShare ?? 0}`,
    ...(spec.stations === undefined ? [] : [`n${spec.stations}`]),
    day,
  ].join('-');
}

/** Tokens opened for an election on `day` hold until noon UTC the day after (sessionExpiry). */
const TOKEN_HOLDS_MS = 36 * 60 * 60 * 1000;
const MARGIN_MS = 60 * 60 * 1000;

/**
 * The election day of a finished (or issued) preparation of `spec` in the cache whose session
 * tokens still hold for an hour from `now`: today's, else yesterday's. Undefined if there is none.
 */
export function usableCachedDay(spec: PrepareSpec, now: Date): string | undefined {
  const days = [isoDay(now), isoDay(new Date(now.getTime() - 24 * 60 * 60 * 1000))];
  for (const day of days) {
    const holdsUntil = Date.parse(`${day}T00:00:00.000Z`) + TOKEN_HOLDS_MS;
    if (holdsUntil - MARGIN_MS <= now.getTime()) continue;
    const dir = path.join(cacheRoot(), cacheKey(spec, day));
    if (existsSync(path.join(dir, 'prepared.ndjson'))) return day;
  }
  return undefined;
}

async function writePrepared(file: string, stations: readonly PreparedStation[]): Promise<void> {
  const partial = `${file}.partial`;
  const out = createWriteStream(partial, { mode: 0o600 });
  for (const s of stations) {
    if (!out.write(`${JSON.stringify(s)}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  await rename(partial, file);
}

async function readPrepared(file: string): Promise<PreparedStation[]> {
  const out: PreparedStation[] = [];
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  for await (const line of lines) {
    if (line === '') continue;
    const s = JSON.parse(line) as PreparedStation;
    if (typeof s.token !== 'string' || !Array.isArray(s.envelopes))
      throw new Error(`${file}: not a prepared station: ${line.slice(0, 80)}`);
    out.push(s);
  }
  return out;
}

/** The office of a cached preparation: its files, and the definition and truth generated again. */
async function cachedOffice(
  spec: PrepareSpec,
  dir: string,
  today: string,
): Promise<ExerciseOffice> {
  const { definition, truth: every } = exerciseElection(spec.shape, spec.seed, spec.urnen, today);
  const reporting = new Set(
    reportingPrecincts(
      spec,
      definition.precincts.map((p) => p.id),
    ),
  );
  const stored = parseElectionDefinition(
    JSON.parse(await readFile(path.join(dir, 'election.json'), 'utf8')),
  );
  if (stored.precincts.length !== definition.precincts.length)
    throw new Error(`${dir}: the cached election does not match the scenario`);
  return {
    dir,
    definition,
    truth: every.filter((t) => reporting.has(t.precinctId)),
    electionFile: path.join(dir, 'election.json'),
    pkiDir: path.join(dir, 'pki'),
    bundlesDir: path.join(dir, 'bundles'),
    secrets: await readSecrets(path.join(dir, 'station-secrets.json')),
  };
}

/** Removes a fresh (uncached) preparation's folder. */
export async function discard(prepared: Prepared): Promise<void> {
  if (!prepared.cached && !prepared.office.dir.startsWith(cacheRoot()))
    await rm(prepared.office.dir, { recursive: true, force: true });
}
