import { parentPort, workerData } from 'node:worker_threads';
import { loadIntakeReceiptSigner } from '../pki-material/index.ts';
import { announceThread } from '../threads/os-thread.ts';
import type { ReceiptsJob, ToVerifier } from './verify-messages.ts';
import { failure, notMine, reply, type Answered } from './worker-replies.ts';

/**
 * The receipt-signing thread: signs each intake batch's receipts (they carry the batch's sequence
 * numbers and log inclusion, so they are signed while the batch is written). It does nothing else,
 * so a batch's receipts never wait behind envelopes being opened: in a verification worker they
 * waited ~100 ms per batch at national rate, and every answer of the batch waits for them
 * (decision 0055, s7 follow-up). It loads the receipt key itself from the PKI directory; the
 * threads that open hostile envelopes hold no signing key.
 */

announceThread('sign');
const { pkiDir, electionId } = workerData as { pkiDir: string; electionId: string };
const sign = await loadIntakeReceiptSigner(pkiDir, electionId);

parentPort?.on('message', (message: ToVerifier) => {
  reply(message.jobs.map((job) => ('sign' in job ? signReceipts(job) : notMine(job, 'sign'))));
});
parentPort?.postMessage({ ready: true });

/** A batch's receipts, in order; the bytes (receipt and its text, each its own) go back transferred. */
function signReceipts({ id, sign: list }: ReceiptsJob): Answered {
  try {
    const signed = list.map((fields) => sign(fields));
    return {
      reply: { id, ok: true, signed },
      transfer: signed.flatMap((s) => [s.receipt.buffer, s.text.buffer] as ArrayBuffer[]),
    };
  } catch (error) {
    return { reply: failure(id, error), transfer: [] };
  }
}
