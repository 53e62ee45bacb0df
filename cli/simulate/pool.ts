/** Clock and sleep are injected so the pacing can be tested without waiting. */
export type Pacing = {
  readonly concurrency: number;
  /** spread the starts evenly over this many milliseconds (0 = as fast as the pool allows) */
  readonly durationMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
};

export const realPacing = (concurrency: number, durationMs: number): Pacing => ({
  concurrency,
  durationMs,
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
});

/**
 * Runs `work` for every item with at most `concurrency` in flight, item i starting no earlier
 * than i/n of the duration: like kits reporting across the evening, but never more at once than
 * the pool allows. Items start in order; a rejected `work` rejects the whole run (workers are
 * expected to turn server answers into outcomes and only throw on bugs).
 */
export async function runPaced<T>(
  items: readonly T[],
  pacing: Pacing,
  work: (item: T, index: number) => Promise<void>,
): Promise<void> {
  const start = pacing.now();
  const interval = items.length === 0 ? 0 : pacing.durationMs / items.length;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const due = start + index * interval;
      const wait = due - pacing.now();
      if (wait > 1) await pacing.sleep(wait);
      await work(items[index]!, index);
    }
  };
  const workers = Array.from(
    { length: Math.max(1, Math.min(pacing.concurrency, items.length)) },
    worker,
  );
  await Promise.all(workers);
}
