import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { loadElection } from './election-file.ts';
import type { ServerConfig } from './config.ts';
import { createApp } from './http/app.ts';
import { buildOpenApiDocument } from '../api/index.ts';
import { IntakeService } from './intake/intake-service.ts';
import { IntakeWriter } from './intake/intake-writer.ts';
import { VerifyPool } from './intake/verify-pool.ts';
import { loadServerPki } from './pki-material.ts';
import { IntakeState } from './intake/intake-state.ts';
import { createLogger, type Logger } from './logger.ts';
import type { ServerPki } from './ports.ts';
import { SessionService } from './sessions/session-service.ts';
import { migrateDatabase, openDatabase, sqliteUrl } from './storage/database.ts';
import { ThreadedIntakeStore } from './storage/threaded-intake-store.ts';
import { PrismaRepository } from './storage/sqlite-repository.ts';
import { WriteLock } from './write-lock.ts';

export { loadElection };

export const SERVER_VERSION = '0.1.0';

export type RunningServer = {
  /** e.g. http://127.0.0.1:43210 */
  readonly url: string;
  readonly port: number;
  /** stops accepting, lets queued reports commit, closes the database */
  close(): Promise<void>;
};

export type StartOptions = {
  /** the PKI as functions; default: loaded from `config.pkiDir` */
  readonly pki?: ServerPki;
  readonly clock?: () => Date;
  readonly logger?: Logger;
};

/**
 * Starts the central server: loads the election and the PKI, migrates the database, imports the
 * station register, rebuilds the totals from the stored reports, and serves.
 */
export async function startServer(
  config: ServerConfig,
  options: StartOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = options.clock ?? (() => new Date());
  const index = await loadElection(config.electionFile);
  const loaded = options.pki ?? (await loadServerPki(config.pkiDir, index, clock()));
  const pool =
    config.verifyWorkers > 0
      ? await VerifyPool.start(
          config.verifyWorkers,
          { pkiDir: config.pkiDir, electionFile: config.electionFile, startedAt: clock().getTime() },
          logger,
        )
      : undefined;
  const pki: ServerPki = pool === undefined ? loaded : { ...loaded, openEnvelope: pool.open };
  const applied = await migrateDatabase(config.db);
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const prisma = await openDatabase(config.db);
  const repository = new PrismaRepository(
    prisma,
    await ThreadedIntakeStore.start(sqliteUrl(config.db).slice('file:'.length)),
  );
  const imported = await repository.importStations(pki.stations(), clock());
  logger.info(imported, 'station register imported');

  const state = await IntakeState.load(repository, index);
  const lock = new WriteLock();
  const sessions = new SessionService({
    pki,
    repository,
    state,
    lock,
    lockout: config.lockout,
    challengeTtlSeconds: config.challengeTtlSeconds,
    electionDate: index.definition.date,
  });
  const writer = new IntakeWriter({
    repository,
    state,
    lock,
    index,
    signReceipt: pki.signReceipt,
    clock,
    logger,
    maxBatch: config.maxBatch,
    maxQueue: config.maxQueue,
  });
  const intake = new IntakeService({ pki, sessions, writer, repository });
  let openApi: Record<string, unknown> | undefined;
  const app = createApp({
    logger,
    clock,
    sessions,
    intake,
    get results() {
      return state.results;
    },
    repository,
    electionId: index.definition.id,
    bodyLimitBytes: config.bodyLimitBytes,
    openApi: () => (openApi ??= buildOpenApiDocument(SERVER_VERSION)),
    queued: () => writer.queued,
  });
  const server = createServer(app);
  server.keepAliveTimeout = 65_000;
  await listen(server, config.host, config.port);
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `http://${host}:${port}`;
  logger.info({ url, reports: state.ledger.currentCount }, 'server ready');
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await writer.flush();
        await pool?.close();
        await repository.close();
        logger.info('server stopped');
      })()),
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
