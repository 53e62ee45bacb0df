import { readFile, rm } from 'node:fs/promises';
import { parseElectionDefinition } from '../../election/index.ts';
import type { ElectionDefinition, Schnellmeldung } from '../../election/index.ts';
import { DEFAULT_FAULTS, formatFaultSpec } from '../simulate/faults.ts';
import type { FaultCounts } from '../simulate/faults.ts';
import { readSecrets, readTruth } from '../simulate/inputs.ts';
import { createPkiStationSource } from '../simulate/pki-station.ts';
import { runSimulation } from '../simulate/run.ts';
import type { SimulationRun } from '../simulate/run.ts';
import { formatSummary } from '../simulate/summary.ts';
import { fetchPublication, snapshotTotals } from './publication.ts';
import { fetchPublishedTotals } from './results.ts';
import { mustRunWahlkoffer } from './run-cli.ts';
import { startServerProcess } from './server-process.ts';
import type { ServerProcess } from './server-process.ts';
import { prepareStolenKit } from './stolen-kit.ts';
import { compareTotals, totalsForSummary, truthTotals } from './totals.ts';
import { createWorkspace, findFreePort, writeCaPassphrase } from './workspace.ts';
import type { DemoWorkspace } from './workspace.ts';

export type DemoOptions = {
  readonly dir?: string;
  readonly port?: number;
  readonly host: string;
  readonly seed: number;
  readonly shape: string;
  readonly exitWhenDone: boolean;
  readonly durationSeconds: number;
  readonly concurrency: number;
  readonly faults: FaultCounts;
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

async function prepare(
  ws: DemoWorkspace,
  options: DemoOptions,
  port: number,
  step: (s: string) => void,
): Promise<void> {
  const forward = (text: string): void => {
    for (const line of text.split(/[\r\n]+/))
      if (line.trim() !== '') options.log(`    ${line.trim()}`);
  };
  step(`generating the election (${options.shape}, seed ${options.seed})`);
  await mustRunWahlkoffer([
    'election',
    'generate',
    '--shape',
    options.shape,
    '--seed',
    String(options.seed),
    // the election is held tonight: certificates and sessions are valid around election day
    '--date',
    'today',
    '--out',
    ws.dir,
  ]);
  step(
    'PKI ceremony: root and issuing CA, server certificates (CA passphrase written to a file, not shown)',
  );
  await writeCaPassphrase(ws.caPassphraseFile);
  await mustRunWahlkoffer([
    'pki',
    'init',
    '--dir',
    ws.pkiDir,
    '--election',
    ws.electionFile,
    '--ca-passphrase-file',
    ws.caPassphraseFile,
    '--server-url',
    `http://${options.host}:${port}`,
    // The demo writes every station passphrase to station-secrets.json beside the bundles, so
    // a slow KDF protects nothing here; the production cost (scrypt N=2^17, ~0.4 s per key)
    // would add ~8 minutes of CPU (docs/decisions/0041-demo-orchestration.md).
    '--insecure-test-kdf',
  ]);
  step('issuing a certificate, bundle and letter for every station');
  await mustRunWahlkoffer(
    [
      'pki',
      'issue',
      '--dir',
      ws.pkiDir,
      '--ca-passphrase-file',
      ws.caPassphraseFile,
      '--all',
      '--out',
      ws.bundlesDir,
      '--letters',
      ws.lettersDir,
      '--reveal-secrets',
      ws.secretsFile,
    ],
    { onStderr: forward },
  );
  if (options.faults.revoked > 0) {
    step(
      `a kit is stolen: keeping its old bundle, issuing a replacement and revoking the old certificate (${options.faults.revoked}x)`,
    );
    await prepareStolenKit(ws, options.faults.revoked, String(options.seed));
  }
}

function printAccess(ws: DemoWorkspace, url: string, log: (line: string) => void): void {
  log('');
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
  log(`  database:           ${ws.dbFile}`);
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
async function verdict(
  night: { run: SimulationRun; definition: ElectionDefinition; truth: Schnellmeldung[] },
  url: string,
  step: Step,
  timings: Record<string, number>,
): Promise<DemoSummaryLine> {
  const { run, definition, truth } = night;
  const expected = truthTotals(definition, truth);
  const published = await fetchPublishedTotals(url, definition);
  const snapshot = await fetchPublication(`${url}/ergebnisse/`, truth.length);
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
      summary.genuine.accepted === summary.genuine.expected,
    faults: summary.faults.map(({ kind, expected, actual, ok }) => ({
      kind,
      expected,
      actual,
      ok,
    })),
    timings: Object.fromEntries(
      Object.entries(timings).map(([k, v]) => [k, Math.round(v * 10) / 10]),
    ),
  };
}

/**
 * `wahlkoffer demo`: the whole election night on one machine — generate the Munich election, run
 * the PKI ceremony, start the server on SQLite, let every kit report over about a minute with a
 * few injected faults, and check the published totals against the truth.
 */
export async function runDemo(options: DemoOptions): Promise<number> {
  const timings: Record<string, number> = {};
  const step: Step = (s) => options.log(`[demo ${sinceStart().toFixed(1)} s] ${s}`);
  const ws = await createWorkspace(options.dir);
  step(`working directory: ${ws.dir}${ws.temporary ? ' (temporary; use --dir to keep it)' : ''}`);
  const port = options.port ?? (await findFreePort(options.host));
  await prepare(ws, options, port, step);
  timings.preparedSeconds = sinceStart();
  step('starting the central server (SQLite, migrations applied at start)');
  const server: ServerProcess = await startServerProcess({
    pkiDir: ws.pkiDir,
    electionFile: ws.electionFile,
    dbFile: ws.dbFile,
    port,
    host: options.host,
    extraArgs: ['--publish-dir', ws.publishDir],
  });
  try {
    timings.serverReadySeconds = sinceStart();
    printAccess(ws, server.url, options.log);
    const line = await verdict(
      await electionNight(ws, options, server.url, step, timings),
      server.url,
      step,
      timings,
    );
    if (options.exitWhenDone) {
      options.out(JSON.stringify(line));
      return line.ok ? 0 : 1;
    }
    step(
      `${line.ok ? 'all good' : 'NOT all as expected (see above)'} — still serving at ${server.url}; press Ctrl-C to stop`,
    );
    await options.untilInterrupted();
    return line.ok ? 0 : 1;
  } finally {
    await server.stop('SIGTERM');
    // A temporary folder holds ~400 MB of bundles and letters; --dir keeps everything instead.
    if (ws.temporary) await rm(ws.dir, { recursive: true, force: true });
    step(
      `server stopped${ws.temporary ? '; temporary folder removed' : `; everything kept in ${ws.dir} (the final public results: ${ws.publishDir}/index.html)`}`,
    );
  }
}
