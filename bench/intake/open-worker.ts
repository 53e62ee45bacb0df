import { parentPort, workerData } from 'node:worker_threads';
import { loadServerMaterial, openMeldung } from '../../pki/index.ts';

export type OpenInput = { readonly pkiDir: string; readonly envelopes: readonly string[] };
export type OpenOutput = {
  readonly opened: number;
  readonly failed: number;
  readonly seconds: number;
};

/**
 * The crypto-only limit: the server's own verification pipeline (pki openMeldung: decrypt,
 * parse SignedData, signature, chain, revocation, usage, precinct, schema) on pre-sealed
 * envelopes, with no HTTP, no database and no aggregation.
 */
async function openAll(input: OpenInput): Promise<OpenOutput> {
  const material = await loadServerMaterial(input.pkiDir);
  const bytes = input.envelopes.map((e) => new TextEncoder().encode(e));
  const ctx = { decryptionKey: material.decryptionKey, trust: material.trust, crl: material.crl };
  // warm-up (JIT, certificate path cache), not timed
  for (const b of bytes.slice(0, 200)) await openMeldung(b, { ...ctx, now: new Date() });
  let failed = 0;
  const started = performance.now();
  for (const b of bytes) {
    try {
      await openMeldung(b, { ...ctx, now: new Date() });
    } catch {
      failed += 1;
    }
  }
  const seconds = (performance.now() - started) / 1000;
  return { opened: bytes.length - failed, failed, seconds };
}

const { input } = workerData as { input: OpenInput };
parentPort?.postMessage(await openAll(input));
