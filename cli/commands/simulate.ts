import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { CliError } from '../cli-error.ts';
import { parseFaultSpec } from '../simulate/faults.ts';
import { readSecrets, readTruth } from '../simulate/inputs.ts';
import { createPkiStationSource } from '../simulate/pki-station.ts';
import { runSimulation } from '../simulate/run.ts';
import { formatSummary } from '../simulate/summary.ts';
import { SimulationError } from '../simulate/error.ts';

type SimulateFlags = {
  server: string;
  bundles: string;
  truth: string;
  secrets: string;
  concurrency: string;
  faults: string;
  durationSeconds: string;
  seed: string;
  maxAttempts: string;
  revokedBundles?: string;
  rootCa?: string;
};

function positiveInt(value: string, name: string, min: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min)
    throw new CliError(
      'USAGE',
      {
        de: `${name} muss eine ganze Zahl ≥ ${min} sein.`,
        en: `${name} must be an integer ≥ ${min}.`,
      },
      2,
    );
  return n;
}

async function simulate(flags: SimulateFlags): Promise<number> {
  const faults = parseFaultSpec(flags.faults);
  const concurrency = positiveInt(flags.concurrency, '--concurrency', 1);
  const durationMs = positiveInt(flags.durationSeconds, '--duration-seconds', 0) * 1000;
  const maxAttempts = positiveInt(flags.maxAttempts, '--max-attempts', 1);
  const truth = await readTruth(flags.truth);
  const revokedSecretsFile =
    flags.revokedBundles === undefined
      ? undefined
      : path.join(flags.revokedBundles, 'station-secrets.json');
  const revokedSecrets =
    revokedSecretsFile === undefined ? {} : await readSecrets(revokedSecretsFile);
  const rootCaPem = flags.rootCa === undefined ? undefined : await readFile(flags.rootCa, 'utf8');
  const stations = createPkiStationSource({
    bundlesDir: flags.bundles,
    secrets: await readSecrets(flags.secrets),
    revokedDir: flags.revokedBundles ?? '',
    revokedSecrets,
    rootCaPem,
  });
  const run = await runSimulation({
    serverUrl: flags.server,
    ...(rootCaPem === undefined ? {} : { rootCaPem }),
    truth,
    stations,
    faults,
    revokedStations: Object.keys(revokedSecrets),
    seed: flags.seed,
    concurrency,
    durationMs,
    maxAttempts,
    onProgress: (line) => process.stderr.write(`${line}\n`),
  });
  process.stdout.write(`${formatSummary(run.summary)}\n`);
  return run.summary.ok ? 0 : 1;
}

/** `wahlkoffer simulate`: simulated kits against a running server (docs/guides/demo.md). */
export function registerSimulateCommands(program: Command): void {
  program
    .command('simulate')
    .description(
      'simulate kits reporting to a running server, with injected faults; exits 1 on any unexpected outcome',
    )
    .requiredOption('--server <url>', 'server base URL, e.g. https://127.0.0.1:8443')
    .requiredOption('--bundles <dir>', 'station bundles from `pki issue --all --out`')
    .requiredOption('--truth <file>', 'truth.json from `election generate`')
    .requiredOption(
      '--secrets <file>',
      'station secrets from `pki issue --reveal-secrets` (demo/test only)',
    )
    .option('--concurrency <n>', 'kits sending at the same time', '32')
    .option(
      '--faults <spec>',
      'none | default | kind=count,… (retry, correction, tampered, revoked, foreign)',
      'none',
    )
    .option(
      '--duration-seconds <s>',
      'spread the sends over this many seconds (0 = as fast as possible)',
      '0',
    )
    .option('--seed <seed>', 'seed for choosing fault precincts and the order of sends', '1')
    .option(
      '--max-attempts <n>',
      'attempts per request when no answer comes or the server answers 5xx: the same bytes again, after 1–2 s, 2–4 s, … (8: about 2–4 min)',
      '8',
    )
    .option(
      '--revoked-bundles <dir>',
      'bundles of revoked (stolen) kits, with their station-secrets.json',
    )
    .option(
      '--root-ca <file>',
      'election root CA (PEM) to pin: the only trust anchor for an https server, the bundles and the receipts (required for https)',
    )
    .action(async (flags: SimulateFlags) => {
      try {
        process.exitCode = await simulate(flags);
      } catch (error) {
        if (error instanceof SimulationError)
          throw new CliError(
            'UNREADABLE_INPUT',
            { de: `${error.code}: ${error.localized.de}`, en: `${error.code}: ${error.message}` },
            2,
            { cause: error },
          );
        throw error;
      }
    });
}
