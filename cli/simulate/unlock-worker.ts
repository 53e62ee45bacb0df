import { readFile } from 'node:fs/promises';
import { parentPort } from 'node:worker_threads';
import { loadStationBundle } from '../../pki/index.ts';
import { formatVerifierKey } from '../../transparency/index.ts';
import type { UnlockRequest, UnlockResponse } from './unlock-pool.ts';

/**
 * Opens and unlocks one station bundle per request with pki's loadStationBundle (signature,
 * chain, usages, key decryption) off the main thread, and hands back what the kit needs as
 * plain bytes: the private key as PKCS#8 DER and the certificates as DER.
 */
parentPort?.on('message', (request: UnlockRequest) => {
  void (async (): Promise<UnlockResponse> => {
    try {
      const m = await loadStationBundle(await readFile(request.bundleFile), request.passphrase, {
        rootCaPem: request.rootCaPem,
        now: new Date(),
      });
      return {
        id: request.id,
        ok: true,
        material: {
          precinctId: m.precinctId,
          stationKeyPkcs8: m.stationKey.export({ format: 'der', type: 'pkcs8' }),
          stationCertificate: m.stationCertificate.der,
          chain: m.chain.map((c) => c.der),
          recipientCertificate: m.recipientCertificate.der,
          rootCaPem: m.rootCaPem,
          crl: m.crl,
          checkpointKey: formatVerifierKey(m.checkpointKey),
        },
      };
    } catch (error) {
      const code =
        typeof error === 'object' && error !== null && 'code' in error
          ? String(error.code)
          : undefined;
      return {
        id: request.id,
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        code,
      };
    }
  })().then((response) => parentPort?.postMessage(response));
});
