import type { Logger } from '../logger.ts';
import type { MallocTrim, MallocTrimLoad } from './malloc-trim.ts';
import {
  afterTrim,
  decideTrim,
  initialTrimState,
  type TrimPolicy,
  type TrimReason,
  type TrimState,
} from './trim-policy.ts';

/** What /healthz shows about trimming (decision 0106). */
export type TrimStatus =
  | { readonly mode: 'off' }
  | { readonly mode: 'unavailable'; readonly reason: string }
  | {
      readonly mode: 'on';
      readonly trims: number;
      /** resident bytes the trims gave back, summed (the resident size before minus after each) */
      readonly returnedBytes: number;
      readonly last: {
        readonly at: string;
        readonly returnedBytes: number;
        readonly ms: number;
      } | null;
    };

export type TrimmerDeps = {
  /** the binding, or why there is none; undefined: trimming switched off */
  readonly binding: MallocTrimLoad | undefined;
  readonly policy: TrimPolicy;
  readonly logger: Logger;
  /** the process's resident size in bytes */
  readonly rss?: () => number;
  /** wall-clock milliseconds (for the spacing and /healthz) */
  readonly now?: () => number;
};

/**
 * Runs the trim policy in the main thread: reads the resident size every `checkEveryMs` and, when
 * the policy says so, calls `malloc_trim` (on libuv's pool, one call at a time). Says once at
 * start whether it trims. Its timer does not keep the process alive.
 */
export class MemoryTrimmer {
  #status: TrimStatus;
  #state: TrimState | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  readonly #rss: () => number;
  readonly #now: () => number;

  constructor(private readonly deps: TrimmerDeps) {
    this.#rss = deps.rss ?? (() => process.memoryUsage.rss());
    this.#now = deps.now ?? Date.now;
    const { binding, logger, policy } = deps;
    if (binding === undefined) {
      this.#status = { mode: 'off' };
      logger.info('memory trim off (--malloc-trim not given)');
    } else if (!binding.ok) {
      this.#status = { mode: 'unavailable', reason: binding.reason };
      logger.info({ reason: binding.reason }, 'memory trim unavailable, running without');
    } else {
      this.#status = { mode: 'on', trims: 0, returnedBytes: 0, last: null };
      this.#state = initialTrimState(this.#rss());
      const trim = binding.trim;
      this.#timer = setInterval(() => this.#check(trim), policy.checkEveryMs);
      this.#timer.unref();
      logger.info({ policy }, 'memory trim on (malloc_trim at start, when grown, after a burst)');
    }
  }

  status(): TrimStatus {
    return this.#status;
  }

  /** Stops checking; resolves once a trim under way has ended. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  #check(trim: MallocTrim): void {
    if (this.#running !== undefined || this.#state === undefined) return;
    const decision = decideTrim(this.deps.policy, this.#state, this.#now(), this.#rss());
    if (!decision.trim) {
      this.#state = decision.state;
      return;
    }
    this.#running = this.#trim(trim, decision.reason).finally(() => {
      this.#running = undefined;
    });
  }

  async #trim(trim: MallocTrim, reason: TrimReason): Promise<void> {
    const before = this.#rss();
    const started = this.#now();
    const t0 = performance.now();
    try {
      await trim.call();
    } catch (error) {
      // glibc's malloc_trim does not fail; a failing binding is logged and not called again
      this.deps.logger.warn({ err: error }, 'memory trim failed, running without');
      clearInterval(this.#timer);
      this.#status = { mode: 'unavailable', reason: String(error) };
      return;
    }
    const ms = performance.now() - t0;
    const after = this.#rss();
    const returnedBytes = Math.max(0, before - after);
    const now = this.#now();
    this.#state = afterTrim(now, after);
    const status = this.#status;
    if (status.mode !== 'on') return;
    this.#status = {
      mode: 'on',
      trims: status.trims + 1,
      returnedBytes: status.returnedBytes + returnedBytes,
      last: { at: new Date(started).toISOString(), returnedBytes, ms: Math.round(ms * 10) / 10 },
    };
    this.deps.logger.debug(
      { reason, rssBefore: before, rssAfter: after, returnedBytes, ms },
      'memory trimmed',
    );
  }
}
