import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { generate } from 'otplib';
import { canonicalBytes } from '../../election/index.ts';
import type { Schnellmeldung } from '../../election/index.ts';
import {
  loadStationBundle,
  receiptCode,
  sealMeldung,
  signSessionChallenge,
  signSignedData,
  verifyReceipt,
} from '../../pki/index.ts';
// Not on pki's public surface: only the rogue-kit fault needs to encrypt a SignedData that
// sealMeldung would refuse to make (a tally for another precinct). It is pki's own function,
// so the simulator still does no crypto of its own.
import { encryptEnvelope } from '../../pki/envelope.ts';
import { SimulationError } from './error.ts';
import { findBundleFile } from './inputs.ts';
import type { StationSecrets } from './inputs.ts';
import type { AcceptedAnswer, Station, StationSource } from './station.ts';

const der64 = (der: Uint8Array): string => Buffer.from(der).toString('base64');

/**
 * A simulated kit built on pki's public API: it opens its signed provisioning bundle with the
 * passphrase from the sealed letter (loadStationBundle), signs session challenges
 * (signSessionChallenge), seals reports (sealMeldung) and verifies receipts (verifyReceipt,
 * receiptCode) exactly as the real kit will. The TOTP code comes from the revealed secret, as
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
  const { stationKey } = m;
  const chain = [m.stationCertificate, ...m.chain].map((c) => der64(c.der));
  const toText = (bytes: Uint8Array): string => Buffer.from(bytes).toString('utf8');
  return {
    stationId,
    precinctId: m.precinctId,
    totp: (now) => generate({ secret: secret.totpSecret, epoch: Math.floor(now.getTime() / 1000) }),
    proveSession: async (challenge) => ({
      certificateChain: chain,
      signature: der64(signSessionChallenge(new TextEncoder().encode(challenge), stationKey)),
    }),
    seal: async (tally: Schnellmeldung, now: Date) =>
      toText(
        await sealMeldung(tally, {
          stationKey,
          stationCertificate: m.stationCertificate,
          chain: m.chain,
          recipientCertificate: m.recipientCertificate,
          now,
        }),
      ),
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
    checkReceipt: async (answer: AcceptedAnswer, expected, now) => {
      const receipt = verifyReceipt(Buffer.from(answer.receipt, 'base64'), m.trust, now, m.crl);
      const envelopeHash = createHash('sha256').update(expected.envelope, 'utf8').digest('hex');
      const mismatches = [
        receipt.precinctId !== expected.tally.precinctId && 'precinct',
        receipt.contestId !== expected.tally.contestId && 'contest',
        receipt.revision !== expected.tally.revision && 'revision',
        receipt.envelopeHash !== envelopeHash && 'envelope hash',
        receipt.sequence !== answer.sequence && 'sequence',
        receipt.receiptCode !== answer.receiptCode && 'receipt code (answer)',
        receiptCode(receipt) !== receipt.receiptCode && 'receipt code (recomputed)',
      ].filter((m): m is string => m !== false);
      return mismatches.length === 0
        ? undefined
        : `receipt does not match: ${mismatches.join(', ')}`;
    },
  };
}

/** Stations from `pki issue` output directories and the revealed secrets (demo and tests only). */
export function createPkiStationSource(input: {
  readonly bundlesDir: string;
  readonly secrets: StationSecrets;
  readonly revokedDir: string;
  readonly revokedSecrets: StationSecrets;
  readonly rootCaPem: string | undefined;
}): StationSource {
  const load = async (
    dir: string,
    secrets: StationSecrets,
    stationId: string,
  ): Promise<Station> => {
    const secret = secrets[stationId];
    if (secret === undefined)
      throw new SimulationError('SECRETS_UNREADABLE', `no secrets for ${stationId}`);
    return loadPkiStation(await findBundleFile(dir, stationId), stationId, secret, input.rootCaPem);
  };
  return {
    genuine: (id) => load(input.bundlesDir, input.secrets, id),
    revoked: (id) => load(input.revokedDir, input.revokedSecrets, id),
  };
}
