/**
 * A lock that spans every server on the database (PostgreSQL: an advisory lock). SQLite needs
 * none: one server holds the file (storage/database-lock.ts).
 */
export interface DatabaseLock {
  /** Waits until no other server holds the lock, and takes it. */
  acquire(): Promise<{ release(): Promise<void> }>;
}

export type SharedWrites = {
  readonly lock: DatabaseLock;
  /** brings the in-memory state up to what other servers committed (IntakeState.catchUp) */
  readonly catchUp: () => Promise<void>;
};

/**
 * Serialises every write transaction of the server (intake batches, TOTP bookkeeping, audit
 * events), so the audit chain head and the id counters in memory stay consistent with what is
 * committed. SQLite has one writer anyway. With several servers on one PostgreSQL database
 * (`shared`), each write also holds the database-wide lock, and before it runs the in-memory
 * state catches up with what the other servers committed: the numbered chains (envelope ids,
 * receipt sequence, audit log) stay one gap-free chain, and every decision is taken against
 * every report committed anywhere (decisions/0111).
 */
export class WriteLock {
  private tail: Promise<unknown> = Promise.resolve();

  constructor(private readonly shared?: SharedWrites) {}

  run<T>(fn: () => Promise<T>): Promise<T> {
    return this.runLocal(() => this.holdingDatabase(fn));
  }

  /**
   * In this process only, without the database-wide lock: for reading what other servers
   * committed (a catch-up after a notification), which must not interleave with our own writes.
   */
  runLocal<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.tail.then(fn, fn);
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async holdingDatabase<T>(fn: () => Promise<T>): Promise<T> {
    const { shared } = this;
    if (shared === undefined) return fn();
    const held = await shared.lock.acquire();
    try {
      await shared.catchUp();
      return await fn();
    } finally {
      await held.release();
    }
  }
}
