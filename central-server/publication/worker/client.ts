import { Worker } from 'node:worker_threads';
import type { Logger } from '../../logger.ts';
import { THREAD_RESOURCE_LIMITS, threadEntries } from '../../threads/entries.ts';
import { DirectoryReads, publicationHeaders } from '../serve.ts';
import { PendingDeltas, applyDelta, deltaFromWire, type ServedTable } from '../served.ts';
import type { SnapshotFile } from '../snapshot.ts';
import type { CountedReport } from '../state.ts';
import {
  FromWorkerSchema,
  type CountedWire,
  type FromWorker,
  type WorkerSetup,
} from './messages.ts';

const CHUNK = 2000;
const wired = (r: CountedReport): CountedWire => ({ ...r, acceptedAt: r.acceptedAt.getTime() });

export type PublicationThreadOptions = {
  readonly setup: WorkerSetup;
  /**
   * every current report (at start, and again when the thread has to be restarted); read as it
   * is sent, a chunk at a time, so the ledger's reports are not all built at once
   */
  readonly stored: () => Iterable<CountedReport>;
  readonly logger: Logger;
  /** how long `start` waits for the first snapshot; a big election's goes on in the background */
  readonly startupWaitMs?: number;
  /** after each snapshot is out (the audit log records it) */
  readonly onPublished?: (snapshot: PublishedSnapshot) => void;
};

/** What the main thread learns of each snapshot that is out. */
export type PublishedSnapshot = {
  readonly version: number;
  readonly lastSequence: number;
  readonly generatedAt: Date;
  readonly manifestSha256: string;
};

/**
 * The main thread's side of publication: sends the reports after each COMMIT to the publication
 * thread and keeps the files of the newest snapshot for the server's own `/ergebnisse/` (the hot
 * ones in memory, the rest read from the snapshot directory). If the thread dies, it is started
 * again with every current report; intake never waits for publication.
 */
export class PublicationThread {
  readonly headers = publicationHeaders(1);
  /** which snapshot directories this thread's requests may still read, told to the thread */
  readonly reads = new DirectoryReads((dir) => this.worker?.postMessage({ t: 'reading', dir }));
  private worker: Worker | undefined;
  private served: ServedTable | undefined;
  /** the snapshots out since `served` was made: taken in when a request reads the table */
  private readonly pending = new PendingDeltas();
  private closing = false;
  private nextId = 1;
  private readonly waiting = new Map<number, () => void>();
  private firstOut: (() => void) | undefined;
  private url: string | null = null;
  /** other parts' files, sent again to a restarted thread */
  private readonly extras = new Map<string, { path: string; bytes: Uint8Array }[]>();

  private constructor(private readonly options: PublicationThreadOptions) {}

  static async start(options: PublicationThreadOptions): Promise<PublicationThread> {
    const thread = new PublicationThread(options);
    const { first } = await thread.spawn();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      first,
      new Promise<void>((resolve) => (timer = setTimeout(resolve, options.startupWaitMs ?? 5000))),
    ]);
    clearTimeout(timer);
    return thread;
  }

  /** The publication thread's own listener (e.g. http://127.0.0.1:8081/), if it has one. */
  get publicUrl(): string | null {
    return this.url;
  }

  /** The files of the newest snapshot (made from the snapshots out since it was last read). */
  get files(): ServedTable | undefined {
    const delta = this.pending.take();
    if (delta !== undefined)
      this.served = applyDelta(this.served, deltaFromWire(delta, this.headers));
    return this.served;
  }

  record(reports: Iterable<CountedReport>): void {
    let chunk: CountedWire[] = [];
    for (const report of reports) {
      chunk.push(wired(report));
      if (chunk.length === CHUNK) {
        this.worker?.postMessage({ t: 'reports', reports: chunk });
        chunk = [];
      }
    }
    if (chunk.length > 0) this.worker?.postMessage({ t: 'reports', reports: chunk });
  }

  /** Another part's files in every snapshot (paths in a folder, docs/publication.md "Hooks"). */
  contribute(name: string, files: readonly SnapshotFile[]): void {
    const wire = files.map((f) => ({ path: f.path, bytes: new Uint8Array(f.bytes) }));
    this.extras.set(name, wire);
    this.worker?.postMessage({ t: 'extras', name, files: wire });
  }

  /** Resolves once a snapshot shows everything sent so far. */
  flush(): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.worker?.postMessage({ t: 'flush', id });
    });
  }

  /** Publishes what is pending, then stops the thread (bounded: 35 s). */
  async close(): Promise<void> {
    this.closing = true;
    const worker = this.worker;
    if (worker === undefined) return;
    let timer: NodeJS.Timeout | undefined;
    const closed = new Promise<void>((resolve) => {
      worker.on('message', (m: FromWorker) => m.t === 'closed' && resolve());
      worker.once('exit', () => resolve());
    });
    worker.postMessage({ t: 'close' });
    await Promise.race([closed, new Promise<void>((r) => (timer = setTimeout(r, 35_000)))]);
    clearTimeout(timer);
    await worker.terminate();
    for (const resolve of this.waiting.values()) resolve();
  }

  /**
   * Starts the thread; resolves when it is ready, with a promise of its first snapshot (wrapped:
   * resolving with the promise itself would wait for the snapshot, as `start` did before).
   */
  private async spawn(): Promise<{ readonly first: Promise<void> }> {
    const entries = await threadEntries(this.options.logger);
    const worker = new Worker(entries.publication, {
      workerData: { ...this.options.setup, serveEntry: entries.serve.href },
      resourceLimits: THREAD_RESOURCE_LIMITS.publication,
    });
    this.worker = worker;
    const first = new Promise<void>((resolve) => (this.firstOut = resolve));
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (raw: unknown) => {
        const m = FromWorkerSchema.safeParse(raw);
        if (!m.success) return this.options.logger.error('publication thread: malformed message');
        if (m.data.t === 'ready') {
          worker.off('error', reject);
          worker.on('error', (error) =>
            this.options.logger.error({ err: error }, 'publication thread'),
          );
          worker.once('exit', (code) => this.died(code));
          this.url = m.data.publicUrl;
          // a restarted thread starts from its own snapshot on disk (its deltas follow that)
          const previous = m.data.previous;
          this.pending.take(); // the stopped thread's deltas: the snapshot on disk supersedes them
          this.served =
            previous === null
              ? undefined
              : applyDelta(undefined, deltaFromWire(previous, this.headers));
          if (this.served !== undefined) this.reads.switched(this.served.dir);
          this.record(this.options.stored());
          for (const [name, files] of this.extras) worker.postMessage({ t: 'extras', name, files });
          worker.postMessage({ t: 'begin' });
          resolve({ first });
        } else this.handle(m.data);
      });
    });
  }

  private handle(m: FromWorker): void {
    switch (m.t) {
      case 'published':
        // requests read the new snapshot from now on (the table is made when one does), so only
        // its directory is read any more
        this.pending.add(m.served);
        this.reads.switched(m.served.dir);
        this.options.onPublished?.({
          version: m.version,
          lastSequence: m.lastSequence,
          generatedAt: new Date(m.generatedAt),
          manifestSha256: m.manifestSha256,
        });
        return;
      case 'first':
        this.firstOut?.();
        return;
      case 'flushed':
        this.waiting.get(m.id)?.();
        this.waiting.delete(m.id);
        return;
      case 'ready':
      case 'closed':
        return;
    }
  }

  private died(code: number): void {
    if (this.closing) return;
    this.options.logger.error({ code }, 'the publication thread stopped; starting it again');
    this.worker = undefined;
    setTimeout(() => {
      if (!this.closing) {
        this.spawn().catch((e: unknown) =>
          this.options.logger.fatal({ err: e }, 'the publication thread does not start'),
        );
      }
    }, 1000);
  }
}
