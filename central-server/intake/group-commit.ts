import type { Logger } from '../logger.ts';

export type GroupCommitOptions<I, O, P> = {
  /** at most this many items per batch */
  readonly maxBatch: number;
  /** refuse new items (with `busy`) when this many wait */
  readonly maxQueue: number;
  /**
   * Decides one batch and assembles what its commit writes. Batches are prepared one at a time,
   * in order, each against the state the previous one left — the next while the previous commits.
   */
  readonly prepare: (items: readonly I[]) => Promise<P>;
  /**
   * Writes a prepared batch; resolves with one outcome per item, in order. Called in order, and
   * only once the previous batch committed.
   */
  readonly commit: (prepared: P) => Promise<readonly O[]>;
  /**
   * After a failed prepare or commit, once nothing is in flight: brings the state back to what
   * is committed (every batch prepared after the last commit has failed).
   */
  readonly recover: () => Promise<void>;
  /**
   * Holds what batches need held (the write lock) around a run of batches. A run ends when the
   * queue is empty, after a failure, or once it has lasted `maxHoldMs`, so other writers get in.
   */
  readonly hold: (run: () => Promise<void>) => Promise<void>;
  readonly maxHoldMs: number;
  /** prepare a batch beside a commit only when at least this many items wait */
  readonly minAhead: number;
  /** the outcome of every item of a batch that failed (nothing of it was stored) */
  readonly failed: O;
  /** the outcome of an item refused because the queue is full */
  readonly busy: O;
  readonly logger: Logger;
};

type Pending<I, O> = { readonly item: I; readonly resolve: (outcome: O) => void };

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The queue in front of the single writer, with group commit: items queue up while a batch is in
 * flight, and the next batch takes all of them (up to `maxBatch`), so one transaction (and one
 * fsync) serves many reports. Two batches are in flight at once: while one commits (in the
 * storage's own thread, or on the database server), the next is prepared. Commits stay in order,
 * and a batch prepared on top of one whose commit failed is never committed. Knows nothing of
 * reports: what a batch means is `prepare`'s and `commit`'s.
 */
export class GroupCommitQueue<I, O, P> {
  private readonly queue: Pending<I, O>[] = [];
  private draining: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: GroupCommitOptions<I, O, P>) {}

  get queued(): number {
    return this.queue.length;
  }

  submit(item: I): Promise<O> {
    if (this.queue.length >= this.options.maxQueue) return Promise.resolve(this.options.busy);
    return new Promise((resolve) => {
      this.queue.push({ item, resolve });
      this.wake?.();
      this.startDrain();
    });
  }

  /** Drains the queue unless a drain is running; one that ends with items queued starts again. */
  private startDrain(): void {
    this.draining ??= this.drain().finally(() => {
      this.draining = undefined;
      // an item queued between the drain's last look at the queue and its end
      if (this.queue.length > 0) this.startDrain();
    });
  }

  /** Resolves when everything queued so far has been decided (for a clean shutdown). */
  async flush(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      // Let pending I/O and verifications finish first, so they join this batch.
      await nextTurn();
      let ran = false;
      try {
        await this.options.hold(() => {
          ran = true;
          return this.run();
        });
      } catch (error) {
        // the hold could not be taken (the database-wide lock, or catching up with the other
        // servers, failed): the batch it was for fails as a batch does, and the queue goes on
        this.options.logger.error({ err: error }, 'intake batch failed');
        if (!ran) this.fail(this.queue.splice(0, this.options.maxBatch));
      }
    }
  }

  /** One hold: batches two deep until the queue is empty, a failure, or `maxHoldMs`. */
  private async run(): Promise<void> {
    const { options } = this;
    const started = performance.now();
    /** the previous batch's commit: true once it committed, false if it failed */
    let committing: Promise<boolean> = Promise.resolve(true);
    let broken = false;
    /** whether `committing` is still to be awaited */
    let inFlight = false;
    // every hold prepares at least one batch; further ones while it has lasted less than maxHoldMs
    holding: for (
      let first = true;
      first || performance.now() - started < options.maxHoldMs;
      first = false
    ) {
      // beside a commit, only a batch worth it; otherwise the commit's end lets more items join
      while (this.queue.length < (inFlight ? options.minAhead : 1)) {
        if (!inFlight) break holding;
        const arrived = await Promise.race([
          committing.then(() => false),
          new Promise<boolean>((resolve) => (this.wake = () => resolve(true))),
        ]);
        this.wake = undefined;
        if (!arrived) {
          inFlight = false;
          if (!(await committing)) {
            broken = true;
            break holding;
          }
        }
      }
      if (!first) await nextTurn();
      const batch = this.queue.splice(0, options.maxBatch);
      let prepared: P;
      try {
        prepared = await options.prepare(batch.map((p) => p.item));
      } catch (error) {
        options.logger.error({ err: error, batch: batch.length }, 'intake batch failed');
        await committing;
        this.fail(batch);
        broken = true;
        break;
      }
      if (!(await committing)) {
        // prepared on top of a batch that is not stored: it must not be stored either
        this.fail(batch);
        broken = true;
        break;
      }
      committing = this.commit(batch, prepared);
      inFlight = true;
    }
    if (!(await committing)) broken = true;
    if (broken) {
      await options
        .recover()
        .catch((error: unknown) =>
          options.logger.fatal({ err: error }, 'rebuilding the state failed'),
        );
    }
  }

  private async commit(batch: readonly Pending<I, O>[], prepared: P): Promise<boolean> {
    try {
      const outcomes = await this.options.commit(prepared);
      batch.forEach((p, i) => p.resolve(outcomes[i] ?? this.options.failed));
      return true;
    } catch (error) {
      this.options.logger.error({ err: error, batch: batch.length }, 'intake batch failed');
      this.fail(batch);
      return false;
    }
  }

  private fail(batch: readonly Pending<I, O>[]): void {
    for (const p of batch) p.resolve(this.options.failed);
  }
}
