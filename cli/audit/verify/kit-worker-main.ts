import { parentPort, workerData } from 'node:worker_threads';
import { checkKitReports } from './kit-batch.ts';
import { loadKitContext } from './load.ts';
import type { KitReply, KitRequest } from './kit-pool.ts';

/**
 * A verification worker of `audit verify`: checks batches of kit reports (signature, chain and
 * revocation at the signing time — checkKitReport, the same code as on the main thread). It
 * reads the export's root, issuing CA and CRLs itself; only envelope lines go in, and findings,
 * tallies and hashes come out, in the order they went in.
 */
const { dir } = workerData as { dir: string };
const post = (reply: KitReply) => parentPort?.postMessage(reply);

try {
  const ctx = loadKitContext(dir, []);
  parentPort?.on('message', (request: KitRequest) => {
    try {
      post({ id: request.id, ok: true, results: checkKitReports(ctx, request.entries) });
    } catch (error) {
      post({ id: request.id, ok: false, message: String(error) });
    }
  });
  post({ ready: true });
} catch (error) {
  post({ ready: false, message: String(error) });
}
