/**
 * Serialises every write transaction of the server (intake batches, TOTP bookkeeping, audit
 * events). SQLite has one writer anyway; doing it here keeps the audit chain head and the id
 * counters in memory consistent with what is committed.
 */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
