import { checkReportReceipt } from '../../../api/index.ts';
import type { Crl, Receipt, Trust } from '../../../pki/index.ts';
import type { NoteKey } from '../../../transparency/index.ts';
import { KitError } from '../error.ts';
import type { OutboxRecord } from './record.ts';

/**
 * A receipt is accepted only when the HTTP contract's check (api checkReportReceipt) passes: its
 * signature verifies, its certificate chains to the pinned election root with the
 * receipt-signing usage and is not revoked, and it speaks of exactly this report — election,
 * precinct, contest, revision, the hash of the signed tally, and the hash of this envelope (or,
 * for a repeat, of an earlier envelope of the same content: decisions/0052).
 */
export type ReceiptTrust = {
  readonly trust: Trust;
  readonly crl: Crl;
  /** the log's checkpoint key from the bundle: the receipt must prove the report is logged */
  readonly checkpointKey: NoteKey;
};

export function checkReceipt(
  jws: string,
  record: OutboxRecord,
  ctx: ReceiptTrust & { readonly now: Date; readonly repeat: boolean },
): Receipt {
  const t = record.tally;
  const check = checkReportReceipt(
    jws,
    {
      electionId: t.electionId,
      precinctId: t.precinctId,
      contestId: t.contestId,
      revision: t.revision,
      contentHash: record.contentHash,
      envelopeHash: record.envelopeHash,
      signedDataHash: record.signedDataHash,
    },
    ctx,
  );
  if (check.ok) return check.receipt;
  if (check.cause !== undefined) {
    const what = check.problems.join(', ');
    throw new KitError('RECEIPT_REJECTED', what, { cause: check.cause });
  }
  throw new KitError(
    'RECEIPT_REJECTED',
    `receipt is for another report: ${check.problems.join(', ')}`,
  );
}
