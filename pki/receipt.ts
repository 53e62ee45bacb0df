import {
  createHash,
  sign as cryptoSign,
  verify as cryptoVerify,
  type KeyObject,
} from 'node:crypto';
import { z } from 'zod';
import { IdSchema, canonicalJson } from '../election/index.ts';
import { parseCached, verifyCertificate, verifyInput, type Trust } from './chain.ts';
import { toCertificate, type CertificateInput } from './certificate.ts';
import type { Crl } from './crl.ts';
import { PkiError, orFail } from './error.ts';
import { EKU } from './oids.ts';

/**
 * The receipt (Quittung, docs/protocol.md §5): the server's signed statement that it accepted
 * and stored a report. JWS compact serialization (RFC 7515) with ES256; the protected header
 * is `{"alg":"ES256","typ":"wahlkoffer.quittung/1","x5c":[receipt cert, issuing CA]}`; the
 * payload is the canonical JSON (RFC 8785) of the receipt. Signed and verified with
 * node:crypto (IEEE P1363 r‖s signature, as JWS requires), so any JOSE library can check it.
 */
export const RECEIPT_FORMAT = 'wahlkoffer.quittung/1' as const;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const HEX64 = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * The report's place in the transparency log (docs/decisions/0092): leaf index, RFC 9162
 * inclusion proof (base64 SHA-256 hashes, at most 63 for any tree) and the signed checkpoint
 * the proof leads to. Signed with the receipt, but not part of the receipt code: the code is
 * read out on the phone and must not depend on the batch a report happened to commit in.
 */
export const ReceiptLogSchema = z.strictObject({
  index: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
  proof: z.array(z.string().regex(/^[A-Za-z0-9+/]{43}=$/)).max(63),
  checkpoint: z.string().min(1).max(2048),
  /**
   * the SHA-256 of the station's SignedData as the leaf names it: a kit whose report is answered
   * as a repeat of an earlier sealing (decisions/0052) cannot know it otherwise
   */
  signedDataHash: HEX64.optional(),
});

export const ReceiptSchema = z.strictObject({
  format: z.literal(RECEIPT_FORMAT),
  electionId: IdSchema,
  precinctId: IdSchema,
  contestId: IdSchema,
  revision: z.number().int().min(1).max(999),
  /** SHA-256 (hex) of the sealed envelope as received */
  envelopeHash: HEX64,
  /** SHA-256 (hex) of the signed tally bytes */
  contentHash: HEX64,
  /** server clock when the report was committed, ISO 8601 UTC */
  serverTime: z.iso.datetime(),
  /** position in the server's append-only log */
  sequence: z.number().int().min(0),
  /** short code read back on the phone, derived from all fields above */
  receiptCode: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/),
  /** where the report is in the transparency log (absent in receipts made before the log) */
  log: ReceiptLogSchema.optional(),
});
export type Receipt = z.infer<typeof ReceiptSchema>;
export type ReceiptFields = Omit<Receipt, 'format' | 'receiptCode'>;

/**
 * Crockford Base32 of the first 40 bits of SHA-256 over the canonical receipt without its
 * code, grouped XXXX-XXXX. 40 bits: a wrong report matches a read-back code with p = 2^-40.
 */
export function receiptCode(fields: ReceiptFields): string {
  const {
    format: _f,
    receiptCode: _c,
    log: _l,
    ...rest
  } = fields as Partial<Receipt> & ReceiptFields;
  const hash = createHash('sha256')
    .update(canonicalJson({ ...rest, format: RECEIPT_FORMAT }), 'utf8')
    .digest();
  let bits = 0n;
  for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(hash[i]!);
  let out = '';
  for (let i = 7; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}

const encoder = new TextEncoder();
const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');

export function signReceipt(
  fields: ReceiptFields,
  key: KeyObject,
  chain: readonly CertificateInput[],
): Uint8Array {
  return receiptSigner(key, chain)(fields).receipt;
}

/**
 * A signer for many receipts with one key and chain (the server's): the JWS header with its
 * x5c chain is built once, and each receipt's code is computed once.
 */
export function receiptSigner(
  key: KeyObject,
  chain: readonly CertificateInput[],
): (fields: ReceiptFields) => { receipt: Uint8Array; receiptCode: string } {
  const header = b64url(
    JSON.stringify({
      alg: 'ES256',
      typ: RECEIPT_FORMAT,
      x5c: chain.map((c) => toCertificate(c).der.toString('base64')),
    }),
  );
  return (fields) => {
    const code = receiptCode(fields);
    const receipt = ReceiptSchema.parse({ ...fields, format: RECEIPT_FORMAT, receiptCode: code });
    const input = `${header}.${b64url(canonicalJson(receipt))}`;
    const signature = cryptoSign('sha256', Buffer.from(input, 'ascii'), {
      key,
      dsaEncoding: 'ieee-p1363',
    });
    return {
      receipt: encoder.encode(`${input}.${b64url(signature)}`),
      receiptCode: code,
    };
  };
}

const HeaderSchema = z.strictObject({
  alg: z.literal('ES256'),
  typ: z.literal(RECEIPT_FORMAT),
  x5c: z
    .array(z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/))
    .min(1)
    .max(3),
});

/** Verifies a receipt against the election root (and the CRL, when the caller has one). */
export function verifyReceipt(
  bytes: Uint8Array | string,
  trust: Trust,
  now: Date,
  crl?: Crl,
): Receipt {
  const text = typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('utf8');
  const parts = text.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p)) || text.length > 16384) {
    throw new PkiError('RECEIPT_MALFORMED', 'JWS compact serialization');
  }
  const [h, p, s] = parts as [string, string, string];
  const header = orFail('RECEIPT_MALFORMED', () =>
    HeaderSchema.parse(JSON.parse(Buffer.from(h, 'base64url').toString('utf8'))),
  );
  const certs = header.x5c.map((c) => Buffer.from(c, 'base64'));
  const leaf = parseCached(certs[0]!, trust);
  const ok = orFail('RECEIPT_SIGNATURE_INVALID', () =>
    cryptoVerify(
      'sha256',
      Buffer.from(`${h}.${p}`, 'ascii'),
      verifyInput(leaf.publicKey, 'ieee-p1363'),
      Buffer.from(s, 'base64url'),
    ),
  );
  if (!ok) throw new PkiError('RECEIPT_SIGNATURE_INVALID');
  verifyCertificate(leaf, certs.slice(1), {
    trust,
    crl,
    times: [now],
    purpose: { keyUsage: 1, extendedKeyUsage: EKU.receiptSigning },
  });
  const payload = Buffer.from(p, 'base64url');
  const receipt = orFail('RECEIPT_MALFORMED', () =>
    ReceiptSchema.parse(JSON.parse(payload.toString('utf8'))),
  );
  if (receipt.electionId !== trust.electionId) throw new PkiError('CERT_WRONG_ELECTION');
  if (receipt.receiptCode !== receiptCode(receipt)) {
    throw new PkiError('RECEIPT_MALFORMED', 'receipt code does not match its fields');
  }
  return receipt;
}
