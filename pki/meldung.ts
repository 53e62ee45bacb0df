import type { KeyObject } from 'node:crypto';
import {
  SchnellmeldungSchema,
  canonicalBytes,
  canonicalJson,
  type Schnellmeldung,
} from '../election/index.ts';
import { signSignedData } from './cms.ts';
import { verifyCms, type VerifiedSignedData } from './verify-cms.ts';
import { stationIdentity, toCertificate, type CertificateInput } from './certificate.ts';
import type { Trust } from './chain.ts';
import type { Crl } from './crl.ts';
import { decryptEnvelope, encryptEnvelope } from './envelope.ts';
import { PkiError, orFail } from './error.ts';
import { EKU } from './oids.ts';
import { sha256Hex } from './x509.ts';

/** KeyUsage digitalSignature (bit 0 → flag 1 in @peculiar/x509) and our report-signing EKU. */
export const STATION_PURPOSE = { keyUsage: 1, extendedKeyUsage: EKU.reportSigning };

export type SealOptions = {
  readonly stationKey: KeyObject;
  readonly stationCertificate: CertificateInput;
  /** the issuing CA (the root may be left out; it is the verifier's trust anchor) */
  readonly chain: readonly CertificateInput[];
  readonly recipientCertificate: CertificateInput;
  readonly now: Date;
};

/**
 * Seals a Schnellmeldung: canonical bytes (RFC 8785) → CMS SignedData by the station key →
 * JWE to the server's report-encryption key → `{"format":"wahlkoffer.meldung/1","jwe":…}`.
 * Refuses to sign a tally for another election or precinct than the certificate's.
 */
export async function sealMeldung(t: Schnellmeldung, opts: SealOptions): Promise<Uint8Array> {
  return (await sealMeldungWithHash(t, opts)).envelope;
}

/**
 * Seals like `sealMeldung` and also returns the SHA-256 (hex) of the CMS SignedData inside: the
 * transparency log's leaf names it (decisions/0091), and only the sealer can know it — the
 * envelope is encrypted to the server.
 */
export async function sealMeldungWithHash(
  t: Schnellmeldung,
  opts: SealOptions,
): Promise<{ envelope: Uint8Array; signedDataHash: string }> {
  const tally = orFail('TALLY_MALFORMED', () => SchnellmeldungSchema.parse(t));
  const certificate = toCertificate(opts.stationCertificate);
  const identity = stationIdentity(certificate);
  if (identity.electionId !== tally.electionId) throw new PkiError('CERT_WRONG_ELECTION');
  if (identity.precinctId !== tally.precinctId) throw new PkiError('CERT_WRONG_PRECINCT');
  const recipient = toCertificate(opts.recipientCertificate);
  if (!recipient.extendedKeyUsages.includes(EKU.reportEncryption)) {
    throw new PkiError('CERT_WRONG_USAGE', 'recipient is not a report-encryption certificate');
  }
  const signedData = signSignedData({
    content: canonicalBytes(tally),
    key: opts.stationKey,
    certificate,
    chain: opts.chain.map(toCertificate),
    signingTime: opts.now,
  });
  return {
    envelope: await encryptEnvelope(signedData, recipient.publicKey),
    signedDataHash: sha256Hex(signedData),
  };
}

export type OpenContext = {
  readonly decryptionKey: KeyObject;
  readonly trust: Trust;
  readonly crl: Crl;
  readonly now: Date;
  readonly maxBytes?: number;
};

export type StationSigner = {
  readonly precinctId: string;
  readonly electionId: string;
  readonly serial: string;
  readonly fingerprint: string;
};

export type OpenedMeldung = {
  readonly schnellmeldung: Schnellmeldung;
  /** the exact signed bytes (canonical JSON), as the `.json` file for auditors */
  readonly signedBytes: Uint8Array;
  /** the CMS SignedData, DER, as the `.p7s` file for auditors */
  readonly signedData: Uint8Array;
  readonly envelopeHash: string;
  readonly contentHash: string;
  readonly signer: StationSigner;
  readonly signingTime: Date;
};

/**
 * Opens and verifies a sealed report. The steps run in a fixed order and each fails with its
 * own code: decode → decrypt → parse SignedData → signature → signing time → chain (at the
 * signing time and at `now`) → revocation → key usage → election and precinct → tally schema.
 */
export async function openMeldung(envelope: Uint8Array, ctx: OpenContext): Promise<OpenedMeldung> {
  const signedData = await decryptEnvelope(envelope, ctx.decryptionKey, ctx.maxBytes);
  const verified = verifySignedData(signedData, ctx);
  const schnellmeldung = checkTally(verified.parsed.content, verified.identity);
  return {
    schnellmeldung,
    signedBytes: verified.parsed.content,
    signedData,
    envelopeHash: sha256Hex(envelope),
    contentHash: sha256Hex(verified.parsed.content),
    signer: {
      ...verified.identity,
      serial: verified.leaf.serial,
      fingerprint: verified.leaf.fingerprint,
    },
    signingTime: verified.parsed.signingTime,
  };
}

/**
 * The SignedData half of the pipeline, usable on its own for a `.p7s` an auditor holds.
 * Returns the station identity from the certificate (not yet compared with the tally).
 */
export function verifySignedData(
  der: Uint8Array,
  ctx: { trust: Trust; crl: Crl; now: Date },
): VerifiedSignedData & { identity: { electionId: string; precinctId: string } } {
  const verified = verifyCms(der, { ...ctx, purpose: STATION_PURPOSE });
  const identity = stationIdentity(verified.leaf);
  if (identity.electionId !== ctx.trust.electionId) {
    throw new PkiError('CERT_WRONG_ELECTION', `${identity.electionId} ≠ ${ctx.trust.electionId}`);
  }
  return { ...verified, identity };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Steps "election and precinct equal the tally's" and "tally schema". */
function checkTally(
  content: Uint8Array,
  identity: { electionId: string; precinctId: string },
): Schnellmeldung {
  // (a leading byte-order mark is dropped by the decoder, and then fails the canonical check)
  const text = orFail('TALLY_MALFORMED', () => utf8.decode(content));
  const raw: unknown = orFail('TALLY_MALFORMED', () => JSON.parse(text));
  const claimed = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  if (claimed.electionId !== identity.electionId) {
    throw new PkiError('CERT_WRONG_ELECTION', `tally says ${String(claimed.electionId)}`);
  }
  if (claimed.precinctId !== identity.precinctId) {
    throw new PkiError('CERT_WRONG_PRECINCT', `tally says ${String(claimed.precinctId)}`);
  }
  const tally = orFail('TALLY_MALFORMED', () => SchnellmeldungSchema.parse(raw));
  // the text compared, not bytes: UTF-8 is one-to-one, and the byte length catches a dropped BOM
  // (a string the schema let through that RFC 8785 cannot write, e.g. a lone surrogate, is malformed)
  const canonical = orFail('TALLY_MALFORMED', () => canonicalJson(raw));
  if (canonical !== text || Buffer.byteLength(text) !== content.byteLength) {
    throw new PkiError('TALLY_MALFORMED', 'signed bytes are not canonical JSON (RFC 8785)');
  }
  return tally;
}
