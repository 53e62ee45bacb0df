import type { ElectionIndex } from '../../election/index.ts';
import type { Logger } from '../logger.ts';
import { SnapshotBuilder, type BuiltFile, type BuiltSnapshot } from './builder.ts';
import { createModelContext } from './compute.ts';
import { publicationHeaders } from './serve.ts';
import { ServedTables, servedFromDisk, type ServedDelta, type ServedTable } from './served.ts';
import { SnapshotDirectory } from './snapshot-dir.ts';
import { PublicationError } from './errors.ts';
import {
  EXTRA_PATH,
  ManifestRenderer,
  SIGNATURE_FILE,
  file,
  sha256Hex,
  type SnapshotFile,
} from './snapshot.ts';
import { StagingArea } from './staging.ts';
import { PublicationState, type CountedReport } from './state.ts';

/**
 * The snapshot's bytes kept in memory by default: the hot files (results.json, the start pages,
 * the manifest) and the smallest others up to 8 MB; every other file is read from the snapshot
 * directory, where the page cache keeps it (and nginx serves it anyway). Was 64 MB, which at
 * national size was that much more resident memory in the publication thread (decision 0067).
 */
export const DEFAULT_MEMORY_BYTES = 8 * 1024 * 1024;

/**
 * The shortest time between the starts of two builds. Every build makes a whole snapshot
 * directory (at national size ~1,800 links and ~2,600 unlinks, what changed in the last two
 * builds: decisions/0080, follow-up s7), so while reports keep coming the number of builds sets
 * much of the publication thread's CPU.
 * A change after a quiet period waits only `coalesceMs`; a report is visible after at most about
 * one period plus one build (decisions/0080, follow-up "build cadence").
 */
export const DEFAULT_PERIOD_MS = 400;

/**
 * How long a build renders pages and contest files before the rest waits for the next build
 * (wall time). results.json, the root pages and the other parts' files are in every build
 * whatever it costs. Was 300 ms: at national rate every build spent it re-rendering the upper
 * pages (decisions/0080, follow-up s9).
 */
export const DEFAULT_BUDGET_MS = 100;

/**
 * The budget of a build that only catches up (no report was counted since the last build
 * started, e.g. after the night's last report), for as long as no report arrives while it
 * renders; one that does ends it at `budgetMs`. After the last report of a national night, ~100
 * ms of rendering per ~1 s took the server 23–32 s more, each build making results.json, the
 * manifest and a snapshot directory anew (decision 0067, follow-up s11).
 */
export const CATCH_UP_BUDGET_MS = 1_000;

/**
 * What the new files of a build (other than a complete one) may hold in memory before the rest
 * waits for the next build: with `CATCH_UP_BUDGET_MS` a build renders ten times as many pages,
 * and all their bytes are held until the snapshot is written. results.json (~3.7 MB at national
 * size) counts; it and the root pages are made whatever the count. A national build under load
 * held ~5–10 MB of pages besides.
 */
export const MAX_HELD_BYTES = 16 * 1024 * 1024;

/**
 * A build is followed by the next no sooner than `BUSY_SPACING` times its own duration after it
 * started — the thread builds at most a third of the time — but the duration counts only up to
 * `MAX_SPACING_MS`, so a report waits about a second at most for the build that shows it (and a
 * long first build holds nothing up). With short builds (a city, or a quiet night) the period
 * and the coalescing decide as before.
 */
export const BUSY_SPACING = 3;
export const MAX_SPACING_MS = 1_000;

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
  /** the shortest time between the starts of two builds (`DEFAULT_PERIOD_MS`) */
  readonly periodMs?: number;
  /** rendering time per snapshot before pages and contest files move to the next one */
  readonly budgetMs?: number;
  /** the same for a build that only catches up (`CATCH_UP_BUDGET_MS`) */
  readonly catchUpBudgetMs?: number;
  /** Cache-Control max-age of the served files */
  readonly maxAgeSeconds?: number;
  /** bytes of the current snapshot kept in memory for serving (the rest is read from disk) */
  readonly memoryBytes?: number;
  /** a contest file larger than this is written to its file a chunk at a time (staging.ts) */
  readonly chunkBytes?: number;
  /** called after each snapshot is out (the worker tells the main thread) */
  readonly onPublished?: (published: Published) => void;
  /**
   * the threads that serve files from the snapshot directories (each tells `reading` which it
   * may still read; snapshot-holds.ts), and the shortest time a superseded snapshot stays
   */
  readonly readers?: readonly string[];
  readonly graceMs?: number;
};

/** A snapshot that is out: its directory and every file as served. */
export type Published = {
  readonly dir: string;
  readonly version: number;
  readonly lastSequence: number;
  /** when the snapshot was built (its manifest's generatedAt) */
  readonly generatedAt: Date;
  /** SHA-256 (hex) of its manifest.json: the one value that names the whole snapshot */
  readonly manifestSha256: string;
  readonly table: ServedTable;
  /** what changed from the table before (what other threads are sent) */
  readonly delta: ServedDelta;
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
  private builder: SnapshotBuilder;
  /**
   * After a snapshot failed to go out, the builder's record of what is on disk is no longer
   * true (it records a file's new hash when it renders it): the next build starts from a new
   * builder and is complete, as the first one of a run is, so no manifest names bytes that an
   * unchanged-looking file on disk does not have.
   */
  private rebuild = false;
  private readonly extras = new Map<string, readonly SnapshotFile[]>();
  private held = true;
  private readonly served: ServedTables;
  private readonly manifest = new ManifestRenderer();
  private readonly staging: StagingArea;
  private timer: NodeJS.Timeout | undefined;
  /** moves `<P>.mirror` to the last snapshot when no build follows within its period */
  private mirrorTimer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private closed = false;
  private publishedVersion = -1;
  /** when the last build started and how long it took (wall clock) */
  private lastBuild = { startedAt: Number.NEGATIVE_INFINITY, ms: 0 };
  /** the state's version when the last build started */
  private lastBuildVersion = -1;
  private waiters: { version: number; resolve: () => void }[] = [];

  private constructor(
    private readonly options: PublisherOptions,
    private readonly dir: SnapshotDirectory,
    headers: Readonly<Record<string, string>>,
    previous: ServedTable | undefined,
  ) {
    this.state = new PublicationState(options.index);
    this.builder = this.newBuilder();
    this.staging = new StagingArea(dir.stagingDir, options.chunkBytes);
    this.headers = headers;
    const memoryBytes = options.memoryBytes ?? DEFAULT_MEMORY_BYTES;
    this.served = new ServedTables({ common: headers, memoryBytes }, previous);
  }

  private newBuilder(): SnapshotBuilder {
    return new SnapshotBuilder(createModelContext(this.options.index), this.state, this.options);
  }

  /** A failed snapshot: the next build starts from a new builder, complete (see `rebuild`). */
  private failed(error: unknown, what: string): void {
    this.options.logger.error({ err: error }, what);
    this.again = true;
    this.rebuild = true;
  }

  /**
   * Opens the publish directory and serves the snapshot the previous run left (if any). Reports
   * recorded before `release()` are only counted; `release()` starts the first build.
   */
  static async open(options: PublisherOptions): Promise<Publisher> {
    const dir = await SnapshotDirectory.open(options.publishDir, {
      readers: options.readers ?? [],
      ...(options.graceMs === undefined ? {} : { graceMs: options.graceMs }),
      onOverdue: (old) =>
        options.logger.warn(
          { dir: old },
          'publication: a server thread still read a superseded snapshot after 60 s; reused all the same',
        ),
    });
    const headers = publicationHeaders(options.maxAgeSeconds ?? 1);
    const previous =
      dir.currentDir === undefined ? undefined : await servedFromDisk(dir.currentDir, headers);
    return new Publisher(options, dir, headers, previous);
  }

  /** Builds the first snapshot of this run, complete (no time budget); resolves when it is out. */
  release(): Promise<void> {
    this.held = false;
    this.lastBuild = { ...this.lastBuild, startedAt: performance.now() };
    const first = this.publish(Number.POSITIVE_INFINITY);
    this.running = first
      .catch((error: unknown) => this.failed(error, 'publishing the first snapshot failed'))
      .finally(() => this.afterRun());
    return this.running;
  }

  /** The files of the current snapshot, for the server's fast path. */
  get files(): ServedTable | undefined {
    return this.served.current;
  }

  /** A server thread serving from the snapshot directories now reads only `dir` and later ones. */
  reading(reader: string, dir: string): void {
    this.dir.reading(reader, dir);
  }

  /** A server thread that reads no snapshot any more (it ended). */
  forget(reader: string): void {
    this.dir.forget(reader);
  }

  /** Reports that became current (after their COMMIT); publication follows within ~1 s. */
  record(reports: readonly CountedReport[]): void {
    let changed = false;
    for (const r of reports) changed = this.state.record(r) || changed;
    if (changed && !this.held) this.schedule();
  }

  /**
   * Sets (or replaces) another part's files, included in every snapshot from the next one on and
   * signed with the rest (paths in a folder, `EXTRA_PATH`); an empty list removes them.
   */
  contribute(name: string, files: readonly SnapshotFile[]): void {
    const bad = files.find((f) => !EXTRA_PATH.test(f.path));
    if (bad !== undefined) {
      throw new PublicationError('EXTRA_FILE_INVALID', `extra file ${JSON.stringify(bad.path)}`);
    }
    this.extras.set(name, files);
    if (this.held) return;
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
    clearTimeout(this.mirrorTimer);
    for (const w of this.waiters) w.resolve();
    this.waiters = [];
  }

  private schedule(): void {
    if (this.closed || this.held || this.timer !== undefined) return;
    if (this.running !== undefined) {
      this.again = true;
      return;
    }
    const budgetMs = this.options.budgetMs ?? DEFAULT_BUDGET_MS;
    const now = performance.now();
    // coalesced by the work done: the next build starts no sooner than three times the last
    // one's duration (counted up to MAX_SPACING_MS) after it started, so a burst makes fewer,
    // larger builds and the thread builds at most a third of the time (decisions/0066, 0080 s9);
    // and no sooner than a period after the last one started, so a steady stream of reports
    // makes a bounded number of snapshot directories per second (decisions/0080)
    const spacing = Math.max(
      this.options.periodMs ?? DEFAULT_PERIOD_MS,
      Math.min(BUSY_SPACING * this.lastBuild.ms, MAX_SPACING_MS),
    );
    const wait = spacing - (now - this.lastBuild.startedAt);
    const startAt = now + Math.max(this.options.coalesceMs ?? 150, wait);
    // a timer keeps the event loop's clock, whole milliseconds read when the loop last woke (a
    // build's synchronous part earlier): it can fire early, and then waits for the rest
    const start = (): void => {
      const early = startAt - performance.now();
      if (early > 0) {
        this.timer = setTimeout(start, early);
        return;
      }
      this.timer = undefined;
      const started = performance.now();
      this.running = this.publish(budgetMs)
        .catch((error: unknown) => this.failed(error, 'publishing a snapshot failed'))
        .finally(() => {
          this.lastBuild = { startedAt: started, ms: performance.now() - started };
          this.afterRun();
        });
    };
    this.timer = setTimeout(start, startAt - now);
  }

  /** After a build: another one if something changed meanwhile or pages were left over. */
  private afterRun(): void {
    this.running = undefined;
    if (this.again || this.state.version > this.publishedVersion) {
      this.again = false;
      this.schedule();
    }
  }

  private async publish(budgetMs: number): Promise<void> {
    const generatedAt = this.options.clock();
    let out: Awaited<ReturnType<Publisher['write']>>;
    try {
      out = await this.write(generatedAt, budgetMs);
    } finally {
      // the staged files the snapshot took are in it; any others (unchanged, or a failure) go
      this.staging.clear();
    }
    const { built, all, dir, manifestSha256 } = out;
    this.followMirror();
    const { table, delta } = this.served.next(all, dir);
    this.finished(built);
    this.options.onPublished?.({
      dir,
      version: built.version,
      lastSequence: built.header.lastSequence,
      generatedAt,
      manifestSha256,
      table,
      delta,
    });
  }

  /** Builds a snapshot, signs its manifest and writes its directory. */
  private async write(generatedAt: Date, budgetMs: number) {
    const extras = [...this.extras.values()].flat();
    const complete = this.rebuild;
    if (complete) {
      this.builder = this.newBuilder();
      this.rebuild = false;
    }
    const catchUp = this.state.version === this.lastBuildVersion;
    this.lastBuildVersion = this.state.version;
    const budget = complete ? Number.POSITIVE_INFINITY : budgetMs;
    const built = await this.builder.build({
      generatedAt,
      now: () => performance.now(),
      budgetMs: budget,
      // a complete build (the first of a run, or after a failure) renders everything
      ...(Number.isFinite(budget) ? { maxHeldBytes: MAX_HELD_BYTES } : {}),
      ...(catchUp ? { quietBudgetMs: this.options.catchUpBudgetMs ?? CATCH_UP_BUDGET_MS } : {}),
      pause: () => new Promise((resolve) => setImmediate(resolve)),
      extras,
      stage: this.staging,
    });
    const manifest = this.manifest.render(built.header, built.files);
    const signature = file(SIGNATURE_FILE, this.options.sign(manifest.bytes, generatedAt));
    const manifestFile = asBuilt(manifest);
    const all: BuiltFile[] = [...built.files, manifestFile, asBuilt(signature)];
    const dir = await this.dir.publish(all, Date.now());
    return { built, all, dir, manifestSha256: manifestFile.sha256 };
  }

  /** `<P>.mirror` follows the newest snapshot within its period even when no build comes. */
  private followMirror(): void {
    clearTimeout(this.mirrorTimer);
    const due = this.dir.mirrorDueIn(Date.now());
    if (due === undefined || this.closed) return;
    this.mirrorTimer = setTimeout(() => {
      try {
        this.dir.catchUpMirror(Date.now());
      } catch (error) {
        this.options.logger.error({ err: error }, 'publication: moving the mirror link failed');
        return;
      }
      this.followMirror(); // a timer can fire a millisecond early: then it waits the rest
    }, due + 1).unref();
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
