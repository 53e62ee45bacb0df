import type { ElectionIndex } from '../../election/index.ts';
import type { Logger } from '../logger.ts';
import { SnapshotBuilder, type BuiltFile, type BuiltSnapshot } from './builder.ts';
import { createModelContext } from './compute.ts';
import { publicationHeaders, type ServedFile } from './serve.ts';
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
};

const HOT = [
  'results.json',
  'index.html',
  'index.en.html',
  'style.css',
  'manifest.json',
  SIGNATURE_FILE,
];

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

  /** Counts the stored reports and publishes the first snapshot before resolving. */
  static async start(
    options: PublisherOptions,
    stored: Iterable<CountedReport>,
  ): Promise<Publisher> {
    const publisher = new Publisher(options, await SnapshotDirectory.open(options.publishDir));
    for (const report of stored) publisher.state.record(report);
    await publisher.publish(Number.POSITIVE_INFINITY);
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
    this.served = this.servedFiles(all, dir);
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

  /** Keeps the hot files (and then the smaller ones) in memory up to the memory budget. */
  private servedFiles(files: readonly BuiltFile[], dir: string): Map<string, ServedFile> {
    let budget = this.options.memoryBytes ?? 64 * 1024 * 1024;
    const rank = (f: BuiltFile) => (HOT.includes(f.path) ? -1 : f.size);
    const out = new Map<string, ServedFile>();
    for (const f of [...files].sort((a, b) => rank(a) - rank(b))) {
      const known = this.served?.get(f.path);
      const etag = `"${f.sha256.slice(0, 32)}"`;
      let bytes = f.bytes ?? (known?.etag === etag ? known.bytes : undefined);
      if (bytes !== undefined && bytes.length <= budget) budget -= bytes.length;
      else bytes = undefined;
      out.set(f.path, {
        etag,
        contentType: f.contentType,
        size: f.size,
        bytes,
        diskPath: `${dir}/${f.path}`,
      });
    }
    return out;
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
