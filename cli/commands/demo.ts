import type { Command } from 'commander';
import { install as stopChildrenOnSignals, untilInterrupted } from '../children.ts';
import { CliError } from '../cli-error.ts';
import { DEMO_DEFAULTS, runDemo } from '../demo/demo.ts';
import { parseFaultSpec } from '../simulate/faults.ts';

type DemoFlags = {
  dir?: string;
  port?: string;
  host: string;
  seed: string;
  shape: string;
  exitWhenDone?: boolean;
  durationSeconds: string;
  concurrency: string;
  faults: string;
  database: string;
  servers: string;
  killOne?: boolean;
  urnenwahlbezirke?: string;
};

function int(value: string, name: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new CliError(
      'USAGE',
      {
        de: `${name} muss eine ganze Zahl von ${min} bis ${max} sein.`,
        en: `${name} must be an integer from ${min} to ${max}.`,
      },
      2,
    );
  }
  return n;
}

function storageOptions(flags: DemoFlags) {
  if (flags.database !== 'sqlite' && flags.database !== 'postgres') {
    throw new CliError(
      'USAGE',
      {
        de: '--database muss sqlite oder postgres sein.',
        en: '--database must be sqlite or postgres.',
      },
      2,
    );
  }
  const servers = int(flags.servers, '--servers', 1, 8);
  const killOne = flags.killOne === true;
  if (flags.database === 'sqlite' && servers > 1) {
    throw new CliError(
      'USAGE',
      {
        de: 'Mehrere Server brauchen --database postgres (eine SQLite-Datei hat genau einen Server).',
        en: 'several servers need --database postgres (a SQLite file has exactly one server).',
      },
      2,
    );
  }
  if (killOne && servers < 2) {
    throw new CliError(
      'USAGE',
      {
        de: '--kill-one braucht mindestens zwei Server (--database postgres --servers 2).',
        en: '--kill-one needs at least two servers (--database postgres --servers 2).',
      },
      2,
    );
  }
  return { database: flags.database, servers, killOne } as const;
}

/** `wahlkoffer demo`: the whole election night on this machine (docs/guides/demo.md). */
export function registerDemoCommands(program: Command): void {
  program
    .command('demo')
    .description(
      'generate the Munich election, run the PKI ceremony, start the server and simulate election night',
    )
    .option('--dir <dir>', 'keep everything (election, truth, PKI, database) in this directory')
    .option('--port <n>', 'server port (default: a free port)')
    .option('--host <host>', 'server address', '127.0.0.1')
    .option(
      '--seed <n>',
      'seed of the generated election and the fault plan',
      String(DEMO_DEFAULTS.seed),
    )
    .option('--shape <shape>', 'election shape for the generator', DEMO_DEFAULTS.shape)
    .option(
      '--urnenwahlbezirke <n>',
      'keep only the first n Urnenwahlbezirke and their Briefwahlbezirke (a short night)',
    )
    .option('--exit-when-done', 'stop after the simulation and print one JSON summary line last')
    .option(
      '--duration-seconds <s>',
      'spread the reports over this many seconds',
      String(DEMO_DEFAULTS.durationSeconds),
    )
    .option('--concurrency <n>', 'kits sending at the same time', String(DEMO_DEFAULTS.concurrency))
    .option('--faults <spec>', 'none | default | kind=count,…', 'default')
    .option(
      '--database <db>',
      'sqlite (one server) | postgres (a throwaway PostgreSQL cluster, servers behind nginx)',
      'sqlite',
    )
    .option('--servers <n>', 'servers on the PostgreSQL database, behind nginx', '1')
    .option('--kill-one', 'SIGKILL one server in the middle of the night and restart it later')
    .action(async (flags: DemoFlags) => {
      stopChildrenOnSignals();
      const storage = storageOptions(flags);
      process.exitCode = await runDemo({
        ...storage,
        dir: flags.dir,
        port: flags.port === undefined ? undefined : int(flags.port, '--port', 1, 65535),
        host: flags.host,
        seed: int(flags.seed, '--seed', 0, 2 ** 31),
        shape: flags.shape,
        ...(flags.urnenwahlbezirke === undefined
          ? {}
          : { urnen: int(flags.urnenwahlbezirke, '--urnenwahlbezirke', 1, 100_000) }),
        exitWhenDone: flags.exitWhenDone === true,
        durationSeconds: int(flags.durationSeconds, '--duration-seconds', 0, 3600),
        concurrency: int(flags.concurrency, '--concurrency', 1, 4096),
        faults: parseFaultSpec(flags.faults),
        out: (line) => process.stdout.write(`${line}\n`),
        log: (line) => process.stderr.write(`${line}\n`),
        untilInterrupted,
      });
    });
}
