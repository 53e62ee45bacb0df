import { Worker } from 'node:worker_threads';
import { THREAD_RESOURCE_LIMITS, threadEntries } from '../threads/entries.ts';

type Reply = { ok: true; applied: string[] } | { ok: false; message: string };

/**
 * `migrateDatabase` in a short-lived worker thread (migrate-worker-main.ts): the same migrations
 * and errors (as their message), without the schema engine staying in the calling thread.
 */
export async function migrateInThread(db: string): Promise<string[]> {
  const worker = new Worker((await threadEntries()).migrate, {
    workerData: { db },
    resourceLimits: THREAD_RESOURCE_LIMITS.migrate,
  });
  try {
    return await new Promise<string[]>((resolve, reject) => {
      worker.once('message', (reply: Reply) =>
        reply.ok ? resolve(reply.applied) : reject(new Error(reply.message)),
      );
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the migration thread ended (${code})`)));
    });
  } finally {
    await worker.terminate();
  }
}
