import { Option, type Command } from 'commander';
import {
  ConfigError,
  StartupError,
  limitHeapGrowth,
  parseServerConfig,
  startServer,
  type ServerConfig,
  type ServerConfigInput,
  kitUrlNote,
} from '../../central-server/index.ts';
import { CliError, errorLine } from '../cli-error.ts';
import { markRequired } from '../help-style.ts';

type ServerFlags = {
  pki?: string;
  election?: string;
  db?: string;
  host?: string;
  port?: string;
  logLevel?: string;
  verifyWorkers?: string;
  publishDir?: string;
  publicPort?: string;
  publicHost?: string;
  officeHttps?: boolean;
  timeZone?: string;
  plainHttp?: boolean;
  /** true with --malloc-trim; absent, the environment decides (default off) */
  mallocTrim?: boolean;
  heapGrowth?: string;
};

function configFrom(flags: ServerFlags): ServerConfig {
  const input: Partial<ServerConfigInput> = {
    pkiDir: flags.pki,
    electionFile: flags.election,
    db: flags.db,
    host: flags.host,
    port: flags.port,
    logLevel: flags.logLevel as ServerConfigInput['logLevel'],
    verifyWorkers: flags.verifyWorkers === undefined ? undefined : Number(flags.verifyWorkers),
    publishDir: flags.publishDir,
    publicPort: flags.publicPort,
    publicHost: flags.publicHost,
    officeHttps: flags.officeHttps,
    timeZone: flags.timeZone,
    plainHttp: flags.plainHttp,
    mallocTrim: flags.mallocTrim === true ? true : undefined,
    heapGrowth: flags.heapGrowth === undefined ? undefined : Number(flags.heapGrowth),
  };
  try {
    return parseServerConfig(input, process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const settings = error.problems.map((p) => p.setting).join(', ');
    const problems = error.problems.map((p) => `${p.setting} ${p.problem}`).join('; ');
    throw new CliError(
      'USAGE',
      {
        de: `Einstellungen fehlen oder sind ungültig: ${settings}. Alle Optionen zeigt "wahlkoffer server --help".`,
        en: `invalid server configuration: ${problems}.`,
      },
      2,
      { cause: error },
    );
  }
}

/** The defaults the configuration applies after flags and environment, for --help. */
const DEFAULTS = parseServerConfig({ pkiDir: '-', electionFile: '-' });

const option = (flags: string, description: string, env: string, shownDefault?: string) => {
  const o = new Option(flags, description).env(env);
  if (shownDefault !== undefined) o.defaultValueDescription = shownDefault;
  return o;
};

/**
 * `wahlkoffer server`: migrates the database, imports the station register from the PKI
 * directory, rebuilds the totals and serves HTTPS with the PKI's TLS certificate (plain HTTP
 * with --plain-http) until SIGINT/SIGTERM. Prints `listening on https://HOST:PORT` on stdout
 * once ready (harnesses wait for that line); the JSON
 * logs go to stderr. A server that cannot start says why in one line and exits 1 at once.
 */
export function registerServerCommands(program: Command): void {
  program
    .command('server')
    .description('run the central server (intake, sessions, results)')
    .addOption(
      markRequired(
        option('--pki <dir>', 'PKI directory from `wahlkoffer pki init`', 'WAHLKOFFER_PKI'),
      ),
    )
    .addOption(
      markRequired(option('--election <file>', 'election definition JSON', 'WAHLKOFFER_ELECTION')),
    )
    .addOption(
      option(
        '--db <path|url>',
        'SQLite database file, or PostgreSQL URL (several servers may share one)',
        'WAHLKOFFER_DB',
        DEFAULTS.db,
      ),
    )
    .addOption(option('--host <host>', 'address to bind', 'WAHLKOFFER_HOST', DEFAULTS.host))
    .addOption(
      option(
        '--port <n>',
        'port to bind, 0 = any free port',
        'WAHLKOFFER_PORT',
        `${DEFAULTS.port}; 8080 with --plain-http`,
      ),
    )
    .addOption(
      // not .env(): commander would take WAHLKOFFER_PLAIN_HTTP=0 as "on"; configFromEnv reads it
      new Option(
        '--plain-http',
        'serve plain HTTP instead of HTTPS with the PKI’s TLS certificate: only on loopback (demo) or behind nginx that terminates TLS (env: WAHLKOFFER_PLAIN_HTTP=1)',
      ),
    )
    .addOption(
      option(
        '--log-level <level>',
        'fatal|error|warn|info|debug|trace|silent',
        'WAHLKOFFER_LOG_LEVEL',
        DEFAULTS.logLevel,
      ),
    )
    .addOption(
      option(
        '--verify-workers <n>',
        'worker threads that open and verify envelopes (0 = main thread)',
        'WAHLKOFFER_VERIFY_WORKERS',
        String(DEFAULTS.verifyWorkers),
      ),
    )
    .addOption(
      option(
        '--publish-dir <dir>',
        'public results: a link to the current snapshot, for nginx or a CDN',
        'WAHLKOFFER_PUBLISH_DIR',
        'publication/ beside the database',
      ),
    )
    .addOption(
      option(
        '--time-zone <tz>',
        'time zone of the public pages',
        'WAHLKOFFER_TIME_ZONE',
        DEFAULTS.timeZone,
      ),
    )
    .addOption(
      option(
        '--public-port <n>',
        'also serve the public results alone on this port (0 = any free one), from a thread of their own',
        'WAHLKOFFER_PUBLIC_PORT',
      ),
    )
    .addOption(
      option(
        '--public-host <host>',
        'address of --public-port',
        'WAHLKOFFER_PUBLIC_HOST',
        DEFAULTS.publicHost,
      ),
    )
    .addOption(
      new Option(
        '--office-https',
        'the dashboard (/office) is reached over HTTPS (TLS at nginx): Secure __Host- session cookie, https Origin',
      ).env('WAHLKOFFER_OFFICE_HTTPS'),
    )
    .addOption(
      new Option(
        '--malloc-trim',
        'give the memory glibc keeps free back to the system while running; costs latency under load (env: WAHLKOFFER_MALLOC_TRIM=1)',
      ),
    )
    .addOption(
      option(
        '--heap-growth <percent>',
        "how far each thread's JavaScript heap may grow past its live data before V8 collects (0: V8's own choice, up to 300 %)",
        'WAHLKOFFER_HEAP_GROWTH',
        String(DEFAULTS.heapGrowth),
      ),
    )
    .action(async (flags: ServerFlags) => {
      const config = configFrom(flags);
      // process-wide, so here and not in startServer: this process is the server (decision 0067 s9)
      limitHeapGrowth(config.heapGrowth);
      const server = await startServer(config).catch((error: unknown) => {
        if (!(error instanceof StartupError)) throw error;
        throw new CliError('START_FAILED', error.messages, 1, { cause: error });
      });
      for (const warning of server.warnings) {
        process.stderr.write(`\n*** WARNUNG / WARNING ***\n${errorLine(warning)}\n\n`);
      }
      process.stdout.write(`listening on ${server.url}\n`);
      process.stdout.write(`${kitUrlNote(server.kitUrl, config.plainHttp)}\n`);
      process.stdout.write(
        `public results on ${server.publicUrl ?? server.resultsUrl} (files in ${server.publishDir})\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(resolve);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
