import { sign as cryptoSign, verify as cryptoVerify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { IdSchema } from '../election/index.ts';
import { parseCached, verifyCertificate, verifyInput, type Trust } from './chain.ts';
import { toCertificate, type CertificateInput } from './certificate.ts';
import type { Crl } from './crl.ts';
import { PkiError, orFail } from './error.ts';
import { EKU } from './oids.ts';
import { RECEIPT_FORMAT, codeOf, receiptTexts } from './receipt-payload.ts';

/**
 * The receipt (Quittung, docs/protocol.md §5): the server's signed statement that it accepted
 * and stored a report. JWS compact serialization (RFC 7515) with ES256; the protected header
 * is `{"alg":"ES256","typ":"wahlkoffer.quittung/1","x5c":[receipt cert, issuing CA]}`; the
 * payload is the canonical JSON (RFC 8785) of the receipt. Signed and verified with
 * node:crypto (IEEE P1363 r‖s signature, as JWS requires), so any JOSE library can check it.
 */
export { RECEIPT_FORMAT };

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
/** What a receipt is signed over: the receipt without its format and code (read-only). */
export type ReceiptFields = Omit<Receipt, 'format' | 'receiptCode' | 'log'> & {
  readonly log?: Readonly<Omit<ReceiptLog, 'proof'>> & { readonly proof: readonly string[] };
};
type ReceiptLog = z.infer<typeof ReceiptLogSchema>;

/**
 * Crockford Base32 of the first 40 bits of SHA-256 over the canonical receipt without its
 * code, grouped XXXX-XXXX. 40 bits: a wrong report matches a read-back code with p = 2^-40.
 */
export function receiptCode(fields: ReceiptFields): string {
  return codeOf(receiptTexts(fields).codeText);
}

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');

/** Signs one receipt; its fields are checked against the schema first. */
export function signReceipt(
  fields: ReceiptFields,
  key: KeyObject,
  chain: readonly CertificateInput[],
): Uint8Array {
  const {
    format: _f,
    receiptCode: _c,
    ...checked
  } = ReceiptSchema.parse({
    ...fields,
    format: RECEIPT_FORMAT,
    receiptCode: '0000-0000',
  });
  return receiptSigner(key, chain)(checked).receipt;
}

/**
 * A signer for many receipts with one key and chain (the server's): the JWS header with its
 * x5c chain is encoded once, and each receipt is written into one buffer of its own — header,
 * payload, signature — and signed in place. The fields are not parsed with the schema again:
 * they are the server's own (pki/receipt-payload.ts says why), and every receipt is checked
 * against it where it is read (`verifyReceipt`, by the kit and by auditors).
 */
export function receiptSigner(
  key: KeyObject,
  chain: readonly CertificateInput[],
): (fields: ReceiptFields) => { receipt: Uint8Array; receiptCode: string } {
  // the JWS's first part and its dot: the same bytes at the start of every receipt
  const head = Buffer.from(
    `${b64url(
      JSON.stringify({
        alg: 'ES256',
        typ: RECEIPT_FORMAT,
        x5c: chain.map((c) => toCertificate(c).der.toString('base64')),
      }),
    )}.`,
    'ascii',
  );
  // IEEE P1363 r‖s has the curve's fixed length (64 bytes for P-256)
  const signatureLength = b64url(signWith(key, head)).length;
  return (fields) => {
    const texts = receiptTexts(fields);
    const code = codeOf(texts.codeText);
    const payload = Buffer.from(texts.payload(code), 'utf8').toString('base64url');
    const signed = head.length + payload.length;
    const bytes = Buffer.allocUnsafeSlow(signed + 1 + signatureLength);
    head.copy(bytes, 0);
    bytes.write(payload, head.length, 'latin1');
    const signature = b64url(signWith(key, bytes.subarray(0, signed)));
    if (signature.length !== signatureLength) throw new Error('unexpected signature length');
    bytes[signed] = 0x2e; // '.'
    bytes.write(signature, signed + 1, 'latin1');
    // a plain Uint8Array over the buffer's own memory (not node's shared pool): transferable
    return { receipt: new Uint8Array(bytes.buffer, 0, bytes.length), receiptCode: code };
  };
}

const signWith = (key: KeyObject, data: Uint8Array) =>
  cryptoSign('sha256', data, { key, dsaEncoding: 'ieee-p1363' });

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
