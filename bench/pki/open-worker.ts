/**
 * A worker thread of the PKI benchmark: opens and verifies its share of sealed envelopes with
 * its own Trust and reports how long that took. Cold: the stations' certificates are new to it;
 * warm: it has seen them before (as after each station opened its session in the morning).
 */
import { createPrivateKey } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { createTrust } from '../../pki/chain.ts';
import { parseCrlPem } from '../../pki/crl.ts';
import { openMeldung } from '../../pki/meldung.ts';

type Input = {
  rootPem: string;
  issuingPem: string;
  crlPem: string;
  keyPem: string;
  now: string;
  envelopes: Uint8Array[];
  /** open every envelope once before the timed run (the station certificates become known) */
  warmUp: boolean;
  /** envelopes of other stations, opened with a throw-away Trust so the JIT is warm, not the cache */
  jitWarmUp: Uint8Array[];
};

const input = workerData as Input;
const now = new Date(input.now);
const trust = createTrust(input.rootPem, input.issuingPem);
const crl = parseCrlPem(input.crlPem, [trust.root, ...trust.intermediates], now);
const decryptionKey = createPrivateKey(input.keyPem);

const scratch = createTrust(input.rootPem, input.issuingPem);
for (const envelope of input.jitWarmUp) {
  await openMeldung(envelope, { decryptionKey, trust: scratch, crl, now });
}
if (input.warmUp) {
  for (const envelope of input.envelopes)
    await openMeldung(envelope, { decryptionKey, trust, crl, now });
}

parentPort!.once('message', async () => {
  const started = performance.now();
  let opened = 0;
  for (const envelope of input.envelopes) {
    await openMeldung(envelope, { decryptionKey, trust, crl, now });
    opened++;
  }
  parentPort!.postMessage({ opened, ms: performance.now() - started });
});
parentPort!.postMessage('ready');
