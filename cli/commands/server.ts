import type { Command } from 'commander';
import {
  ConfigError,
  parseServerConfig,
  startServer,
  type ServerConfigInput,
} from '../../central-server/index.ts';
import { CliError } from '../cli-error.ts';

type ServerFlags = {
  pki?: string;
  election?: string;
  db?: string;
  host?: string;
  port?: string;
  logLevel?: string;
  verifyWorkers?: string;
};

/**
 * `wahlkoffer server`: migrates the database, imports the station register from the PKI
 * directory, rebuilds the totals and serves until SIGINT/SIGTERM. Prints
 * `listening on http://HOST:PORT` on stdout once ready (harnesses wait for that line); the JSON
 * logs go to stderr.
 */
export function registerServerCommands(program: Command): void {
  program
    .command('server')
    .description('run the central server (intake, sessions, results)')
    .option('--pki <dir>', 'PKI directory from `wahlkoffer pki init` (env WAHLKOFFER_PKI)')
    .option('--election <file>', 'election definition JSON (env WAHLKOFFER_ELECTION)')
    .option('--db <path>', 'SQLite database file (env WAHLKOFFER_DB; default ./wahlkoffer.db)')
    .option('--host <host>', 'address to bind (default 127.0.0.1)')
    .option('--port <n>', 'port to bind, 0 = any free port (default 8080)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (default info)')
    .option(
      '--verify-workers <n>',
      'worker threads that open and verify envelopes (default 1; 0 = main thread)',
    )
    .action(async (flags: ServerFlags) => {
      const input: Partial<ServerConfigInput> = {
        pkiDir: flags.pki,
        electionFile: flags.election,
        db: flags.db,
        host: flags.host,
        port: flags.port,
        logLevel: flags.logLevel as ServerConfigInput['logLevel'],
        verifyWorkers: flags.verifyWorkers === undefined ? undefined : Number(flags.verifyWorkers),
      };
      let config;
      try {
        config = parseServerConfig(input, process.env);
      } catch (error) {
        if (error instanceof ConfigError)
          throw new CliError('USAGE', error.message, 2, { cause: error });
        throw error;
      }
      const server = await startServer(config).catch((error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        throw new CliError('FAILED', `server did not start: ${message}`, 1, { cause: error });
      });
      process.stdout.write(`listening on ${server.url}\n`);
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
