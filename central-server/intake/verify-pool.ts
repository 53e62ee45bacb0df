import { Worker } from 'node:worker_threads';
import { PkiError } from '../../pki/index.ts';
import type { Logger } from '../logger.ts';
import type { PreloadProgress } from '../ports.ts';
import { THREAD_RESOURCE_LIMITS, threadEntries } from '../threads/entries.ts';
import { TurnBatch } from '../threads/turn-batch.ts';
import { openedFromWire } from './opened-wire.ts';
import type { EnvelopeOpener, ReceiptSigner } from './types.ts';
import type { FromVerifier, ToVerifier, VerifyJob, VerifyReply } from './verify-messages.ts';

type Answer = Extract<VerifyReply, { ok: true }>;
type WorkerPaths = { pkiDir: string; electionId: string; startedAt: number };

type Pending = {
  resolve: (answer: Answer) => void;
  reject: (e: unknown) => void;
};

/** What a thread of the pool does: open envelopes, or sign a batch's receipts. */
type Role = 'verify' | 'sign';
const ROLE_NAME: Readonly<Record<Role, string>> = {
  verify: 'verification worker',
  sign: 'receipt-signing worker',
};

type Slot = {
  readonly role: Role;
  worker: Worker;
  /** jobs given to this worker and not yet answered (queued for this turn's message included) */
  pending: Map<number, Pending>;
  /** this turn's jobs for the worker, sent as one message */
  outbox: TurnBatch<VerifyJob>;
  preload: PreloadProgress;
};

/** Messages of jobs sent to the workers and of replies received, since the start. */
export type PoolMessageCounts = { readonly sent: number; readonly received: number };

/**
 * A pool of worker threads that open envelopes, so the ~1–3 ms of crypto per report runs beside
 * the main thread (HTTP, sessions, the writer) instead of on it, and one thread that signs the
 * intake batches' receipts, so they never wait behind envelopes (decision 0055, s7 follow-up).
 * Envelopes go to the least busy verification worker; the jobs of one turn of the main thread's
 * event loop go to a thread in one message, answered in one message. A thread that stops is
 * replaced (`stopped`).
 */
export class VerifyPool {
  private readonly slots: Slot[] = [];
  private nextId = 1;
  private sent = 0;
  private received = 0;
  private readonly startedAt = performance.now();
  private closing = false;
  /** the starts of threads that replace ones that stopped, while they run */
  private readonly replacing = new Set<Promise<void>>();

  private constructor(
    private readonly logger: Logger,
    private readonly entries: Readonly<Record<Role, URL>>,
    private readonly paths: WorkerPaths,
  ) {}

  /** `size` verification workers (at least one) and the receipt-signing thread. */
  static async start(size: number, paths: WorkerPaths, logger: Logger): Promise<VerifyPool> {
    if (size < 1) throw new RangeError('a verification pool needs at least one worker');
    const { verify, sign } = await threadEntries(logger);
    const pool = new VerifyPool(logger, { verify, sign }, paths);
    await Promise.all([
      ...Array.from({ length: size }, () => pool.spawn('verify')),
      pool.spawn('sign'),
    ]);
    return pool;
  }

  private spawn(role: Role): Promise<void> {
    // a worker started later (to replace one) loads its material at the server's clock of now
    const elapsed = performance.now() - this.startedAt;
    const worker = new Worker(this.entries[role], {
      workerData: { ...this.paths, startedAt: this.paths.startedAt + elapsed },
      resourceLimits: THREAD_RESOURCE_LIMITS[role],
    });
    const outbox = new TurnBatch<VerifyJob>((jobs, transfer) => {
      this.sent++;
      worker.postMessage({ jobs } satisfies ToVerifier, transfer);
    });
    const slot: Slot = {
      role,
      worker,
      pending: new Map(),
      outbox,
      // the signing thread has no certificates to preload
      preload: { read: 0, of: 0, done: role === 'sign' },
    };
    this.slots.push(slot);
    return new Promise((resolve, reject) => {
      const early = (error: unknown) => {
        this.drop(slot);
        // a replacement may already hold jobs: they would never be answered
        for (const job of slot.pending.values()) job.reject(error);
        slot.pending.clear();
        reject(error);
      };
      const exitedEarly = (code: number) =>
        early(new Error(`the ${ROLE_NAME[role]} stopped before it was ready (exit code ${code})`));
      worker.once('error', early);
      worker.once('exit', exitedEarly);
      worker.on('message', (message: FromVerifier) => {
        if ('preload' in message) {
          this.preloaded(slot, message.preload);
          return;
        }
        if ('ready' in message) {
          worker.off('error', early);
          worker.off('exit', exitedEarly);
          worker.on('error', (error) =>
            this.logger.error({ err: error }, `${ROLE_NAME[role]} failed`),
          );
          worker.once('exit', (code) => this.stopped(slot, code));
          resolve();
          return;
        }
        this.received++;
        for (const reply of message.replies) this.answered(slot, reply);
      });
    });
  }

  private answered(slot: Slot, reply: VerifyReply): void {
    const job = slot.pending.get(reply.id);
    if (job === undefined) return;
    slot.pending.delete(reply.id);
    if (reply.ok) job.resolve(reply);
    else job.reject(reply.code === null ? new Error(reply.message) : new PkiError(reply.code));
  }

  /** How many messages carried jobs and replies so far (each carries one turn's worth). */
  messageCounts(): PoolMessageCounts {
    return { sent: this.sent, received: this.received };
  }

  /**
   * How far the workers' certificate preload is: the slowest worker's count; done when every
   * worker is. A night's server finishes it long before the polls close; a server restarted
   * during the count verifies the not yet preloaded certificates with the reports meanwhile.
   */
  preload(): PreloadProgress {
    const all = this.slots.filter((s) => s.role === 'verify').map((s) => s.preload);
    if (all.length === 0) return { read: 0, of: 0, done: false };
    return {
      read: Math.min(...all.map((p) => p.read)),
      of: Math.max(...all.map((p) => p.of)),
      done: all.every((p) => p.done),
    };
  }

  private preloaded(slot: Slot, progress: PreloadProgress): void {
    const wasDone = this.slots.every((s) => s.preload.done);
    slot.preload = progress;
    if (progress.error !== undefined)
      this.logger.warn({ error: progress.error }, 'station certificate preload stopped');
    if (!wasDone && this.slots.every((s) => s.preload.done)) {
      const { read, of } = this.preload();
      const seconds = Math.round(performance.now() - this.startedAt) / 1000;
      this.logger.info({ read, of, seconds }, 'station certificates preloaded');
    }
  }

  /**
   * A thread that stopped (an uncaught error, its memory limit) answers nothing more: its jobs fail
   * (the kits are told INTERNAL_ERROR and send again; a batch whose receipts fail stores nothing),
   * it leaves the pool so no job goes to it, and a new thread of its role takes its place. Jobs
   * meanwhile go to the other workers of the role, or wait for the new one.
   */
  private stopped(slot: Slot, code: number): void {
    this.drop(slot);
    const name = ROLE_NAME[slot.role];
    const error = new Error(`the ${name} stopped (exit code ${code})`);
    for (const job of slot.pending.values()) job.reject(error);
    slot.pending.clear();
    if (this.closing) return;
    this.logger.error({ code }, `${name} stopped; starting a new one`);
    const replacing: Promise<void> = this.spawn(slot.role)
      .catch((e: unknown) => this.logger.error({ err: e }, `a new ${name} could not be started`))
      .finally(() => this.replacing.delete(replacing));
    this.replacing.add(replacing);
  }

  private drop(slot: Slot): void {
    const i = this.slots.indexOf(slot);
    if (i >= 0) this.slots.splice(i, 1);
  }

  readonly open: EnvelopeOpener = async (body, now) => {
    // the worker gets its own copy, transferred: a Buffer is often a view into a shared 8 KB
    // slab, which structured clone would copy whole (and twice: out and in)
    const own = new Uint8Array(body);
    const answer = await this.send('verify', (id) => ({ id, body: own, now: now.getTime() }), [
      own.buffer,
    ]);
    if (!('opened' in answer))
      throw new Error('a verification worker answered a job it was not given');
    return openedFromWire(answer.opened);
  };

  /**
   * Signs a batch's receipts in the receipt-signing thread (the receipt key is loaded there):
   * ~100 µs per receipt that the main thread does not spend, and no wait behind envelopes.
   */
  readonly signReceipts: ReceiptSigner = async (fields) => {
    const answer = await this.send('sign', (id) => ({ id, sign: fields }), []);
    if (!('signed' in answer))
      throw new Error('the receipt-signing worker answered a job it was not given');
    return answer.signed;
  };

  /** A job to the least busy thread of `role`, in this turn's message to it. */
  private async send(
    role: Role,
    job: (id: number) => VerifyJob,
    transfer: readonly ArrayBuffer[],
  ): Promise<Answer> {
    // a replacement is in `slots` from its start (jobs wait in its port until it is ready); none
    // of a role is left only if starting one failed
    let slot: Slot | undefined;
    for (const s of this.slots)
      if (s.role === role && (slot === undefined || s.pending.size < slot.pending.size)) slot = s;
    if (slot === undefined) throw new Error(`no ${ROLE_NAME[role]} is running`);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.outbox.add(job(id), transfer);
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.all(this.replacing);
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
