import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { ElectionIndex } from '../election/index.ts';
import { parseCertificatePem } from '../pki/certificate.ts';
import { loadServerSigner } from '../pki/ceremony.ts';
import { createTrust } from '../pki/chain.ts';
import { parseCrlPem, type Crl } from '../pki/crl.ts';
import { PkiError } from '../pki/error.ts';
import { openMeldung } from '../pki/meldung.ts';
import { receiptCode, signReceipt } from '../pki/receipt.ts';
import { decryptStationSecret } from '../pki/secret-store.ts';
import { verifyStationProof } from '../pki/session.ts';
import { RegisterSchema, currentStations, paths, readJson, readText } from '../pki/store-layout.ts';
import type { ServerPki } from './ports.ts';
import type { StationImport } from './storage/repository.ts';

/** How often crl.pem is checked for a change (a revocation takes effect within this time). */
const CRL_CHECK_MS = 2_000;

/**
 * Builds the server's PKI functions from a PKI directory (`wahlkoffer pki init` + `pki issue`):
 * the report-decryption key, the receipt-signing key and chain, the trust anchor, the CRL (re-read
 * when crl.pem changes, so `wahlkoffer pki revoke` needs no restart), and the station register with
 * the encrypted TOTP secrets. The session keys are derived (HKDF) from the secret-store key in the
 * server folder, so tokens survive restarts without another secret file.
 */
export async function loadServerPki(pkiDir: string, index: ElectionIndex): Promise<ServerPki> {
  const p = paths(pkiDir);
  const electionId = index.definition.id;
  const trust = createTrust(await readText(p.root), await readText(p.issuing));
  if (trust.electionId !== electionId) {
    throw new PkiError(
      'STORE_MALFORMED',
      `the PKI is for ${trust.electionId}, the election is ${electionId}`,
    );
  }
  const issuing = parseCertificatePem(await readText(p.issuing));
  const decryption = await loadServerSigner(pkiDir, 'report-encryption');
  const receipts = await loadServerSigner(pkiDir, 'receipt-signing');
  const receiptChain = [receipts.certificate, issuing];
  const secretKey = Buffer.from((await readText(p.secretStoreKey)).trim(), 'base64');
  if (secretKey.length !== 32) throw new PkiError('STORE_MALFORMED', 'server/secret-store.key');

  const cas = [trust.root, issuing];
  let crl: Crl = parseCrlPem(await readText(p.crl), cas, new Date());
  let crlMtime = (await stat(p.crl)).mtimeMs;
  let lastCheck = Date.now();
  const reloadCrl = async () => {
    const mtime = (await stat(p.crl)).mtimeMs;
    if (mtime === crlMtime) return;
    crl = parseCrlPem(await readText(p.crl), cas, new Date());
    crlMtime = mtime;
  };
  const currentCrl = async (): Promise<Crl> => {
    if (Date.now() - lastCheck > CRL_CHECK_MS) {
      lastCheck = Date.now();
      await reloadCrl().catch(() => undefined); // keep the last good CRL if the file is mid-write
    }
    return crl;
  };

  const register = await readJson(p.register, RegisterSchema);
  const stations: StationImport[] = [];
  for (const record of currentStations(register).values()) {
    const file = p.stationSecret(record.precinctId);
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
      openMeldung(body, { decryptionKey: decryption.key, trust, crl: await currentCrl(), now }),
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
        receipt: signReceipt(receiptFields, receipts.key, receiptChain),
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
        { trust, crl: await currentCrl(), now, electionId },
      ),
    stations: () => stations,
    decryptTotpSecret: (station) =>
      decryptStationSecret(JSON.parse(station.totpSecretEnc), secretKey, station.precinctId),
    sessionKeyMaterial: new Uint8Array(secretKey),
    reloadCrl,
  };
}
