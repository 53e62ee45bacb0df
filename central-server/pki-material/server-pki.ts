import { readFile, stat } from 'node:fs/promises';
import {
  PkiError,
  checkSerialNotRevoked,
  decryptStationSecret,
  loadServerMaterial,
  pkiPaths,
  signSignedData,
  verifyStationProof,
} from '../../pki/index.ts';
import { signCheckpoint } from '../../transparency/index.ts';
import type { Logger } from '../logger.ts';
import type { ServerPki } from '../ports.ts';
import { CrlFollower } from './crl-follower.ts';
import { StationRegister } from './station-register.ts';
import { intakeReceiptSigner } from './receipt-fields.ts';
import { envelopeOpener } from './verifier-pki.ts';

/**
 * Builds the server's PKI functions from a PKI directory (`wahlkoffer pki init` + `pki issue`)
 * with pki's `loadServerMaterial`: the report-decryption key, the receipt-signing key and chain,
 * the trust anchor, the CRL (followed while the server runs: crl-follower.ts), and the station
 * register with the encrypted TOTP secrets (followed too: station-register.ts). The session keys
 * are derived (HKDF) from the secret-store key in the server folder, so tokens survive restarts
 * without another secret file. `now` is the server's clock at start.
 */
export async function loadServerPki(
  pkiDir: string,
  electionId: string,
  now: Date,
  logger?: Logger,
): Promise<ServerPki> {
  const files = pkiPaths(pkiDir);
  // Only what is needed is kept: the closures below must not hold `material` or the station
  // register (`stations`, dropped here; the register is followed by StationRegister). Opening
  // reports, and warming their certificates, is the verification worker's (verifier-pki.ts).
  const {
    decryptionKey,
    trust,
    receiptKey,
    receiptChain,
    reloadStations,
    checkpoint,
    tlsKeyPem,
    tlsCertificateChainPem,
    stations: _register,
    ...material
  } = await loadServerMaterial(pkiDir, now);
  if (material.electionId !== electionId) {
    throw new PkiError(
      'STORE_MALFORMED',
      `the PKI is for ${material.electionId}, the election is ${electionId}`,
    );
  }
  const secretKey = Buffer.from((await readFile(files.secretStoreKey, 'utf8')).trim(), 'base64');
  if (secretKey.length !== 32) throw new PkiError('STORE_MALFORMED', 'server/secret-store.key');
  const crl = new CrlFollower(
    { file: files.crl, read: material.reloadCrl, ...(logger === undefined ? {} : { logger }) },
    material.crl,
    (await stat(files.crl)).mtimeMs,
    now,
  );
  // read at the first reloadStations (the server's import at start), not here: a thread that
  // only opens envelopes never reads 90,652 secret files
  const register = new StationRegister(files, electionId, reloadStations);
  const issuing = trust.intermediates[0];
  if (issuing === undefined) throw new PkiError('STORE_MALFORMED', 'no issuing CA');
  const signReceipt = intakeReceiptSigner(receiptKey, receiptChain);

  return {
    electionId,
    kitUrl: material.serverUrl,
    tls: { keyPem: tlsKeyPem, certificateChainPem: tlsCertificateChainPem },
    openEnvelope: envelopeOpener(decryptionKey, trust, crl),
    signPublication: (content, signingTime) => {
      const [certificate, ...chain] = material.publicationChain;
      if (certificate === undefined) throw new PkiError('STORE_MALFORMED', 'publication chain');
      return signSignedData({
        content,
        key: material.publicationKey,
        certificate,
        chain,
        signingTime,
        detached: true,
      });
    },
    signCheckpoint: ({ size, root }) =>
      signCheckpoint({ origin: checkpoint.verifier.name, size, root }, checkpoint.key),
    signReceipts: async (list) => list.map(signReceipt),
    verifyStationProof: async (proof, at) =>
      verifyStationProof(
        {
          certificateChain: proof.certificateChain.map((c) => Buffer.from(c, 'base64')),
          challenge: Buffer.from(proof.challenge, 'utf8'),
          signature: Buffer.from(proof.signature, 'base64'),
        },
        { trust, crl: await crl.current(at), now: at, electionId },
      ),
    checkNotRevoked: async (serial, at) =>
      checkSerialNotRevoked(serial, issuing, await crl.current(at), at),
    reloadStations: () => register.reload(),
    decryptTotpSecret: (station) =>
      decryptStationSecret(JSON.parse(station.totpSecretEnc), secretKey, station.precinctId),
    sessionKeyMaterial: new Uint8Array(secretKey),
    reloadCrl: (at) => crl.reload(at),
    crlStatus: () => crl.status(),
  };
}
