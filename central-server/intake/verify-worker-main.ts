import { parentPort, workerData } from 'node:worker_threads';
import { loadVerifierPki } from '../pki-material/index.ts';
import { openedToWire } from './opened-wire.ts';
import { announceThread } from '../threads/os-thread.ts';
import type { EnvelopeJob, FromVerifier, ToVerifier } from './verify-messages.ts';
import { failure, notMine, reply, type Answered } from './worker-replies.ts';

/**
 * A verification worker: opens and verifies sealed reports (decrypt, CMS signature, chain, CRL,
 * tally schema) off the main thread. It loads the PKI material it needs itself from the PKI
 * directory (decryption key, trust, CRL: no station register, no signing key: receipts are signed
 * in sign-worker-main.ts), so no key crosses the thread boundary; only envelopes go in and
 * verdicts come out. A message's jobs (one turn of the main thread's event loop) are answered in
 * one message, in order, each buffer transferred: opening is synchronous work between awaits that
 * mostly resolve at once, so waiting for the message's last verdict delays the first hardly at
 * all, and the main thread is woken once per message.
 */

announceThread('verify');
const { pkiDir, electionId, startedAt } = workerData as {
  pkiDir: string;
  electionId: string;
  /** the server's clock when it started the pool */
  startedAt: number;
};
const pki = await loadVerifierPki(pkiDir, electionId, new Date(startedAt));

parentPort?.on('message', (message: ToVerifier) => {
  void Promise.all(
    message.jobs.map((job) => ('sign' in job ? notMine(job, 'verify') : open(job))),
  ).then(reply);
});
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
