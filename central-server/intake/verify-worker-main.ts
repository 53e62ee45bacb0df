import { parentPort, workerData } from 'node:worker_threads';
import { PkiError } from '../../pki/index.ts';
import { loadVerifierPki } from '../pki-material/index.ts';
import { openedToWire } from './opened-wire.ts';
import { announceThread } from '../threads/os-thread.ts';
import type { FromVerifier, ToVerifier, VerifyJob, VerifyReply } from './verify-messages.ts';

/**
 * A verification worker: opens and verifies sealed reports (decrypt, CMS signature, chain, CRL,
 * tally schema) off the main thread. It loads the PKI material it needs itself from the PKI
 * directory (decryption key, trust, CRL: no station register), so no key crosses the thread
 * boundary; only envelopes go in and verdicts come out. A message's jobs (one turn of the main
 * thread's event loop) are answered in one message, in order, each buffer transferred: opening is
 * synchronous work between awaits that mostly resolve at once, so waiting for the message's last
 * verdict delays the first hardly at all, and the main thread is woken once per message.
 */

announceThread('verify');
const { pkiDir, electionId, startedAt } = workerData as {
  pkiDir: string;
  electionId: string;
  /** the server's clock when it started the pool */
  startedAt: number;
};
const pki = await loadVerifierPki(pkiDir, electionId, new Date(startedAt));

type Answered = { reply: VerifyReply; transfer: readonly ArrayBuffer[] };
type ReceiptsJob = Extract<VerifyJob, { sign: unknown }>;
type EnvelopeJob = Exclude<VerifyJob, ReceiptsJob>;

parentPort?.on('message', (message: ToVerifier) => {
  // a batch's receipts first, answered at once: every answer of the batch to its kits waits for
  // them, and they would otherwise wait for all the envelopes of the same message
  const receipts = message.jobs.filter((job): job is ReceiptsJob => 'sign' in job);
  const envelopes = message.jobs.filter((job): job is EnvelopeJob => !('sign' in job));
  if (receipts.length > 0) reply(receipts.map(signReceipts));
  if (envelopes.length > 0) void Promise.all(envelopes.map(open)).then(reply);
});

function reply(answered: readonly Answered[]): void {
  parentPort?.postMessage(
    { replies: answered.map((a) => a.reply) } satisfies FromVerifier,
    answered.flatMap((a) => a.transfer),
  );
}
parentPort?.postMessage({ ready: true } satisfies FromVerifier);

/** An envelope's reply; never rejects (a refusal is a reply too). */
function open(job: EnvelopeJob): Promise<Answered> {
  return pki.openEnvelope(job.body, new Date(job.now)).then(
    (opened) => {
      const { wire, transfer } = openedToWire(opened);
      return { reply: { id: job.id, ok: true, opened: wire }, transfer };
    },
    (error: unknown) => ({ reply: failure(job.id, error), transfer: [] }),
  );
}

/** A batch's receipts, in order; the bytes go back transferred. */
function signReceipts({ id, sign: list }: ReceiptsJob): Answered {
  try {
    const signed = list.map((fields) => pki.signReceipt(fields));
    return {
      reply: { id, ok: true, signed },
      transfer: signed.map((s) => s.receipt.buffer as ArrayBuffer),
    };
  } catch (error) {
    return { reply: failure(id, error), transfer: [] };
  }
}

function failure(id: number, error: unknown): VerifyReply {
  return error instanceof PkiError
    ? { id, ok: false, code: error.code, message: error.message }
    : { id, ok: false, code: null, message: String(error) };
}

// Warm this thread's certificate cache in the background: jobs interleave with it, because each
// certificate is read with an await in between.
let stopped = false;
parentPort?.once('close', () => (stopped = true));
void pki
  .preloadStationCertificates(
    () => stopped,
    (preload) => parentPort?.postMessage({ preload } satisfies FromVerifier),
  )
  .catch((error: unknown) =>
    parentPort?.postMessage({
      preload: { read: 0, of: 0, done: true, error: String(error) },
    } satisfies FromVerifier),
  );
