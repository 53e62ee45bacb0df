import { parentPort, workerData } from 'node:worker_threads';
import { migrateDatabase } from './database.ts';
import { announceThread } from '../threads/os-thread.ts';

/**
 * Migrates the database in a thread of its own that ends afterwards: Prisma's schema engine is
 * WebAssembly, and its module and memory (~45 MB) would otherwise stay in the server's main
 * thread for the whole night (decision 0067).
 */
announceThread('migrate');
const { db } = workerData as { db: string };
try {
  parentPort?.postMessage({ ok: true, applied: await migrateDatabase(db) });
} catch (error) {
  parentPort?.postMessage({
    ok: false,
    message: error instanceof Error ? error.message : String(error),
  });
}
