import { Worker } from 'node:worker_threads';

const BOOT = new URL('./worker-boot.mjs', import.meta.url);

/** Runs a TypeScript worker module with `input` and resolves with the one message it posts back. */
export function runWorker<I, O>(module: string, input: I): Promise<O> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(BOOT, {
      workerData: { module: new URL(module, import.meta.url).href, input },
    });
    worker.once('message', (message: O) => {
      resolve(message);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => {
      if (code !== 0) reject(new Error(`worker ${module} exited with ${code}`));
    });
  });
}

/** Splits items round-robin into n shares. */
export function shares<T>(items: readonly T[], n: number): T[][] {
  const out: T[][] = Array.from({ length: n }, () => []);
  items.forEach((item, i) => out[i % n]!.push(item));
  return out;
}

/** Starts a TypeScript worker module with `input`; the caller talks to it and terminates it. */
export function startWorker<I>(module: string, input: I): Worker {
  return new Worker(BOOT, { workerData: { module: new URL(module, import.meta.url).href, input } });
}
