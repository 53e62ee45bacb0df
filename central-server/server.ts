import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { LocalizedMessage } from '../election/index.ts';
import { loadElection } from './election-file.ts';
import type { ServerConfig } from './config.ts';
import { createApp } from './http/app.ts';
import { reportRoute } from './http/report-route.ts';
import { buildOpenApiDocument } from '../api/index.ts';
import { IntakeService } from './intake/intake-service.ts';
import { IntakeWriter } from './intake/intake-writer.ts';
import { VerifyPool } from './intake/verify-pool.ts';
import { loadServerPki } from './pki-material/index.ts';
import { probePort } from './port-probe.ts';
import { IntakeState } from './intake/intake-state.ts';
import type { CrlStatus } from './pki-material/index.ts';
import { DEFAULT_REFUSAL_LIMITS, RefusalLog } from './refusal-log.ts';
import { StationSync } from './sessions/station-sync.ts';
import { createLogger, type Logger } from './logger.ts';
import type { ServerPki } from './ports.ts';
import { SessionService } from './sessions/session-service.ts';
import { windowWarning } from './sessions/window.ts';
import { startupError, type StartupContext } from './startup-error.ts';
import { lockDatabase } from './storage/database-lock.ts';
import { databaseTarget, redactDatabase } from './storage/database.ts';
import { migrateInThread } from './storage/migrate-thread.ts';
import { openStorage } from './storage/open-storage.ts';
import { CatchUp } from './intake/catch-up.ts';
import { LogReader } from './log/log-reader.ts';
import { checkInstallation } from './installation.ts';
import { WriteLock } from './write-lock.ts';
import {
  publicationAudit,
  startPublication,
  type PublicationTuning,
} from './publication-wiring.ts';
import { servePublication, PUBLIC_PREFIX } from './publication/index.ts';
import { createOfficeActions, type OfficeActions } from './office/actions/index.ts';
import { mountActions } from './office/web/actions/index.ts';
import { createOffice, type OfficeRoute, type OfficeUsers } from './office/index.ts';
import { DEFAULT_FEED_OPTIONS, LiveFeed } from './office/live/feed.ts';
import {
  createLiveView,
  DEFAULT_STREAM_LIMITS,
  type StreamLimits,
} from './office/web/live/index.ts';
import { createListener } from './listener.ts';
import { logThreads } from './threads/os-thread.ts';
import { kitUrlWarnings } from './kit-url.ts';
import { StartupError } from './startup-error.ts';
import { appliedHeapGrowth } from './memory/heap-growth.ts';
import { loadMallocTrim, type MallocTrimLoad } from './memory/malloc-trim.ts';
import { MemoryTrimmer } from './memory/memory-trimmer.ts';
import { DEFAULT_TRIM_POLICY, type TrimPolicy } from './memory/trim-policy.ts';

export { loadElection };

export const SERVER_VERSION = '0.1.0';

export type RunningServer = {
  /** e.g. https://127.0.0.1:8443 (http:// only with plainHttp) */
  readonly url: string;
  readonly port: number;
  /** where the kits were told to reach the server (`pki init --server-url`) */
  readonly kitUrl: string;
  /** what the operator must see at start (e.g. no kit can sign in today), German and English */
  readonly warnings: readonly LocalizedMessage[];
  /**
   * Re-reads crl.pem and the station register now (instead of within 2 s, or at the next session
   * request of a changed station): for the office's "revoke and replace a kit during the night".
   */
  reloadPki(): Promise<{ crl: CrlStatus; stationsChanged: number }>;
  /** the public results pages, e.g. http://127.0.0.1:43210/ergebnisse/ */
  readonly resultsUrl: string;
  /** the link to the current snapshot (what nginx or a CDN serves) */
  readonly publishDir: string;
  /** the publication thread's own listener (`--public-port`), e.g. http://127.0.0.1:8081/ */
  readonly publicUrl: string | null;
  /** the office's actions (phone confirmation, phoned-in results, kits): the dashboard's services */
  readonly officeActions: OfficeActions;
  /** the dashboard's users (the demo adds its office users here) */
  readonly officeUsers: OfficeUsers;
  /** the dashboard, e.g. http://127.0.0.1:43210/office/ */
  readonly officeUrl: string;
  /** every route of the dashboard (tests check that each one needs a log-in) */
  readonly officeRoutes: () => readonly OfficeRoute[];
  /** the office's live board of every district, fed by every server's commits and logs */
  readonly liveFeed: LiveFeed;
  /** resolves once the public results show every report accepted so far */
  publicationFlush(): Promise<void>;
  /** stops accepting, lets queued reports commit, closes the database */
  close(): Promise<void>;
};

export type StartOptions = {
  /** the PKI as functions; default: loaded from `config.pkiDir` */
  readonly pki?: ServerPki;
  readonly clock?: () => Date;
  readonly logger?: Logger;
  /** publication timing (tests, benchmarks): how long start waits for the first snapshot, … */
  readonly publication?: PublicationTuning;
  /** the live view's event streams: how many at once, bytes queued per client, … (tests) */
  readonly liveStreams?: Partial<StreamLimits>;
  /** giving free memory back (decision 0106): the binding (default glibc's) and the policy */
  readonly memoryTrim?: {
    readonly load?: () => Promise<MallocTrimLoad>;
    readonly policy?: Partial<TrimPolicy>;
  };
};

/** Undo steps of a start that failed half-way, run in reverse so nothing keeps the process alive. */
type Opened = (() => Promise<void> | void)[];

/**
 * Starts the central server: holds the database lock, loads the election and the PKI, migrates
 * the database, imports the station register, rebuilds the totals from the stored reports, and
 * serves. Any failure closes what was opened and rejects with a StartupError saying what to do
 * (port taken, database held by another server, unreadable files; docs/decisions/0101).
 */
export async function startServer(
  config: ServerConfig,
  options: StartOptions = {},
): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const opened: Opened = [];
  try {
    return await start(config, options, logger, opened);
  } catch (error) {
    for (const undo of opened.reverse()) {
      await Promise.resolve()
        .then(undo)
        .catch((e: unknown) => logger.warn({ err: e }, 'cleanup after a failed start'));
    }
    throw error;
  }
}

/** Runs one start-up step; its failure becomes a StartupError naming what to check. */
async function step<T>(
  stage: Parameters<typeof startupError>[1],
  context: StartupContext,
  fn: () => Promise<T> | T,
): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    throw startupError(error, stage, context);
  }
}

async function start(
  config: ServerConfig,
  options: StartOptions,
  logger: Logger,
  opened: Opened,
): Promise<RunningServer> {
  const clock = options.clock ?? (() => new Date());
  const context: StartupContext = { ...config, db: redactDatabase(config.db) };
  // One server per SQLite file; several servers may share a PostgreSQL database (decisions/0111).
  const dbLock =
    databaseTarget(config.db).provider === 'sqlite'
      ? await step('database', context, () => lockDatabase(config.db))
      : undefined;
  if (dbLock !== undefined) opened.push(dbLock.release);
  await step('listen', context, () => probePort(config.host, config.port));
  const index = await step('election', context, () => loadElection(config.electionFile));
  const loaded =
    options.pki ??
    (await step('pki', context, () =>
      loadServerPki(config.pkiDir, index.definition.id, clock(), logger),
    ));
  // from here on threads start: a start refused before (port, database, files) says one line only
  const stopLoggingThreads = logThreads(logger);
  opened.push(stopLoggingThreads);
  const workers = {
    pkiDir: config.pkiDir,
    electionId: index.definition.id,
    startedAt: clock().getTime(),
  };
  const pool =
    config.verifyWorkers > 0
      ? await step('pki', context, () => VerifyPool.start(config.verifyWorkers, workers, logger))
      : undefined;
  if (pool !== undefined) opened.push(() => pool.close());
  const pki: ServerPki = pool === undefined ? loaded : { ...loaded, openEnvelope: pool.open };
  if (!config.plainHttp && pki.tls === undefined) {
    throw new StartupError('TLS_UNAVAILABLE', {
      de: 'Die PKI enthält keinen TLS-Schlüssel für den Server. "wahlkoffer pki init" prüfen, oder mit --plain-http nur hinter nginx starten.',
      en: 'the PKI holds no TLS key for the server. Check "wahlkoffer pki init", or start with --plain-http behind nginx only.',
    });
  }
  const applied = await step('database', context, () => migrateInThread(config.db));
  if (applied.length > 0) logger.info({ applied }, 'database migrated');
  const storage = await step('database', context, () => openStorage(config.db, logger));
  opened.push(() => storage.close());
  const { repository, shared } = storage;
  const state = await step('database', context, () => IntakeState.load(repository, index));
  const lock = new WriteLock(
    shared === undefined ? undefined : { lock: shared.lock, catchUp: () => state.catchUp() },
  );
  const catchUp = new CatchUp(lock, state, logger);
  await step('database', context, () =>
    lock.run(() =>
      checkInstallation(
        repository,
        { electionId: index.definition.id, sessionKeyMaterial: pki.sessionKeyMaterial },
        clock(),
      ),
    ),
  );
  const stations = new StationSync({ pki, repository, lock, logger });
  logger.info(await stations.importAll(clock()), 'station register imported');
  const refusals = new RefusalLog({
    write: (rows) => lock.run(() => repository.appendRefusals(rows)),
    storedAtStart: await repository.countRefusals(),
    limits: { ...DEFAULT_REFUSAL_LIMITS, maxRows: config.refusalLogMaxRows },
    logger,
  });
  opened.push(() => refusals.close());
  const liveFeed = await step('database', context, () =>
    LiveFeed.start({
      index,
      state,
      store: repository.liveFeed,
      clock,
      logger,
      options: DEFAULT_FEED_OPTIONS,
    }),
  );
  opened.push(() => liveFeed.stop());

  const published = publicationAudit({ lock, state, repository, clock, logger });
  const publication = await startPublication({
    config,
    state,
    logger,
    tuning: options.publication ?? {},
    onPublished: published.record,
  });
  // Other servers' commits reach the state (and publication, registered above) from here on.
  if (shared !== undefined) await step('database', context, () => shared.watch(catchUp.soon));
  const sessions = new SessionService({
    pki,
    repository,
    state,
    stations,
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
    signReceipts: pool?.signReceipts ?? pki.signReceipts,
    signCheckpoint: pki.signCheckpoint,
    clock,
    logger,
    maxBatch: config.maxBatch,
    maxQueue: config.maxQueue,
  });
  const intake = new IntakeService({ pki, writer, repository });
  const reloadPki = async () => {
    const now = clock();
    const crl = await pki.reloadCrl(now);
    const { changed } = await stations.sync(now);
    return { crl, stationsChanged: changed };
  };
  const officeActions = createOfficeActions({
    index,
    state,
    lock,
    repository,
    submit: (item) => writer.submit(item),
    pkiDir: config.pkiDir,
    reloadPki,
    clock,
  });
  const liveView = createLiveView({
    feed: liveFeed,
    index,
    clock,
    timeZone: config.timeZone,
    limits: { ...DEFAULT_STREAM_LIMITS, ...options.liveStreams },
  });
  opened.push(() => liveView.close());
  const office = createOffice(
    {
      store: repository.officeUsers,
      state,
      lock,
      clock,
      logger,
      // served over HTTPS by this server itself, or by nginx in front (--office-https)
      https: config.officeHttps || !config.plainHttp,
      issuer: `Wahlkoffer ${index.definition.name}`,
      timeZone: config.timeZone,
    },
    [
      // the dashboard's modules, one line each (the users page comes first, in createOffice)
      liveView.mount,
      mountActions({ actions: officeActions, index, timeZone: config.timeZone, clock }),
    ],
  );
  const trimmer = new MemoryTrimmer({
    binding: config.mallocTrim
      ? await (options.memoryTrim?.load ?? (() => loadMallocTrim()))()
      : undefined,
    policy: { ...DEFAULT_TRIM_POLICY, ...options.memoryTrim?.policy },
    logger,
  });
  opened.push(() => trimmer.stop());
  let openApi: Record<string, unknown> | undefined;
  const app = createApp({
    logger,
    clock,
    sessions,
    intake,
    state,
    repository,
    electionId: index.definition.id,
    bodyLimitBytes: config.bodyLimitBytes,
    openApi: () => (openApi ??= buildOpenApiDocument(SERVER_VERSION)),
    queued: () => writer.queued,
    refusals,
    crlStatus: () => pki.crlStatus(),
    ...(pool === undefined ? {} : { preload: () => pool.preload() }),
    log: new LogReader(repository),
    office: office.router,
    memoryTrim: () => trimmer.status(),
    heapGrowth: appliedHeapGrowth,
  });
  // the kits' reports and the public results are answered first, without Express
  const report = reportRoute({ logger, clock, sessions, intake, refusals, ...config });
  const server = await step('pki', context, () =>
    createListener(config.plainHttp ? undefined : pki.tls, config, (req, res) => {
      if (report(req, res)) return;
      const { thread } = publication;
      // only a request for the publication reads its table (which is made then: served.ts)
      const published =
        req.url?.startsWith(PUBLIC_PREFIX) === true &&
        servePublication(req, res, thread.files, thread.headers, PUBLIC_PREFIX, thread.reads);
      if (!published) app(req, res);
    }),
  );
  await step('listen', context, () => listen(server, config.host, config.port));
  const port = (server.address() as AddressInfo).port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const url = `${config.plainHttp ? 'http' : 'https'}://${host}:${port}`;
  logger.info({ url, reports: state.ledger.currentCount }, 'server ready');
  let closing: Promise<void> | undefined;
  const warning = windowWarning(index.definition.date, clock());
  if (warning !== undefined) logger.warn({ electionDate: index.definition.date }, warning.en);
  const urlWarnings = kitUrlWarnings(pki.kitUrl, {
    plainHttp: config.plainHttp,
    port: config.port,
  });
  for (const w of urlWarnings) logger.warn({ kitUrl: pki.kitUrl, url }, w.en);
  return {
    url,
    port,
    kitUrl: pki.kitUrl,
    warnings: [...(warning === undefined ? [] : [warning]), ...urlWarnings],
    reloadPki,
    officeActions,
    officeUsers: office.users,
    officeUrl: `${url}/office/`,
    officeRoutes: office.routes,
    liveFeed,
    resultsUrl: `${url}${PUBLIC_PREFIX}/`,
    publishDir: publication.publishDir,
    publicUrl: publication.thread.publicUrl,
    publicationFlush: () => publication.thread.flush(),
    close: () =>
      (closing ??= (async () => {
        liveView.close(); // open event streams would keep server.close() waiting
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeIdleConnections();
        });
        await writer.flush();
        liveFeed.stop();
        await refusals.close();
        await publication.thread.close();
        await published.settled(); // the last snapshot's audit event, before the database closes
        await pool?.close();
        await catchUp.stop();
        await storage.close();
        await trimmer.stop();
        dbLock?.release();
        stopLoggingThreads();
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
