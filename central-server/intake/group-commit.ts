import type { Logger } from '../logger.ts';

export type GroupCommitOptions<I, O> = {
  /** at most this many items per batch */
  readonly maxBatch: number;
  /** refuse new items (with `busy`) when this many wait */
  readonly maxQueue: number;
  /** decides and commits one batch; resolves with one outcome per item, in order */
  readonly runBatch: (items: readonly I[]) => Promise<readonly O[]>;
  /** the outcome of every item of a batch whose `runBatch` threw (nothing of it was stored) */
  readonly failed: O;
  /** the outcome of an item refused because the queue is full */
  readonly busy: O;
  readonly logger: Logger;
};

type Pending<I, O> = { readonly item: I; readonly resolve: (outcome: O) => void };

/**
 * The queue in front of the single writer, with group commit: items queue up while a batch is in
 * flight, and the next batch takes all of them (up to `maxBatch`), so one transaction (and one
 * fsync) serves many reports. Knows nothing of reports: what a batch means is `runBatch`'s.
 */
export class GroupCommitQueue<I, O> {
  private readonly queue: Pending<I, O>[] = [];
  private draining: Promise<void> | undefined;

  constructor(private readonly options: GroupCommitOptions<I, O>) {}

  get queued(): number {
    return this.queue.length;
  }

  submit(item: I): Promise<O> {
    if (this.queue.length >= this.options.maxQueue) return Promise.resolve(this.options.busy);
    return new Promise((resolve) => {
      this.queue.push({ item, resolve });
      this.draining ??= this.drain().finally(() => (this.draining = undefined));
    });
  }

  /** Resolves when everything queued so far has been decided (for a clean shutdown). */
  async flush(): Promise<void> {
    while (this.draining !== undefined) await this.draining;
  }

  private async drain(): Promise<void> {
    const { options } = this;
    while (this.queue.length > 0) {
      // Let pending I/O and verifications finish first, so they join this batch. The COMMIT runs
      // in the storage's own thread; meanwhile the next batch grows.
      await new Promise((resolve) => setImmediate(resolve));
      const batch = this.queue.splice(0, options.maxBatch);
      let outcomes: readonly O[];
      try {
        outcomes = await options.runBatch(batch.map((p) => p.item));
      } catch (error) {
        options.logger.error({ err: error, batch: batch.length }, 'intake batch failed');
        outcomes = batch.map(() => options.failed);
      }
      batch.forEach((p, i) => p.resolve(outcomes[i] ?? options.failed));
    }
  }
}
