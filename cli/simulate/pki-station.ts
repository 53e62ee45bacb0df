import { createPrivateKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { generate } from 'otplib';
import { checkReportReceipt, sentReport, type ReportAnswer } from '../../api/index.ts';
import { canonicalBytes } from '../../election/index.ts';
import type { Schnellmeldung } from '../../election/index.ts';
import type { CertificateInfo, Crl, Trust } from '../../pki/index.ts';
import {
  createTrust,
  loadStationBundle,
  parseCertificate,
  sealMeldungWithHash,
  signSessionChallenge,
  signSignedData,
} from '../../pki/index.ts';
// Not on pki's public surface: only the rogue-kit fault needs to encrypt a SignedData that
// sealMeldung would refuse to make (a tally for another precinct). It is pki's own function,
// so the simulator still does no crypto of its own.
import { encryptEnvelope } from '../../pki/envelope.ts';
import { parseVerifierKey, type NoteKey } from '../../transparency/index.ts';
import { SimulationError } from './error.ts';
import { findBundleFile } from './inputs.ts';
import type { StationSecrets } from './inputs.ts';
import type { Station, StationSource } from './station.ts';
import { UnlockPool } from './unlock-pool.ts';

const der64 = (der: Uint8Array): string => Buffer.from(der).toString('base64');

/**
 * A simulated kit built on pki's public API: it opens its signed provisioning bundle with the
 * passphrase from the sealed letter (loadStationBundle), signs session challenges
 * (signSessionChallenge), seals reports (sealMeldung) and checks receipts with the HTTP
 * contract's check (checkReportReceipt) exactly as the real kit does. The TOTP code comes from the revealed secret, as
 * the Wahlvorsteher's token would show it.
 */
export async function loadPkiStation(
  bundleFile: string,
  stationId: string,
  secret: { passphrase: string; totpSecret: string },
  rootCaPem: string | undefined,
): Promise<Station> {
  const m = await loadStationBundle(await readFile(bundleFile), secret.passphrase, {
    rootCaPem,
    now: new Date(),
  });
  return stationFromMaterial(stationId, m, secret.totpSecret);
}

/** What a kit holds once its bundle is open: the fields of pki's StationMaterial it uses. */
export type KitMaterial = {
  readonly precinctId: string;
  readonly stationKey: KeyObject;
  readonly stationCertificate: CertificateInfo;
  readonly chain: readonly CertificateInfo[];
  readonly recipientCertificate: CertificateInfo;
  readonly trust: Trust;
  readonly crl: Crl;
  /** the transparency log's checkpoint key, pinned from the bundle */
  readonly checkpointKey: NoteKey;
};

export function stationFromMaterial(
  stationId: string,
  m: KitMaterial,
  totpSecret: string,
): Station {
  const { stationKey } = m;
  const chain = [m.stationCertificate, ...m.chain].map((c) => der64(c.der));
  const toText = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
  // the SignedData hash of each envelope sealed here, by envelope hash: the log's leaf names it
  const signedDataHashes = new Map<string, string>();
  return {
    stationId,
    precinctId: m.precinctId,
    totp: (now) => generate({ secret: totpSecret, epoch: Math.floor(now.getTime() / 1000) }),
    proveSession: async (challenge) => ({
      certificateChain: chain,
      signature: der64(signSessionChallenge(new TextEncoder().encode(challenge), stationKey)),
    }),
    seal: async (tally: Schnellmeldung, now: Date) => {
      const { envelope, signedDataHash } = await sealMeldungWithHash(tally, {
        stationKey,
        stationCertificate: m.stationCertificate,
        chain: m.chain,
        recipientCertificate: m.recipientCertificate,
        now,
      });
      const text = toText(envelope);
      signedDataHashes.set(sentReport(tally, text).envelopeHash, signedDataHash);
      return text;
    },
    sealForeign: async (tally: Schnellmeldung, now: Date) => {
      const signedData = signSignedData({
        content: canonicalBytes(tally),
        key: stationKey,
        certificate: m.stationCertificate,
        chain: m.chain,
        signingTime: now,
      });
      return toText(await encryptEnvelope(signedData, m.recipientCertificate.publicKey));
    },
    checkReceipt: async (answer: ReportAnswer, expected, now) => {
      const sent = sentReport(expected.tally, expected.envelope);
      const check = checkReportReceipt(
        Buffer.from(answer.receipt, 'base64'),
        { ...sent, signedDataHash: signedDataHashes.get(sent.envelopeHash) },
        {
          trust: m.trust,
          crl: m.crl,
          now,
          repeat: answer.repeat,
          answer,
          checkpointKey: m.checkpointKey,
        },
      );
      if (check.ok) return undefined;
      const cause = check.cause === undefined ? '' : ` (${check.cause.code})`;
      return `receipt does not match: ${check.problems.join(', ')}${cause}`;
    },
  };
}

/**
 * Stations from `pki issue` output directories and the revealed secrets (demo and tests only).
 * Bundles are opened and unlocked by pki's loadStationBundle in `unlockThreads` worker threads
 * (default 2); the main thread rebuilds the key and certificates from their bytes and shares one
 * trust anchor (with its certificate cache) among all kits of the same root.
 */
export function createPkiStationSource(input: {
  readonly bundlesDir: string;
  readonly secrets: StationSecrets;
  readonly revokedDir: string;
  readonly revokedSecrets: StationSecrets;
  readonly rootCaPem: string | undefined;
  readonly unlockThreads?: number;
}): StationSource {
  const pool = new UnlockPool(input.unlockThreads ?? 2);
  const trusts = new Map<string, Trust>();
  const trustFor = (rootPem: string): Trust => {
    let trust = trusts.get(rootPem);
    if (trust === undefined) trusts.set(rootPem, (trust = createTrust(rootPem)));
    return trust;
  };
  const load = async (
    dir: string,
    secrets: StationSecrets,
    stationId: string,
  ): Promise<Station> => {
    const secret = secrets[stationId];
    if (secret === undefined)
      throw new SimulationError('SECRETS_UNREADABLE', `no secrets for ${stationId}`);
    const bundleFile = await findBundleFile(dir, stationId);
    const u = await pool.unlock(bundleFile, secret.passphrase, input.rootCaPem);
    const material: KitMaterial = {
      precinctId: u.precinctId,
      stationKey: createPrivateKey({
        key: Buffer.from(u.stationKeyPkcs8),
        format: 'der',
        type: 'pkcs8',
      }),
      stationCertificate: parseCertificate(u.stationCertificate),
      chain: u.chain.map((der) => parseCertificate(der)),
      recipientCertificate: parseCertificate(u.recipientCertificate),
      trust: trustFor(input.rootCaPem ?? u.rootCaPem),
      crl: u.crl,
      checkpointKey: parseVerifierKey(u.checkpointKey),
    };
    return stationFromMaterial(stationId, material, secret.totpSecret);
  };
  return {
    genuine: (id) => load(input.bundlesDir, input.secrets, id),
    revoked: (id) => load(input.revokedDir, input.revokedSecrets, id),
    close: () => pool.close(),
  };
}
