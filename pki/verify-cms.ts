import { parseSignedData, verifySignedDataSignature, type ParsedSignedData } from './cms.ts';
import type { CertificateInfo } from './certificate.ts';
import {
  parseCached,
  verifyCertificate,
  type CachedCertificate,
  type Purpose,
  type Trust,
} from './chain.ts';
import type { Crl } from './crl.ts';
import { PkiError } from './error.ts';

/** A signer's clock may run ahead of the verifier's by this much (signingTime vs `now`). */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export type VerifiedSignedData = {
  readonly parsed: ParsedSignedData;
  readonly leaf: CertificateInfo | CachedCertificate;
  readonly issuer: CertificateInfo;
};

/**
 * The SignedData steps of every verification, in order: parse → signature over the signed
 * attributes → message digest of the content → signing time not in the future → certificate
 * chain to the election root at the signing time and at `now` → not revoked → purpose.
 * Pure: trust, CRL and `now` are inputs.
 */
export function verifyCms(
  der: Uint8Array,
  ctx: { trust: Trust; crl: Crl | undefined; now: Date; purpose: Purpose },
): VerifiedSignedData {
  const parsed = parseSignedData(der);
  const leaf = parseCached(parsed.signerCertificate, ctx.trust);
  verifySignedDataSignature(parsed, leaf.publicKey);
  if (parsed.signingTime.getTime() > ctx.now.getTime() + MAX_CLOCK_SKEW_MS) {
    throw new PkiError('SIGNING_TIME_INVALID', parsed.signingTime.toISOString());
  }
  const { issuer } = verifyCertificate(leaf, parsed.certificates, {
    trust: ctx.trust,
    crl: ctx.crl,
    times: [parsed.signingTime, ctx.now],
    purpose: ctx.purpose,
  });
  return { parsed, leaf, issuer };
}
