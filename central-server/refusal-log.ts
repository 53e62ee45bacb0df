import type { Logger } from './logger.ts';
import type { RefusedRequestRow } from './storage/repository.ts';

/** One request refused without a valid session: never its body, only what identifies it. */
export type RefusalRecord = RefusedRequestRow;

export type RefusalLogLimits = {
  /** rows kept in the database at most (the disk bound); later refusals are only counted */
  readonly maxRows: number;
  /** per source: records per second, and the burst allowed */
  readonly perSourcePerSecond: number;
  readonly perSourceBurst: number;
  /** all sources together: records per second */
  readonly totalPerSecond: number;
  /** sources remembered for rate limiting (oldest forgotten first) */
  readonly maxSources: number;
};

export const DEFAULT_REFUSAL_LIMITS: RefusalLogLimits = {
  maxRows: 100_000,
  perSourcePerSecond: 2,
  perSourceBurst: 20,
  totalPerSecond: 100,
  maxSources: 10_000,
};

/** A token bucket (pure): `tokens` refill at `rate` per second up to `burst`. */
export type Bucket = { readonly tokens: number; readonly at: number };

export function takeToken(
  bucket: Bucket | undefined,
  nowMs: number,
  rate: number,
  burst: number,
): { ok: boolean; bucket: Bucket } {
  const elapsed = bucket === undefined ? 0 : Math.max(0, nowMs - bucket.at) / 1000;
  const tokens = Math.min(burst, (bucket?.tokens ?? burst) + elapsed * rate);
  if (tokens < 1) return { ok: false, bucket: { tokens, at: nowMs } };
  return { ok: true, bucket: { tokens: tokens - 1, at: nowMs } };
}

export type RefusalStats = {
  readonly stored: number;
  readonly pending: number;
  /** refusals not stored because their source or everyone together exceeded the rate */
  readonly rateLimited: number;
  /** refusals not stored because the table is full (`maxRows`) */
  readonly overLimit: number;
};

/**
 * The separate, bounded path for refusals of requests without a valid session (forged or missing
 * tokens, revoked kits, failed session proofs). They never enter the intake writer's queue, so a
 * flood of them cannot delay a genuine kit; they are answered before their body is read, and only
 * a small record is kept, rate-limited per source and in total, and at most `maxRows` of them:
 * the disk they can fill is bounded (docs/security-testing.md). Records are written in small
 * batches at most every `flushMs`.
 */
export class RefusalLog {
  private readonly pending: RefusalRecord[] = [];
  private readonly sources = new Map<string, Bucket>();
  private total: Bucket | undefined;
  private stored: number;
  private rateLimited = 0;
  private overLimit = 0;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      readonly write: (records: readonly RefusalRecord[]) => Promise<void>;
      readonly storedAtStart: number;
      readonly limits: RefusalLogLimits;
      readonly logger: Logger;
      readonly flushMs?: number;
    },
  ) {
    this.stored = deps.storedAtStart;
  }

  /** Notes a refusal; never waits, never throws. */
  record(record: RefusalRecord): void {
    const { limits } = this.deps;
    if (this.stored + this.pending.length >= limits.maxRows) {
      this.overLimit += 1;
      return;
    }
    const now = record.at.getTime();
    const source = takeToken(
      this.sources.get(record.source),
      now,
      limits.perSourcePerSecond,
      limits.perSourceBurst,
    );
    this.sources.delete(record.source);
    if (this.sources.size >= limits.maxSources) {
      const oldest = this.sources.keys().next();
      if (oldest.done !== true) this.sources.delete(oldest.value);
    }
    this.sources.set(record.source, source.bucket);
    const total = takeToken(this.total, now, limits.totalPerSecond, limits.totalPerSecond);
    if (!source.ok || !total.ok) {
      this.rateLimited += 1;
      return;
    }
    this.total = total.bucket;
    this.pending.push(record);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.deps.flushMs ?? 500);
    this.timer.unref();
  }

  stats(): RefusalStats {
    return {
      stored: this.stored,
      pending: this.pending.length,
      rateLimited: this.rateLimited,
      overLimit: this.overLimit,
    };
  }

  /** Writes what is pending (also at shutdown). A failed write is logged; its records are lost. */
  async flush(): Promise<void> {
    while (this.writing !== undefined) await this.writing;
    if (this.pending.length === 0) return;
    const records = this.pending.splice(0);
    this.writing = this.deps
      .write(records)
      .then(
        () => {
          this.stored += records.length;
        },
        (error: unknown) => {
          this.deps.logger.error(
            { err: error, records: records.length },
            'storing refusals failed',
          );
        },
      )
      .finally(() => (this.writing = undefined));
    await this.writing;
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
