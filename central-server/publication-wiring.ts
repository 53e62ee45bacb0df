import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ElectionIndex } from '../election/index.ts';
import type { ServerConfig } from './config.ts';
import type { IntakeState } from './intake/intake-state.ts';
import type { LedgerEntry } from './intake/ledger.ts';
import type { Logger } from './logger.ts';
import type { ServerPki } from './ports.ts';
import { Publisher, type CountedReport, type PublisherOptions } from './publication/index.ts';

export type PublicationTuning = Partial<
  Pick<PublisherOptions, 'startupWaitMs' | 'coalesceMs' | 'budgetMs' | 'memoryBytes'>
>;
import { sqliteUrl } from './storage/database.ts';

/** design/ of this checkout: the one visual language (tokens, base, the results pages). */
const DESIGN_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../design');

/** Reports from the kits count as source "kit"; phoned-in results come with their own source. */
export function countedFrom(entry: LedgerEntry): CountedReport {
  return {
    schnellmeldung: entry.schnellmeldung,
    sequence: entry.sequence,
    acceptedAt: entry.acceptedAt,
    source: 'kit',
  };
}

/** `--publish-dir`, or `publication` beside the SQLite file. */
export function publishDirOf(config: ServerConfig): string {
  if (config.publishDir !== undefined) return resolve(config.publishDir);
  return join(dirname(resolve(sqliteUrl(config.db).slice('file:'.length))), 'publication');
}

/**
 * Starts publication for the server: counts the stored current reports, publishes the first
 * snapshot, and from then on every batch of reports after its COMMIT.
 */
export async function startPublication(deps: {
  readonly config: ServerConfig;
  readonly index: ElectionIndex;
  readonly state: IntakeState;
  readonly pki: ServerPki;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly tuning: PublicationTuning;
}): Promise<{ publisher: Publisher; publishDir: string }> {
  const { config, state, logger } = deps;
  const css = (
    await Promise.all(
      ['tokens.css', 'base.css', 'results.css'].map((f) => readFile(join(DESIGN_DIR, f), 'utf8')),
    )
  ).join('\n');
  const publishDir = publishDirOf(config);
  const publisher = await Publisher.start(
    {
      index: deps.index,
      publishDir,
      css,
      timeZone: config.timeZone,
      sign: deps.pki.signPublication,
      clock: deps.clock,
      logger,
      ...deps.tuning,
    },
    [...state.ledger.currentEntries()].map(countedFrom),
  );
  state.onCommitted((accepted) => {
    try {
      publisher.record(accepted.map(countedFrom));
    } catch (error) {
      // the reports are committed and receipted; publication catches up with the next change
      logger.error({ err: error }, 'publication could not count a batch');
    }
  });
  logger.info({ publishDir }, 'publication started');
  return { publisher, publishDir };
}
