import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ServerConfig } from './config.ts';
import type { IntakeState } from './intake/intake-state.ts';
import type { LedgerReport } from './intake/ledger.ts';
import type { Logger } from './logger.ts';
import type { CountedReport } from './publication/index.ts';
import { PublicationThread, type PublishedSnapshot } from './publication/worker/client.ts';
import type { WorkerSetup } from './publication/worker/messages.ts';
import type { ServerRepository } from './storage/repository.ts';
import { databaseTarget } from './storage/database.ts';
import type { WriteLock } from './write-lock.ts';

/** design/ of this checkout: the one visual language (tokens, base, the results pages). */
const DESIGN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../design');

/** Publication timing for tests and benchmarks. */
export type PublicationTuning = Partial<
  Pick<WorkerSetup, 'coalesceMs' | 'periodMs' | 'budgetMs' | 'memoryBytes' | 'graceMs'> & { startupWaitMs: number }
>;

/** A report counts with its source: the kit, or phoned in (decisions/0089). */
export function countedFrom(entry: LedgerReport): CountedReport {
  return {
    schnellmeldung: entry.schnellmeldung,
    sequence: entry.sequence,
    acceptedAt: entry.acceptedAt,
    source: entry.source,
  };
}

function* countedReports(entries: Iterable<LedgerReport>): Generator<CountedReport> {
  for (const entry of entries) yield countedFrom(entry);
}

/** Where the log's latest signed checkpoint lies in every snapshot (decisions/0094). */
export const CHECKPOINT_FILE = 'transparency/checkpoint.txt';

/**
 * Puts the log's latest signed checkpoint into the publication (listed and signed in its
 * manifest like every file), whenever it moved: the public sees the same tree head the kits'
 * receipts lead to. Returns the function to call after each commit.
 */
function publishCheckpoint(
  thread: Pick<PublicationThread, 'contribute'>,
  current: () => { readonly size: number; readonly note: string } | null,
): () => void {
  let published = -1;
  return () => {
    const checkpoint = current();
    if (checkpoint === null || checkpoint.size === published) return;
    published = checkpoint.size;
    thread.contribute('transparency', [
      {
        path: CHECKPOINT_FILE,
        bytes: Buffer.from(checkpoint.note, 'utf8'),
        contentType: 'text/plain; charset=utf-8',
      },
    ]);
  };
}

/**
 * Every snapshot that is out becomes a `RESULTS_PUBLISHED` event in the hash-chained audit log:
 * its version, the last report sequence it counts, when it was built and the SHA-256 of its
 * manifest.json (which names every file of it by hash, the log's checkpoint among them). An
 * auditor finds the published results of the export among these events (`audit verify`), and
 * the chain shows every publication of the night in order. The events are written one after the
 * other under the server's write lock; intake never waits for them, and a failed write is
 * logged (the snapshot is out either way). `settled()` resolves when every event so far is
 * written: the server awaits it after the publication's last snapshot and before closing the
 * database.
 */
export function publicationAudit(deps: {
  readonly lock: WriteLock;
  readonly state: Pick<IntakeState, 'audit'>;
  readonly repository: Pick<ServerRepository, 'appendAudit'>;
  readonly clock: () => Date;
  readonly logger: Logger;
}): { record(snapshot: PublishedSnapshot): void; settled(): Promise<void> } {
  let pending = Promise.resolve();
  const write = (s: PublishedSnapshot) =>
    deps.lock.run(async () => {
      const row = deps.state.audit.draft({
        kind: 'RESULTS_PUBLISHED',
        at: deps.clock(),
        data: {
          version: s.version,
          lastSequence: s.lastSequence,
          generatedAt: s.generatedAt.toISOString(),
          manifestSha256: s.manifestSha256,
        },
      });
      await deps.repository.appendAudit(row);
      deps.state.audit.advance(row);
    });
  return {
    record: (snapshot) => {
      pending = pending
        .then(() => write(snapshot))
        .catch((error: unknown) =>
          deps.logger.error(
            { err: error, version: snapshot.version },
            'the publication could not be written to the audit log',
          ),
        );
    },
    settled: () => pending,
  };
}

/**
 * `--publish-dir`, or `publication` beside the SQLite file; on PostgreSQL (no file) `publication`
 * in the working directory — several servers on one machine each need their own `--publish-dir`.
 */
export function publishDirOf(config: ServerConfig): string {
  if (config.publishDir !== undefined) return resolve(config.publishDir);
  const target = databaseTarget(config.db);
  if (target.provider === 'postgresql') return resolve('publication');
  return join(dirname(target.file), 'publication');
}

/**
 * Starts publication for the server in its own thread: the stored current reports first, then
 * every batch after its COMMIT. Resolves when the first snapshot is out (or after the startup
 * wait, with the build going on and the previous run's snapshot served meanwhile).
 */
export async function startPublication(deps: {
  readonly config: ServerConfig;
  readonly state: IntakeState;
  readonly logger: Logger;
  readonly tuning: PublicationTuning;
  /** after each snapshot is out */
  readonly onPublished?: (snapshot: PublishedSnapshot) => void;
}): Promise<{ thread: PublicationThread; publishDir: string }> {
  const { config, state, logger, tuning } = deps;
  const css = (
    await Promise.all(
      ['tokens.css', 'base.css', 'results.css'].map((f) => readFile(join(DESIGN_DIR, f), 'utf8')),
    )
  ).join('\n');
  const publishDir = publishDirOf(config);
  const { startupWaitMs, ...timing } = tuning;
  const thread = await PublicationThread.start({
    setup: {
      electionFile: resolve(config.electionFile),
      pkiDir: resolve(config.pkiDir),
      publishDir,
      css,
      timeZone: config.timeZone,
      logLevel: config.logLevel,
      listen:
        config.publicPort === undefined
          ? null
          : { host: config.publicHost, port: config.publicPort },
      ...timing,
    },
    stored: () => countedReports(state.ledger.currentEntries()),
    logger,
    ...(startupWaitMs === undefined ? {} : { startupWaitMs }),
    ...(deps.onPublished === undefined ? {} : { onPublished: deps.onPublished }),
  });
  const checkpoint = publishCheckpoint(thread, () => state.log.checkpoint);
  checkpoint();
  state.onCommitted((accepted) => {
    try {
      thread.record(accepted.map(countedFrom));
      checkpoint();
    } catch (error) {
      // the reports are committed and receipted; the thread is restarted with all of them
      logger.error({ err: error }, 'publication could not take a batch');
    }
  });
  logger.info({ publishDir, publicUrl: thread.publicUrl }, 'publication started');
  return { thread, publishDir };
}
