import { rmSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { parseElectionDefinition } from '../../election/index.ts';
import type { ElectionDefinition, Schnellmeldung } from '../../election/index.ts';
import { cleanUpOnSignal } from '../children.ts';
import { DEFAULT_FAULTS, formatFaultSpec } from '../simulate/faults.ts';
import type { FaultCounts } from '../simulate/faults.ts';
import { readSecrets, readTruth } from '../simulate/inputs.ts';
import { createPkiStationSource } from '../simulate/pki-station.ts';
import { runSimulation } from '../simulate/run.ts';
import type { SimulationRun } from '../simulate/run.ts';
import { formatSummary } from '../simulate/summary.ts';
import { fetchPublication, snapshotTotals } from './publication.ts';
import { fetchPublishedTotals } from './results.ts';
import { prepare } from './prepare.ts';
import { killOneServer, startBackend, type Backend, type DemoDatabase } from './backend.ts';
import type { KillReport } from './backend.ts';
import { checkStoredOnce, readStoredReports } from './stored-check.ts';
import { compareTotals, totalsForSummary, truthTotals } from './totals.ts';
import { createWorkspace, findFreePort } from './workspace.ts';
import type { DemoWorkspace } from './workspace.ts';

export type DemoOptions = {
  readonly dir?: string;
  readonly port?: number;
  readonly host: string;
  readonly seed: number;
  readonly shape: string;
  /** keep only the first n Urnenwahlbezirke (+ their Briefwahlbezirke): a short night */
  readonly urnen?: number;
  readonly exitWhenDone: boolean;
  readonly durationSeconds: number;
  readonly concurrency: number;
  readonly faults: FaultCounts;
  /** SQLite (one server) or a throwaway PostgreSQL cluster with `servers` servers behind nginx */
  readonly database: DemoDatabase;
  readonly servers: number;
  /** SIGKILL one server in the middle of the night and start it again later (PostgreSQL) */
  readonly killOne: boolean;
  /** stdout: the final JSON line (and nothing else when --exit-when-done) */
  readonly out: (line: string) => void;
  /** stderr: progress for the person watching */
  readonly log: (line: string) => void;
  /** resolves when the user asks to stop (Ctrl-C) */
  readonly untilInterrupted: () => Promise<unknown>;
};

export type DemoSummaryLine = {
  readonly precincts: number;
  readonly accepted: number;
  readonly rejected: Readonly<Record<string, number>>;
  readonly totals: Record<string, unknown>;
  readonly ok: boolean;
  readonly faults: readonly { kind: string; expected: string; actual: string; ok: boolean }[];
  /** where the reports went, and whether every receipted one is stored exactly once */
  readonly storage: {
    readonly database: DemoDatabase;
    readonly servers: number;
    readonly killed?: KillReport;
    readonly storedOnce: boolean;
  };
  readonly timings: Readonly<Record<string, number>>;
};

const DEFAULTS = { seed: 2020, shape: 'munich-kw2020', durationSeconds: 60, concurrency: 32 };
export const DEMO_DEFAULTS = { ...DEFAULTS, faults: DEFAULT_FAULTS };

/** Refusals of reports and of sessions (a revoked kit is refused when it opens its session). */
function mergeCounts(...counts: Readonly<Record<string, number>>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of counts) for (const [k, n] of Object.entries(c)) out[k] = (out[k] ?? 0) + n;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** Seconds since this process started (performance.now() counts from the process's time origin). */
const sinceStart = (): number => performance.now() / 1000;

function printAccess(ws: DemoWorkspace, backend: Backend, log: (line: string) => void): void {
  const url = backend.url;
  log('');
  log(
    `  dashboard (office): ${url}/office/   (users, passwords, TOTP secrets: ${ws.officeUsersFile})`,
  );
  log(
    `  results (public):   ${url}/ergebnisse/   (German; English: ${url}/ergebnisse/index.en.html)`,
  );
  log(`  results (files):    ${ws.publishDir}/ (the signed snapshot, as nginx or a CDN serves it)`);
  log(`  results (JSON API): ${url}/api/v1/results`);
  log(`  health:             ${url}/healthz`);
  log(`  API description:    ${url}/api/openapi.json`);
  log(`  CA passphrase:      ${ws.caPassphraseFile} (owner-only file)`);
  log(`  station secrets:    ${ws.secretsFile} (demo only: passphrases and TOTP secrets)`);
  log(`  letters, bundles:   ${ws.bundlesDir}/<precinct>/`);
  for (const line of backend.access) log(`  ${line}`);
  log('');
}

type Step = (s: string) => void;

/** Election night: every kit reports (with the faults), paced over the duration. */
async function electionNight(
  ws: DemoWorkspace,
  options: DemoOptions,
  url: string,
  step: Step,
  timings: Record<string, number>,
): Promise<{ run: SimulationRun; definition: ElectionDefinition; truth: Schnellmeldung[] }> {
  const definition = parseElectionDefinition(JSON.parse(await readFile(ws.electionFile, 'utf8')));
  const truth = await readTruth(ws.truthFile);
  const revokedSecrets = options.faults.revoked > 0 ? await readSecrets(ws.revokedSecretsFile) : {};
  const stations = createPkiStationSource({
    bundlesDir: ws.bundlesDir,
    secrets: await readSecrets(ws.secretsFile),
    revokedDir: ws.revokedDir,
    revokedSecrets,
    rootCaPem: await readFile(`${ws.pkiDir}/root-ca.pem`, 'utf8'),
  });
  step(
    `election night: ${truth.length} Schnellmeldungen from ${definition.precincts.length} districts over ` +
      `~${options.durationSeconds} s, ${options.concurrency} kits at once, faults ${formatFaultSpec(options.faults)}`,
  );
  const run = await runSimulation({
    serverUrl: url,
    truth,
    stations,
    faults: options.faults,
    revokedStations: Object.keys(revokedSecrets),
    seed: String(options.seed),
    concurrency: options.concurrency,
    durationMs: options.durationSeconds * 1000,
    onProgress: (line) => options.log(`  ${line}`),
    onFirstAccepted: () => {
      timings.firstAcceptedSeconds = sinceStart();
      step(
        `first report accepted, ${timings.firstAcceptedSeconds.toFixed(1)} s after the command started`,
      );
    },
  });
  timings.simulationSeconds = run.summary.durationMs / 1000;
  options.log(formatSummary(run.summary));
  return { run, definition, truth };
}

/** Compares the published totals with the truth and builds the one-line summary. */
type Night = { run: SimulationRun; definition: ElectionDefinition; truth: Schnellmeldung[] };

async function verdict(
  night: Night,
  url: string,
  step: Step,
  timings: Record<string, number>,
  storage: DemoSummaryLine['storage'],
): Promise<DemoSummaryLine> {
  const { run, definition, truth } = night;
  const expected = truthTotals(definition, truth);
  const published = await fetchPublishedTotals(url, definition);
  // the snapshot that shows every accepted report, corrections included
  const lastAccepted = run.results.reduce(
    (max, r) => (r.outcome.status === 'ACCEPTED' ? Math.max(max, r.outcome.sequence) : max),
    0,
  );
  const snapshot = await fetchPublication(`${url}/ergebnisse/`, truth.length, 15_000, lastAccepted);
  const differences = [
    ...compareTotals(expected, published),
    ...compareTotals(expected, snapshotTotals(snapshot, definition)).map(
      (d) => `public page: ${d}`,
    ),
  ];
  step(
    differences.length === 0
      ? `published totals (API and the public pages, snapshot of report ${snapshot.lastSequence}) equal the truth file (recomputed with the election Aggregator)`
      : `published totals differ from the truth: ${differences.slice(0, 5).join('; ')}`,
  );
  const { summary } = run;
  timings.totalSeconds = sinceStart();
  return {
    precincts: definition.precincts.length,
    accepted: summary.genuine.accepted,
    rejected: mergeCounts(summary.refusedByCode, summary.sessionRefusedByCode),
    totals: totalsForSummary(published),
    ok:
      summary.ok &&
      differences.length === 0 &&
      summary.genuine.accepted === summary.genuine.expected &&
      storage.storedOnce,
    faults: summary.faults.map(({ kind, expected, actual, ok }) => ({
      kind,
      expected,
      actual,
      ok,
    })),
    storage,
    timings: Object.fromEntries(
      Object.entries(timings).map(([k, v]) => [k, Math.round(v * 10) / 10]),
    ),
  };
}

/**
 * The night and its checks: the simulation (with one server killed and restarted, if asked),
 * every receipt found stored exactly once, the published totals against the truth.
 */
async function night(
  ws: DemoWorkspace,
  options: DemoOptions,
  backend: Backend,
  step: Step,
  timings: Record<string, number>,
): Promise<DemoSummaryLine> {
  const expectedReports = (await readTruth(ws.truthFile)).length;
  const killing = options.killOne ? killOneServer(backend, expectedReports, step) : undefined;
  const result = await electionNight(ws, options, backend.url, step, timings).finally(() =>
    killing?.finish(),
  );
  const killed = await killing?.finish();
  const problems = checkStoredOnce(
    await readStoredReports(backend.db),
    result.run.results,
    result.truth,
  );
  step(
    problems.length === 0
      ? 'every receipt a kit got names a report stored exactly once, under that sequence number and receipt code; no gaps'
      : `stored reports do not match the receipts: ${problems.slice(0, 5).join('; ')}`,
  );
  return verdict(result, backend.url, step, timings, {
    database: options.database,
    servers: backend.servers.length,
    ...(killed === undefined ? {} : { killed }),
    storedOnce: problems.length === 0,
  });
}

/**
 * `wahlkoffer demo`: the whole election night on one machine — generate the Munich election, run
 * the PKI ceremony, start the server on SQLite (or several servers on a throwaway PostgreSQL
 * cluster behind nginx, one of them killed and restarted in the middle of the night), let every
 * kit report over about a minute with a few injected faults, and check the published totals
 * against the truth and every receipt against the stored reports.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const step: Step = (s) => options.log(`[demo ${sinceStart().toFixed(1)} s] ${s}`);
  const ws = await createWorkspace(options.dir);
  // A temporary folder holds ~400 MB of bundles and letters: removed also when a signal ends us.
  const forget = ws.temporary
    ? cleanUpOnSignal(() => rmSync(ws.dir, { recursive: true, force: true }))
    : () => undefined;
  step(`working directory: ${ws.dir}${ws.temporary ? ' (temporary; use --dir to keep it)' : ''}`);
  try {
    return await prepareAndRun(ws, options, step);
  } finally {
    // --dir keeps everything instead
    if (ws.temporary) await rm(ws.dir, { recursive: true, force: true });
    forget();
    step(
      ws.temporary
        ? 'temporary folder removed'
        : `everything kept in ${ws.dir} (the final public results: ${ws.publishDir}/index.html)`,
    );
  }
}

async function prepareAndRun(ws: DemoWorkspace, options: DemoOptions, step: Step) {
  const timings: Record<string, number> = {};
  const port = options.port ?? (await findFreePort(options.host));
  await prepare(ws, options, port, step);
  timings.preparedSeconds = sinceStart();
  step(
    options.database === 'sqlite'
      ? 'starting the central server (SQLite, migrations applied at start)'
      : `starting ${options.servers} central servers on PostgreSQL behind nginx`,
  );
  const backend = await startBackend({
    ws,
    host: options.host,
    port,
    database: options.database,
    servers: options.servers,
    step,
  });
  try {
    timings.serverReadySeconds = sinceStart();
    printAccess(ws, backend, options.log);
    const line = await night(ws, options, backend, step, timings);
    if (options.exitWhenDone) {
      options.out(JSON.stringify(line));
      return line.ok ? 0 : 1;
    }
    step(
      `${line.ok ? 'all good' : 'NOT all as expected (see above)'} — still serving at ${backend.url}; press Ctrl-C to stop`,
    );
    await options.untilInterrupted();
    return line.ok ? 0 : 1;
  } finally {
    await backend.stop();
    step(backend.servers.length > 1 ? 'servers, nginx and PostgreSQL stopped' : 'server stopped');
  }
}
