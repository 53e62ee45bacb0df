import { Worker } from 'node:worker_threads';
import { THREAD_RESOURCE_LIMITS, threadEntries } from '../threads/entries.ts';
import type { IntakeBatch, IntakeStore } from './repository.ts';

/** The SQLite intake store in its own thread (intake-store-worker-main.ts). */
export class ThreadedIntakeStore implements IntakeStore {
  private readonly pending = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
  private nextId = 1;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: { id: number; ok: boolean; message?: string } | { ready: true }) => {
      if ('ready' in m) return;
      const job = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.ok) job?.resolve();
      else job?.reject(new Error(`intake commit failed: ${m.message ?? 'unknown'}`));
    });
    worker.on('error', (error) => {
      for (const job of this.pending.values()) job.reject(error);
      this.pending.clear();
    });
  }

  static async start(file: string): Promise<ThreadedIntakeStore> {
    const worker = new Worker((await threadEntries()).writer, {
      workerData: { file },
      resourceLimits: THREAD_RESOURCE_LIMITS.writer,
    });
    return new Promise((resolve, reject) => {
      worker.once('error', reject);
      worker.once('message', () => {
        worker.off('error', reject);
        resolve(new ThreadedIntakeStore(worker));
      });
    });
  }

  commit(batch: IntakeBatch): Promise<void> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ id, batch });
    });
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.worker.once('exit', resolve));
    this.worker.postMessage({ close: true });
    await exited;
  }
}
