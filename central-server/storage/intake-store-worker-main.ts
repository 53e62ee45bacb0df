import { parentPort, workerData } from 'node:worker_threads';
import type { IntakeBatch } from './repository.ts';
import { SqliteIntakeStore } from './sqlite-intake-store.ts';
import { announceThread } from '../threads/os-thread.ts';

/**
 * The SQLite writer thread: owns the intake's connection and runs each batch transaction,
 * including the fsync of synchronous=FULL, so the main thread keeps verifying and queueing
 * reports while the disk works (the next batch grows meanwhile: group commit).
 */
announceThread('writer');
const store = new SqliteIntakeStore((workerData as { file: string }).file);

parentPort?.on('message', (message: { id: number; batch: IntakeBatch } | { close: true }) => {
  if ('close' in message) {
    void store.close();
    parentPort?.close();
    return;
  }
  try {
    store.commitSync(message.batch);
    parentPort?.postMessage({ id: message.id, ok: true });
  } catch (error) {
    parentPort?.postMessage({ id: message.id, ok: false, message: String(error) });
  }
});
parentPort?.postMessage({ ready: true });
