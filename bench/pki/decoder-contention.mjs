// Does OpenSSL 3.0 key and certificate decoding scale across worker threads on this machine?
// Prints operations per second with one and with two threads.   node bench/pki/decoder-contention.mjs
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { X509Certificate, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { execFileSync } from 'node:child_process';

if (isMainThread) {
  const pem = execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      '/dev/null',
      '-subj',
      '/CN=x',
      '-days',
      '1',
    ],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  ).toString();
  const spki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({
    format: 'der',
    type: 'spki',
  });
  for (const what of ['X509Certificate', 'createPublicKey(spki)']) {
    for (const threads of [1, 2]) {
      const pool = Array.from(
        { length: threads },
        () => new Worker(new URL(import.meta.url), { workerData: { pem, spki, what } }),
      );
      const started = performance.now();
      const counts = await Promise.all(
        pool.map((w) => new Promise((resolve) => w.once('message', resolve))),
      );
      const total = counts.reduce((a, b) => a + b, 0);
      console.log(
        `${what}, ${threads} thread(s): ${Math.round(total / ((performance.now() - started) / 1000))}/s`,
      );
    }
  }
} else {
  const { pem, spki, what } = workerData;
  let n = 0;
  for (const end = performance.now() + 2000; performance.now() < end; n++) {
    if (what === 'X509Certificate') new X509Certificate(pem);
    else createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
  }
  parentPort.postMessage(n);
}
