import { parentPort, workerData } from 'node:worker_threads';
import { PkiError } from '../../pki/index.ts';
import { loadVerifierPki } from '../pki-material/index.ts';
import { openedToWire } from './opened-wire.ts';
import type { ReceiptFields } from './types.ts';

/**
 * A verification worker: opens and verifies sealed reports (decrypt, CMS signature, chain, CRL,
 * tally schema) off the main thread. It loads the PKI material it needs itself from the PKI
 * directory (decryption key, trust, CRL: no station register), so no key crosses the thread
 * boundary; only envelopes go in and verdicts come out.
 */
type Job =
  | { id: number; body: Uint8Array; now: number }
  | { id: number; sign: readonly ReceiptFields[] };

const { pkiDir, electionId, startedAt } = workerData as {
  pkiDir: string;
  electionId: string;
  /** the server's clock when it started the pool */
  startedAt: number;
};
const pki = await loadVerifierPki(pkiDir, electionId, new Date(startedAt));

parentPort?.on('message', (job: Job) => {
  if ('sign' in job) {
    signReceipts(job.id, job.sign);
    return;
  }
  pki.openEnvelope(job.body, new Date(job.now)).then(
    (opened) => {
      const { wire, transfer } = openedToWire(opened);
      parentPort?.postMessage({ id: job.id, ok: true, opened: wire }, transfer);
    },
    (error: unknown) =>
      parentPort?.postMessage(
        error instanceof PkiError
          ? { id: job.id, ok: false, code: error.code, message: error.message }
          : { id: job.id, ok: false, code: null, message: String(error) },
      ),
  );
});
parentPort?.postMessage({ ready: true });

/** A batch's receipts, in order; the bytes go back transferred. */
function signReceipts(id: number, list: readonly ReceiptFields[]): void {
  try {
    const signed = list.map((fields) => pki.signReceipt(fields));
    parentPort?.postMessage(
      { id, ok: true, signed },
      signed.map((s) => s.receipt.buffer as ArrayBuffer),
    );
  } catch (error) {
    parentPort?.postMessage({ id, ok: false, code: null, message: String(error) });
  }
}

// Warm this thread's certificate cache in the background: jobs interleave with it, because each
// certificate is read with an await in between.
let stopped = false;
parentPort?.once('close', () => (stopped = true));
void pki
  .preloadStationCertificates(
    () => stopped,
    (preload) => parentPort?.postMessage({ preload }),
  )
  .catch((error: unknown) =>
    parentPort?.postMessage({ preload: { read: 0, of: 0, done: true, error: String(error) } }),
  );
