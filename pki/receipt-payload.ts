import { hash } from 'node:crypto';
import type { ReceiptFields } from './receipt.ts';

export const RECEIPT_FORMAT = 'wahlkoffer.quittung/1' as const;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A receipt's two canonical texts (RFC 8785), written directly for the receipt's fixed keys
 * instead of through `canonicalJson` and the schema: the receipt-signing thread signs one per
 * accepted report, and the generic path (an object spread, a zod parse, a key sort, the canonical
 * writer — twice) was most of its work besides the signature. The fields are the server's own:
 * ids, revision and counts were checked by the schema where the report entered (pki
 * `openMeldung`, the four-eyes entry), the hashes, time, sequence number and log inclusion are
 * the server's. Keys in RFC 8785 order (UTF-16 code units, all ASCII here): contentHash,
 * contestId, electionId, envelopeHash, format, log, precinctId, receiptCode, revision, sequence,
 * serverTime; in `log`: checkpoint, index, proof, signedDataHash. Strings and numbers are written as
 * `JSON.stringify` writes them, which is what RFC 8785 prescribes for them (§3.2.2); an absent
 * (undefined) `log` or `signedDataHash` is left out, as `canonicalJson` leaves it out.
 * tests/pki/receipt-payload.test.ts holds both texts to `canonicalJson` of the schema's output.
 */
export type ReceiptTexts = {
  /** the canonical JSON of the receipt without its code and log: what the code is taken over */
  readonly codeText: string;
  /** the canonical JSON of the whole receipt, `code` included: the JWS payload */
  payload(code: string): string;
};

const str = JSON.stringify;

export function receiptTexts(fields: ReceiptFields): ReceiptTexts {
  const head =
    `{"contentHash":${str(fields.contentHash)},"contestId":${str(fields.contestId)}` +
    `,"electionId":${str(fields.electionId)},"envelopeHash":${str(fields.envelopeHash)}` +
    `,"format":"${RECEIPT_FORMAT}",`;
  const precinct = `"precinctId":${str(fields.precinctId)},`;
  const tail =
    `"revision":${str(fields.revision)},"sequence":${str(fields.sequence)}` +
    `,"serverTime":${str(fields.serverTime)}}`;
  return {
    codeText: head + precinct + tail,
    payload: (code) => `${head}${logText(fields.log)}${precinct}"receiptCode":${str(code)},${tail}`,
  };
}

/** `"log":{…},` or nothing. */
function logText(log: ReceiptFields['log']): string {
  if (log === undefined) return '';
  let proof = '';
  for (const p of log.proof) proof += proof === '' ? str(p) : `,${str(p)}`;
  const signedDataHash =
    log.signedDataHash === undefined ? '' : `,"signedDataHash":${str(log.signedDataHash)}`;
  return (
    `"log":{"checkpoint":${str(log.checkpoint)},"index":${str(log.index)}` +
    `,"proof":[${proof}]${signedDataHash}},`
  );
}

/**
 * Crockford Base32 of the first 40 bits of SHA-256 over the code text, grouped XXXX-XXXX: two
 * 20-bit halves, four 5-bit digits each.
 */
export function codeOf(codeText: string): string {
  const h = hash('sha256', codeText, 'buffer');
  const high = (h[0]! << 12) | (h[1]! << 4) | (h[2]! >> 4);
  const low = ((h[2]! & 15) << 16) | (h[3]! << 8) | h[4]!;
  return `${digits(high)}-${digits(low)}`;
}

const digits = (twenty: number): string =>
  CROCKFORD[(twenty >> 15) & 31]! +
  CROCKFORD[(twenty >> 10) & 31]! +
  CROCKFORD[(twenty >> 5) & 31]! +
  CROCKFORD[twenty & 31]!;
