import type { Logger } from '../logger.ts';
import type { ServerPki } from '../ports.ts';
import type { ServerRepository } from '../storage/repository.ts';
import type { WriteLock } from '../write-lock.ts';

/**
 * Keeps the database's station register equal to the PKI directory's while the server runs:
 * `sync` imports what `pki.reloadStations` reports as new or changed (a kit issued or re-issued
 * during the night; its lock-out starts afresh, because it belongs to the certificate). Called at
 * start, on demand by `RunningServer.reloadPki()` (the office's "revoke and replace a kit"), and
 * by every session request (an unchanged register costs one stat; concurrent callers share one
 * sync).
 */
export class StationSync {
  private running: Promise<{ changed: number }> | undefined;

  constructor(
    private readonly deps: {
      readonly pki: Pick<ServerPki, 'reloadStations'>;
      readonly repository: ServerRepository;
      readonly lock: WriteLock;
      readonly logger: Logger;
    },
  ) {}

  /**
   * Imports the whole register (at start: the PKI's first `reloadStations` returns every
   * station; the database keeps what it has for an unchanged one).
   */
  async importAll(now: Date): Promise<{ added: number; changed: number }> {
    const stations = await this.deps.pki.reloadStations();
    return this.deps.lock.run(() => this.deps.repository.importStations(stations, now));
  }

  /** Re-reads the register and imports what changed. */
  sync(now: Date): Promise<{ changed: number }> {
    this.running ??= this.run(now).finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(now: Date): Promise<{ changed: number }> {
    const changed = await this.deps.pki.reloadStations();
    if (changed.length === 0) return { changed: 0 };
    const imported = await this.deps.lock.run(() =>
      this.deps.repository.importStations(changed, now),
    );
    this.deps.logger.info(imported, 'station register changed; imported');
    return { changed: changed.length };
  }
}
