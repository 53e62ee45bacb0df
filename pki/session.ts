import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { stationIdentity, toCertificate, type CertificateInput } from './certificate.ts';
import { parseCached, verifyCertificate, type Trust } from './chain.ts';
import type { Crl } from './crl.ts';
import { PkiError, orFail } from './error.ts';
import { STATION_PURPOSE } from './meldung.ts';

/**
 * Session proof of possession (docs/protocol.md §6). The server sends a random challenge;
 * the station signs `"wahlkoffer.session/1" || 0x00 || challenge` with its station key
 * (ECDSA P-256, SHA-256, DER signature). The purpose prefix keeps this signature from ever
 * being valid as anything else: CMS signatures cover a DER SET (first byte 0x31), receipts
 * and bundles are signed by other keys.
 */
export const SESSION_PURPOSE = 'wahlkoffer.session/1';
const MAX_CHALLENGE_BYTES = 1024;

export function sessionMessage(challenge: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(SESSION_PURPOSE, 'ascii'), Buffer.from([0]), challenge]);
}

export function signSessionChallenge(challenge: Uint8Array, stationKey: KeyObject): Uint8Array {
  return cryptoSign('sha256', sessionMessage(challenge), stationKey);
}

export type StationProof = {
  /** station certificate first, then the issuing CA (PEM, DER or parsed) */
  readonly certificateChain: readonly CertificateInput[];
  readonly challenge: Uint8Array;
  readonly signature: Uint8Array;
};

/**
 * Verifies a station's proof: signature over the purpose-prefixed challenge, then the
 * certificate (chain to the root, valid at `now`, not revoked, report-signing usage, and
 * the election). Returns who the station is. Pure.
 */
export function verifyStationProof(
  proof: StationProof,
  ctx: { trust: Trust; crl: Crl; now: Date; electionId: string },
): { precinctId: string; serial: string; fingerprint: string } {
  const [first, ...rest] = proof.certificateChain;
  if (
    first === undefined ||
    proof.challenge.length === 0 ||
    proof.challenge.length > MAX_CHALLENGE_BYTES
  ) {
    throw new PkiError('SESSION_PROOF_INVALID', 'certificate chain or challenge missing');
  }
  const leaf = parseCached(toCertificate(first).der, ctx.trust);
  const ok = orFail('SESSION_PROOF_INVALID', () =>
    cryptoVerify('sha256', sessionMessage(proof.challenge), leaf.publicKey, proof.signature),
  );
  if (!ok) throw new PkiError('SESSION_PROOF_INVALID', 'signature');
  verifyCertificate(
    leaf,
    rest.map((c) => toCertificate(c).der),
    {
      trust: ctx.trust,
      crl: ctx.crl,
      times: [ctx.now],
      purpose: STATION_PURPOSE,
    },
  );
  const identity = stationIdentity(leaf);
  if (identity.electionId !== ctx.electionId || identity.electionId !== ctx.trust.electionId) {
    throw new PkiError('CERT_WRONG_ELECTION', identity.electionId);
  }
  return { precinctId: identity.precinctId, serial: leaf.serial, fingerprint: leaf.fingerprint };
}
