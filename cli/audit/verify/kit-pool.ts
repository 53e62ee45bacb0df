import { Worker } from 'node:worker_threads';
import { bundle } from '../../../central-server/threads/bundle.js';
import { checkKitReports, type KitResult } from './kit-batch.ts';
import type { KitContext } from './load.ts';
import type { KitJob } from './reports.ts';

export type KitRequest = { readonly id: number; readonly entries: readonly KitJob[] };
export type KitReply =
  | { readonly ready: true }
  | { readonly ready: false; readonly message: string }
  | { readonly id: number; readonly ok: true; readonly results: KitResult[] }
  | { readonly id: number; readonly ok: false; readonly message: string };

/** Checks batches of kit reports; each batch's results come back in the batch's order. */
export type KitChecker = {
  check(entries: readonly KitJob[]): Promise<KitResult[]>;
  close(): Promise<void>;
};

/** On the calling thread: small exports, and tests of the checks themselves. */
export function inlineChecker(ctx: KitContext): KitChecker {
  return {
    check: (entries) => Promise.resolve(checkKitReports(ctx, entries)),
    close: () => Promise.resolve(),
  };
}

type Slot = {
  readonly worker: Worker;
  readonly pending: Map<number, { resolve: (r: KitResult[]) => void; reject: (e: Error) => void }>;
};

let entry: Promise<URL> | undefined;

/**
 * The worker's code: one esbuild bundle of kit-worker-main.ts and its sources (built once per
 * process, cached in .cache/threads/ — decisions/0067), so a worker needs no tsx loader thread of
 * its own. When no bundle can be built, the tsx bootstrap runs the same sources.
 */
function workerEntry(): Promise<URL> {
  entry ??= bundle({ 'audit-kit': 'cli/audit/verify/kit-worker-main.ts' }).then(
    (built) => built['audit-kit'],
    () => new URL('./kit-worker.mjs', import.meta.url),
  );
  return entry;
}

/**
 * `size` worker threads checking kit reports (decisions/0099): the CMS signature, chain and
 * revocation checks are most of verify's CPU, and they are independent per report. A batch goes
 * to the worker with the fewest batches waiting; the caller keeps the stream's order.
 */
export async function startKitPool(dir: string, size: number): Promise<KitChecker> {
  const slots: Slot[] = [];
  let nextId = 1;
  const failAll = (slot: Slot, error: Error) => {
    for (const job of slot.pending.values()) job.reject(error);
    slot.pending.clear();
  };
  const code = await workerEntry();
  const spawn = (): Promise<void> => {
    const worker = new Worker(code, { workerData: { dir } });
    const slot: Slot = { worker, pending: new Map() };
    slots.push(slot);
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.on('message', (reply: KitReply) => {
        if ('ready' in reply) {
          if (!reply.ready) {
            reject(new Error(`verification worker: ${reply.message}`));
            return;
          }
          worker.off('error', reject);
          worker.on('error', (error) => failAll(slot, error));
          resolve();
          return;
        }
        const job = slot.pending.get(reply.id);
        if (job === undefined) return;
        slot.pending.delete(reply.id);
        if (reply.ok) job.resolve(reply.results);
        else job.reject(new Error(`verification worker: ${reply.message}`));
      });
      worker.on('exit', (code) => {
        if (slot.pending.size > 0) failAll(slot, new Error(`verification worker exited ${code}`));
      });
    });
  };
  const close = async () => void (await Promise.all(slots.map((s) => s.worker.terminate())));
  try {
    await Promise.all(Array.from({ length: size }, spawn));
  } catch (error) {
    await close();
    throw error;
  }
  return {
    check(entries) {
      let slot = slots[0]!;
      for (const s of slots) if (s.pending.size < slot.pending.size) slot = s;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        slot.pending.set(id, { resolve, reject });
        slot.worker.postMessage({ id, entries } satisfies KitRequest);
      });
    },
    close,
  };
}
