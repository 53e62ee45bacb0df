import { createHash } from 'node:crypto';
import { canonicalBytes, type Schnellmeldung } from '../../election/index.ts';
import { PkiError, verifyReceipt, type Crl, type Receipt, type Trust } from '../../pki/index.ts';
import {
  TransparencyError,
  reportLeaf,
  verifyLogInclusion,
  type NoteKey,
} from '../../transparency/index.ts';

/**
 * The client's check of a receipt (docs/protocol.md §5), shared by the kit's outbox and the
 * simulator: the receipt must verify (signature, chain to the pinned root with the
 * receipt-signing usage, not revoked: pki verifyReceipt) and speak of exactly the report sent.
 *
 * The receipt binds two hashes: `contentHash`, of the canonical tally that was signed, and
 * `envelopeHash`, of the sealed envelope as received. Sealing is randomised (ECDSA nonce, JWE
 * key and IV), so the same tally sealed twice makes two envelopes. The server answers a
 * re-sealed report of identical content with the ORIGINAL receipt (HTTP 200, a repeat): its
 * `envelopeHash` is then that of the first envelope. So the content hash must always match, and
 * the envelope hash must match unless the answer is a repeat — then the receipt is the genuine
 * one for this content, stored and counted once (decisions/0052).
 */
export type SentReport = {
  readonly electionId: string;
  readonly precinctId: string;
  readonly contestId: string;
  readonly revision: number;
  /** SHA-256 (hex) of the canonical tally bytes that were signed */
  readonly contentHash: string;
  /** SHA-256 (hex) of the sealed envelope as sent */
  readonly envelopeHash: string;
  /** SHA-256 (hex) of the CMS SignedData inside it (pki sealMeldungWithHash), when known */
  readonly signedDataHash?: string | undefined;
};

export const RECEIPT_PROBLEMS = [
  'signature or chain',
  'election',
  'precinct',
  'contest',
  'revision',
  'content hash',
  'envelope hash',
  'sequence',
  'receipt code',
  'log',
] as const;
export type ReceiptProblem = (typeof RECEIPT_PROBLEMS)[number];

export type ReceiptCheck =
  | {
      readonly ok: true;
      readonly receipt: Receipt;
      /** the receipt names an earlier envelope of the same content (a repeat, HTTP 200) */
      readonly earlierEnvelope: boolean;
    }
  | {
      readonly ok: false;
      readonly problems: readonly ReceiptProblem[];
      /** the pki code when the signature or chain failed, the transparency code for the log */
      readonly cause?: PkiError | TransparencyError;
    };

const sha256Hex = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');

/** What a client knows of the report it sent: the tally's identity and both hashes. */
export function sentReport(tally: Schnellmeldung, envelope: string | Uint8Array): SentReport {
  return {
    electionId: tally.electionId,
    precinctId: tally.precinctId,
    contestId: tally.contestId,
    revision: tally.revision,
    contentHash: sha256Hex(canonicalBytes(tally)),
    envelopeHash: sha256Hex(envelope),
  };
}

export function checkReportReceipt(
  jws: string | Uint8Array,
  sent: SentReport,
  ctx: {
    readonly trust: Trust;
    readonly crl?: Crl;
    readonly now: Date;
    /** the server answered 200: a repeat of a report it already had */
    readonly repeat: boolean;
    /** the answer's own fields beside the receipt, which must agree with it */
    readonly answer?: { readonly sequence: number; readonly receiptCode: string };
    /**
     * the transparency log's checkpoint key pinned from the bundle (pki checkpointKeyFromBundle):
     * when given, the receipt must prove that the report is in the log (decisions/0092)
     */
    readonly checkpointKey?: NoteKey;
  },
): ReceiptCheck {
  let receipt: Receipt;
  try {
    receipt = verifyReceipt(jws, ctx.trust, ctx.now, ctx.crl);
  } catch (error) {
    if (!(error instanceof PkiError)) throw error;
    return { ok: false, problems: ['signature or chain'], cause: error };
  }
  const earlierEnvelope = receipt.envelopeHash !== sent.envelopeHash;
  const checks: readonly [ReceiptProblem, boolean][] = [
    ['election', receipt.electionId === sent.electionId],
    ['precinct', receipt.precinctId === sent.precinctId],
    ['contest', receipt.contestId === sent.contestId],
    ['revision', receipt.revision === sent.revision],
    ['content hash', receipt.contentHash === sent.contentHash],
    ['envelope hash', !earlierEnvelope || ctx.repeat],
    ['sequence', ctx.answer === undefined || ctx.answer.sequence === receipt.sequence],
    ['receipt code', ctx.answer === undefined || ctx.answer.receiptCode === receipt.receiptCode],
  ];
  const problems = checks.filter(([, ok]) => !ok).map(([problem]) => problem);
  if (problems.length > 0) return { ok: false, problems };
  if (ctx.checkpointKey !== undefined) {
    const cause = logProblem(receipt, sent, earlierEnvelope, ctx.checkpointKey);
    if (cause !== undefined) return { ok: false, problems: ['log'], cause };
  }
  return { ok: true, receipt, earlierEnvelope };
}

/**
 * The report is in the transparency log: the leaf is rebuilt from the receipt's fields (already
 * checked against the report sent) and the SignedData hash — the client's own, unless the
 * receipt is for an earlier sealing of the same content, whose hash only the receipt can name —
 * and its inclusion proof must lead to a checkpoint signed with the pinned key.
 */
function logProblem(
  receipt: Receipt,
  sent: SentReport,
  earlierEnvelope: boolean,
  key: NoteKey,
): TransparencyError | undefined {
  const { log } = receipt;
  if (log === undefined)
    return new TransparencyError('PROOF_MALFORMED', 'the receipt has no log proof');
  const own = earlierEnvelope ? undefined : sent.signedDataHash;
  if (own !== undefined && log.signedDataHash !== undefined && own !== log.signedDataHash) {
    return new TransparencyError('INCLUSION_PROOF_INVALID', 'the log names another signature');
  }
  const signedDataHash = own ?? log.signedDataHash;
  if (signedDataHash === undefined) {
    return new TransparencyError('PROOF_MALFORMED', 'no SignedData hash for the leaf');
  }
  const leaf = reportLeaf({
    electionId: receipt.electionId,
    precinctId: receipt.precinctId,
    contestId: receipt.contestId,
    revision: receipt.revision,
    sequence: receipt.sequence,
    serverTime: receipt.serverTime,
    tallyHash: receipt.contentHash,
    source: 'kit',
    signedDataHash,
  });
  try {
    verifyLogInclusion(leaf, log, key);
    return undefined;
  } catch (error) {
    if (error instanceof TransparencyError) return error;
    throw error;
  }
}
