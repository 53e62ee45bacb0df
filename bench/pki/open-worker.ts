/**
 * A worker thread of the PKI benchmark: opens and verifies its share of sealed envelopes with
 * its own Trust (cold certificate cache, as on a server that has never seen these stations)
 * and reports how long that took.
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
};

const input = workerData as Input;
const now = new Date(input.now);
const trust = createTrust(input.rootPem, input.issuingPem);
const crl = parseCrlPem(input.crlPem, [trust.root, ...trust.intermediates], now);
const decryptionKey = createPrivateKey(input.keyPem);

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
