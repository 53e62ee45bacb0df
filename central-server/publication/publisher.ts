import type { ElectionIndex } from '../../election/index.ts';
import type { Logger } from '../logger.ts';
import { SnapshotBuilder, type BuiltFile, type BuiltSnapshot } from './builder.ts';
import { createModelContext } from './compute.ts';
import { publicationHeaders, type ServedFile } from './serve.ts';
import { servedFromBuild, servedFromDisk } from './served.ts';
import { SnapshotDirectory } from './snapshot-dir.ts';
import { SIGNATURE_FILE, file, renderManifest, sha256Hex, type SnapshotFile } from './snapshot.ts';
import { PublicationState, type CountedReport } from './state.ts';

/** Another part's files for every snapshot (e.g. transparency's signed checkpoint). */
export type Contributor = (snapshot: {
  readonly lastSequence: number;
  readonly generatedAt: Date;
}) => readonly SnapshotFile[] | Promise<readonly SnapshotFile[]>;

export type PublisherOptions = {
  readonly index: ElectionIndex;
  /** the link nginx serves; snapshots live in `<publishDir>.snapshots/` */
  readonly publishDir: string;
  /** design/tokens.css + base.css + results.css */
  readonly css: string;
  readonly timeZone: string;
  /** detached CMS SignedData over manifest.json by the publication key */
  readonly sign: (content: Buffer, signingTime: Date) => Buffer;
  readonly clock: () => Date;
  readonly logger: Logger;
  /** wait this long after a change so a burst of reports makes one snapshot */
  readonly coalesceMs?: number;
  /** rendering time per snapshot before pages and contest files move to the next one */
  readonly budgetMs?: number;
  /** Cache-Control max-age of the served files */
  readonly maxAgeSeconds?: number;
  /** bytes of the current snapshot kept in memory for serving (the rest is read from disk) */
  readonly memoryBytes?: number;
  /**
   * how long `start` waits for the first snapshot (default 5 s); a bigger election's first
   * build goes on in the background while the previous run's snapshot is served from disk
   */
  readonly startupWaitMs?: number;
};

/**
 * Publication as a service: counts reports (PublicationState), and after each change (coalesced,
 * one build at a time, never per request) builds a snapshot, signs its manifest, writes it to
 * the publish directory and switches the served files to it. Errors are logged and the next
 * change tries again; the previous snapshot stays published meanwhile.
 */
export class Publisher {
  readonly state: PublicationState;
  readonly headers: Readonly<Record<string, string>>;
  private readonly builder: SnapshotBuilder;
  private readonly contributors = new Map<string, Contributor>();
  private served: ReadonlyMap<string, ServedFile> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private publishedVersion = -1;
  private waiters: { version: number; resolve: () => void }[] = [];

  private constructor(
    private readonly options: PublisherOptions,
    private readonly dir: SnapshotDirectory,
  ) {
    this.state = new PublicationState(options.index);
    this.builder = new SnapshotBuilder(createModelContext(options.index), this.state, options);
    this.headers = publicationHeaders(options.maxAgeSeconds ?? 1);
  }

  /**
   * Counts the stored reports, serves the snapshot the previous run left (if any), and builds
   * the first snapshot of this run (complete, without a time budget): resolves when it is out,
   * or after `startupWaitMs` with the build going on in the background.
   */
  static async start(
    options: PublisherOptions,
    stored: Iterable<CountedReport>,
  ): Promise<Publisher> {
    const dir = await SnapshotDirectory.open(options.publishDir);
    const publisher = new Publisher(options, dir);
    for (const report of stored) publisher.state.record(report);
    if (dir.currentDir !== undefined) {
      publisher.served = await servedFromDisk(dir.currentDir, publisher.headers);
    }
    const first = publisher.publish(Number.POSITIVE_INFINITY);
    publisher.running = first
      .catch((error: unknown) => {
        options.logger.error({ err: error }, 'publishing the first snapshot failed');
        publisher.again = true;
      })
      .finally(() => {
        publisher.running = undefined;
        if (publisher.again || publisher.state.version > publisher.publishedVersion) {
          publisher.again = false;
          publisher.schedule();
        }
      });
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      publisher.running,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, options.startupWaitMs ?? 5000))),
    ]);
    clearTimeout(timer);
    return publisher;
  }

  /** The files of the current snapshot, for the server's fast path. */
  get files(): ReadonlyMap<string, ServedFile> | undefined {
    return this.served;
  }

  /** Reports that became current (after their COMMIT); publication follows within ~1 s. */
  record(reports: readonly CountedReport[]): void {
    let changed = false;
    for (const r of reports) changed = this.state.record(r) || changed;
    if (changed) this.schedule();
  }

  /** Adds (or replaces) another part's files in every snapshot from the next one on. */
  contribute(name: string, contributor: Contributor): void {
    this.contributors.set(name, contributor);
    this.again = true;
    this.schedule();
  }

  /** Resolves once a snapshot shows everything recorded so far. */
  flush(): Promise<void> {
    const version = this.state.version;
    if (this.publishedVersion >= version && this.running === undefined) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiters.push({ version, resolve });
      this.schedule();
    });
  }

  /** Publishes what is still pending (so the last snapshot shows every report), then stops. */
  async close(): Promise<void> {
    if (this.closed) return;
    // bounded: a publish dir that fails to take the snapshot must not stop the server stopping
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.flush(),
      new Promise<void>((resolve) => (timer = setTimeout(resolve, 30_000))),
    ]);
    clearTimeout(timer);
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  private schedule(): void {
    if (this.closed || this.timer !== undefined) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.running = this.publish(this.options.budgetMs ?? 300)
        .catch((error: unknown) => {
          this.options.logger.error({ err: error }, 'publishing a snapshot failed');
          this.again = true;
        })
        .finally(() => {
          this.running = undefined;
          const behind = this.state.version > this.publishedVersion;
          if (this.again || behind) {
            this.again = false;
            this.schedule();
          }
        });
    }, this.options.coalesceMs ?? 150);
  }

  private async publish(budgetMs: number): Promise<void> {
    const generatedAt = this.options.clock();
    const extras: SnapshotFile[] = [];
    for (const contribute of this.contributors.values()) {
      extras.push(...(await contribute({ lastSequence: this.state.lastSequence, generatedAt })));
    }
    const built = await this.builder.build({
      generatedAt,
      now: () => performance.now(),
      budgetMs,
      pause: () => new Promise((resolve) => setImmediate(resolve)),
      extras,
    });
    const manifest = renderManifest(built.header, built.files);
    const signature = file(SIGNATURE_FILE, this.options.sign(manifest.bytes, generatedAt));
    const all: BuiltFile[] = [...built.files, asBuilt(manifest), asBuilt(signature)];
    const dir = await this.dir.publish(all, Date.now());
    this.served = servedFromBuild(all, dir, {
      previous: this.served,
      common: this.headers,
      memoryBytes: this.options.memoryBytes ?? 64 * 1024 * 1024,
    });
    this.finished(built);
  }

  private finished(built: BuiltSnapshot): void {
    this.publishedVersion = built.deferred > 0 ? this.publishedVersion : built.version;
    if (built.deferred > 0) this.again = true;
    this.options.logger.debug(
      { version: built.version, deferred: built.deferred, lastSequence: built.header.lastSequence },
      'snapshot published',
    );
    const ready = this.waiters.filter((w) => w.version <= this.publishedVersion);
    this.waiters = this.waiters.filter((w) => w.version > this.publishedVersion);
    for (const w of ready) w.resolve();
  }
}

function asBuilt(f: SnapshotFile): BuiltFile {
  return {
    path: f.path,
    size: f.bytes.length,
    sha256: sha256Hex(f.bytes),
    contentType: f.contentType,
    bytes: f.bytes,
  };
}
