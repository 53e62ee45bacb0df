import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { ElectionIndex } from '../election/index.ts';
import {
  PkiError,
  decryptStationSecret,
  loadServerMaterial,
  openMeldung,
  pkiPaths,
  preloadCertificates,
  receiptCode,
  signReceipt,
  verifyStationProof,
  type Crl,
} from '../pki/index.ts';
import type { ServerPki } from './ports.ts';
import type { StationImport } from './storage/repository.ts';

/** How often crl.pem is checked for a change (a revocation takes effect within this time). */
const CRL_CHECK_MS = 2_000;

/**
 * Builds the server's PKI functions from a PKI directory (`wahlkoffer pki init` + `pki issue`)
 * with pki's `loadServerMaterial`: the report-decryption key, the receipt-signing key and chain,
 * the trust anchor, the CRL (re-read when crl.pem changes, so `wahlkoffer pki revoke` needs no
 * restart), and the station register with the encrypted TOTP secrets. The session keys are
 * derived (HKDF) from the secret-store key in the server folder, so tokens survive restarts
 * without another secret file.
 */
export async function loadServerPki(
  pkiDir: string,
  index: ElectionIndex,
  now: Date,
): Promise<ServerPki> {
  const files = pkiPaths(pkiDir);
  const material = await loadServerMaterial(pkiDir, now);
  const electionId = index.definition.id;
  if (material.electionId !== electionId) {
    throw new PkiError(
      'STORE_MALFORMED',
      `the PKI is for ${material.electionId}, the election is ${electionId}`,
    );
  }
  const secretKey = Buffer.from((await readFile(files.secretStoreKey, 'utf8')).trim(), 'base64');
  if (secretKey.length !== 32) throw new PkiError('STORE_MALFORMED', 'server/secret-store.key');

  let crl: Crl = material.crl;
  let crlMtime = (await stat(files.crl)).mtimeMs;
  let lastCheck = now.getTime();
  const reloadCrl = async (at: Date) => {
    const mtime = (await stat(files.crl)).mtimeMs;
    if (mtime === crlMtime) return;
    crl = await material.reloadCrl(at);
    crlMtime = mtime;
  };
  /** The CRL in force at `at` (the time of the request being checked, from the server's clock). */
  const currentCrl = async (at: Date): Promise<Crl> => {
    if (Math.abs(at.getTime() - lastCheck) > CRL_CHECK_MS) {
      lastCheck = at.getTime();
      await reloadCrl(at).catch(() => undefined); // keep the last good CRL if the file is mid-write
    }
    return crl;
  };

  const stations: StationImport[] = [];
  for (const record of material.stations.values()) {
    const file = files.stationSecret(record.precinctId);
    if (!existsSync(file)) continue;
    stations.push({
      precinctId: record.precinctId,
      electionId,
      certSerial: record.serial,
      certFingerprint: record.fingerprint,
      totpSecretEnc: (await readFile(file, 'utf8')).trim(),
    });
  }

  return {
    electionId,
    openEnvelope: async (body, now) =>
      openMeldung(body, {
        decryptionKey: material.decryptionKey,
        trust: material.trust,
        crl: await currentCrl(now),
        now,
      }),
    signReceipt: (fields) => {
      const receiptFields = {
        electionId: fields.electionId,
        precinctId: fields.precinctId,
        contestId: fields.contestId,
        revision: fields.revision,
        envelopeHash: fields.envelopeHash,
        contentHash: fields.reportHash,
        serverTime: fields.receivedAt.toISOString(),
        sequence: fields.sequence,
      };
      return {
        receipt: signReceipt(receiptFields, material.receiptKey, material.receiptChain),
        receiptCode: receiptCode(receiptFields),
      };
    },
    verifyStationProof: async (proof, now) =>
      verifyStationProof(
        {
          certificateChain: proof.certificateChain.map((c) => Buffer.from(c, 'base64')),
          challenge: Buffer.from(proof.challenge, 'utf8'),
          signature: Buffer.from(proof.signature, 'base64'),
        },
        { trust: material.trust, crl: await currentCrl(now), now, electionId },
      ),
    stations: () => stations,
    decryptTotpSecret: (station) =>
      decryptStationSecret(JSON.parse(station.totpSecretEnc), secretKey, station.precinctId),
    sessionKeyMaterial: new Uint8Array(secretKey),
    reloadCrl,
    preloadStationCertificates: async (shouldStop) => {
      let loaded = 0;
      for (const record of material.stations.values()) {
        if (shouldStop()) break;
        const file = files.issued(record.serial);
        const pem = await readFile(file, 'utf8').catch(() => undefined);
        if (pem === undefined) continue;
        const der = Buffer.from(pem.replace(/-----[^-]+-----|\s/g, ''), 'base64');
        loaded += preloadCertificates(material.trust, [der]);
      }
      return loaded;
    },
  };
}
