import { verifyReceipt, type Crl, type Receipt, type Trust } from '../../../pki/index.ts';
import { KitError } from '../error.ts';
import type { OutboxRecord } from './record.ts';

/**
 * A receipt is accepted only when its signature verifies, its certificate chains to the pinned
 * election root with the receipt-signing usage and is not revoked (pki verifyReceipt), and it
 * speaks of exactly this report: election, precinct, contest, revision and the SHA-256 of the
 * signed content. (The envelope hash may differ only if the same content was sealed twice; the
 * content is what the server counted.)
 */
export type ReceiptTrust = { readonly trust: Trust; readonly crl: Crl };

export function checkReceipt(
  jws: string,
  record: OutboxRecord,
  ctx: ReceiptTrust & { readonly now: Date },
): Receipt {
  let receipt: Receipt;
  try {
    receipt = verifyReceipt(jws, ctx.trust, ctx.now, ctx.crl);
  } catch (error) {
    throw new KitError('RECEIPT_REJECTED', 'signature or chain', { cause: error });
  }
  const t = record.tally;
  const mismatch =
    receipt.electionId !== t.electionId ||
    receipt.precinctId !== t.precinctId ||
    receipt.contestId !== t.contestId ||
    receipt.revision !== t.revision ||
    receipt.contentHash !== record.contentHash;
  if (mismatch) throw new KitError('RECEIPT_REJECTED', 'receipt is for another report');
  return receipt;
}
