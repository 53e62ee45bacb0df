import { parentPort, workerData } from 'node:worker_threads';
import { loadServerMaterial, openMeldung } from '../../pki/index.ts';

export type OpenInput = { readonly pkiDir: string; readonly envelopes: readonly string[] };
export type OpenPass = {
  readonly opened: number;
  readonly failed: number;
  readonly seconds: number;
};
/** cold: first sight of every station certificate (chain verified); warm: the same envelopes again */
export type OpenMessage =
  | { readonly phase: 'cold'; readonly pass: OpenPass }
  | { readonly phase: 'warm'; readonly pass: OpenPass };

/**
 * The crypto-only limit: the server's own verification pipeline (pki openMeldung: decrypt,
 * parse SignedData, signature, chain, revocation, usage, precinct, schema) on pre-sealed
 * envelopes, with no HTTP, no database and no aggregation. The cold pass is posted, then the
 * warm pass starts when the parent says so: the parent reads the process's CPU time (all
 * threads, including the WebCrypto work on libuv's pool) around the warm passes of all workers.
 */
const { input } = workerData as { input: OpenInput };
const material = await loadServerMaterial(input.pkiDir);
const bytes = input.envelopes.map((e) => new TextEncoder().encode(e));
const ctx = { decryptionKey: material.decryptionKey, trust: material.trust, crl: material.crl };
const pass = async (): Promise<OpenPass> => {
  let failed = 0;
  const started = performance.now();
  for (const b of bytes) {
    try {
      await openMeldung(b, { ...ctx, now: new Date() });
    } catch {
      failed += 1;
    }
  }
  return { opened: bytes.length - failed, failed, seconds: (performance.now() - started) / 1000 };
};
// The server sees each station certificate first at session opening (verifyStationProof on the
// same trust), so its reports meet a warm certificate cache; both passes are reported.
parentPort?.postMessage({ phase: 'cold', pass: await pass() } satisfies OpenMessage);
parentPort?.once('message', () => {
  void pass().then((warm) =>
    parentPort?.postMessage({ phase: 'warm', pass: warm } satisfies OpenMessage),
  );
});
