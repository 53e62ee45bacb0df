import { hash } from 'node:crypto';
import { ServerError } from '../errors.ts';
import type { AuditChain, AuditDraft } from '../storage/audit-chain.ts';
import type {
  AuditRow,
  CurrentRow,
  EnvelopeRow,
  IntakeBatch,
  ReceiptRow,
  ReportRow,
} from '../storage/repository.ts';
import type { ReportDecision } from './decide.ts';
import type { LedgerEntry } from './ledger.ts';
import type { ResultIdentity } from './result-identity.ts';
import type { Schnellmeldung } from '../../election/index.ts';
import type {
  Candidate,
  IntakeItem,
  IntakeOutcome,
  PhonedIn,
  ReceiptFields,
  ReceiptSigner,
  SignedReceipt,
} from './types.ts';
import { reportLeaf } from '../../transparency/index.ts';
import { appendToLog, type CheckpointSigner, type LogHead } from '../log/append.ts';

/** What an accepted report stores besides the Schnellmeldung: hashes, signature and signer. */
type Accepting = {
  readonly schnellmeldung: Schnellmeldung;
  readonly envelopeHash: string;
  readonly contentHash: string;
  readonly signedBytes: Uint8Array;
  readonly signedData: Uint8Array;
  /** SHA-256 (hex) of the station's SignedData, which the log leaf names; none when phoned in */
  readonly signedDataHash: string | undefined;
  readonly certSerial: string;
  readonly certFingerprint: string;
  readonly signingTime: Date;
  readonly source: LedgerEntry['source'];
};

const NO_SIGNATURE = new Uint8Array(0);

/** A kit's verified envelope as it is stored. */
function fromKit(item: Candidate): Accepting {
  const { opened } = item;
  return {
    schnellmeldung: opened.schnellmeldung,
    envelopeHash: opened.envelopeHash,
    contentHash: opened.contentHash,
    signedBytes: opened.signedBytes,
    signedData: opened.signedData,
    signedDataHash: opened.signedDataHash,
    certSerial: opened.signer.serial,
    certFingerprint: opened.signer.fingerprint,
    signingTime: opened.signingTime,
    source: 'kit',
  };
}

/**
 * A phoned-in result as it is stored: its canonical bytes, no station signature (empty
 * signedData, no signer), "signed" at the time the second operator agreed (decisions/0089).
 */
function fromPhone(item: PhonedIn): Accepting {
  return {
    schnellmeldung: item.schnellmeldung,
    envelopeHash: item.contentHash,
    contentHash: item.contentHash,
    signedBytes: item.bytes,
    signedData: NO_SIGNATURE,
    signedDataHash: undefined,
    certSerial: '',
    certFingerprint: '',
    signingTime: item.receivedAt,
    source: 'telefonisch',
  };
}

function schnellmeldungOf(item: IntakeItem): Schnellmeldung | null {
  switch (item.kind) {
    case 'candidate':
      return item.opened.schnellmeldung;
    case 'phoned':
      return item.schnellmeldung;
    case 'refused':
      return null;
  }
}

const sha256 = (b: Uint8Array) => hash('sha256', b, 'hex');

export type BatchContext = {
  readonly counters: { lastEnvelopeId: number; lastSequence: number };
  readonly audit: AuditChain;
  readonly signReceipts: ReceiptSigner;
  /** the transparency log before this batch, and its checkpoint key */
  readonly log: LogHead;
  readonly signCheckpoint: CheckpointSigner;
  readonly now: Date;
};

/** The leaf record of an accepted report (transparency/leaf.ts). */
function leafOf(
  opened: Accepting,
  sequence: number,
  now: Date,
  signedDataHash: string | undefined,
): string {
  const t = opened.schnellmeldung;
  const common = {
    electionId: t.electionId,
    precinctId: t.precinctId,
    contestId: t.contestId,
    revision: t.revision,
    sequence,
    serverTime: now.toISOString(),
    tallyHash: opened.contentHash,
  };
  return signedDataHash === undefined
    ? reportLeaf({ ...common, source: 'telefonisch' })
    : reportLeaf({ ...common, source: 'kit', signedDataHash });
}

/**
 * Assembles the rows of one group commit from decided reports: every envelope with its verdict,
 * and for a NEW report its sequence number, report row, transparency-log leaf, current-revision
 * pointer and audit event; `build` appends the leaves to the log, signs the checkpoint and then
 * the receipts (each carries its inclusion proof). A new per-report row is added in `accept` and
 * to `IntakeBatch`; the store writes all of it in the one transaction.
 */
export class BatchBuilder {
  private readonly envelopes: EnvelopeRow[] = [];
  private readonly reports: ReportRow[] = [];
  private readonly toSign: ReceiptFields[] = [];
  private readonly leaves: { sequence: number; leaf: string }[] = [];
  /** per receipt to sign: the SignedData hash its leaf names (kit reports only) */
  private readonly signedDataHashes: (string | undefined)[] = [];
  private readonly current = new Map<string, CurrentRow>();
  private readonly audit: AuditRow[] = [];
  /** the reports that became current, in order */
  readonly accepted: LedgerEntry[] = [];

  constructor(private readonly context: BatchContext) {}

  /**
   * Adds one decided item; returns what its kit will be answered once the batch committed, and
   * for a NEW report the ledger entry it becomes.
   */
  add(item: IntakeItem, decision: ReportDecision): { outcome: IntakeOutcome; entry?: LedgerEntry } {
    const envelopeId = ++this.context.counters.lastEnvelopeId;
    switch (decision.kind) {
      case 'REFUSED': {
        const { refusal } = decision;
        const details = refusal instanceof ServerError ? refusal.details : {};
        this.envelope(item, envelopeId, 'REJECTED', refusal.code, details);
        return { outcome: { kind: 'rejected', refusal } };
      }
      case 'REPEAT': {
        const { sequence, revision } = decision;
        this.envelope(item, envelopeId, 'REPEATED', null, {}, { sequence, revision });
        return { outcome: { kind: 'accepted', sequence, revision, created: false } };
      }
      case 'NEW':
        if (item.kind === 'refused') throw new Error('a refused item cannot be accepted');
        return this.accept(
          item,
          item.kind === 'phoned' ? fromPhone(item) : fromKit(item),
          envelopeId,
          decision.resultIdentity,
        );
    }
  }

  /**
   * The batch as the store writes it, the last audit row (the chain head after COMMIT), the log's
   * head after COMMIT, and the signed receipt of each new report by sequence number.
   */
  async build(): Promise<{
    batch: IntakeBatch;
    lastAudit: AuditRow | undefined;
    log: LogHead;
    receipts: ReadonlyMap<number, SignedReceipt>;
  }> {
    const { context } = this;
    const log =
      this.leaves.length === 0
        ? undefined
        : appendToLog(context.log, this.leaves, context.signCheckpoint, context.now);
    const toSign = this.toSign.map((fields, k) => {
      const inclusion = log?.inclusions[k];
      const signedDataHash = this.signedDataHashes[k];
      return {
        ...fields,
        log:
          inclusion === undefined || signedDataHash === undefined
            ? inclusion
            : { ...inclusion, signedDataHash },
      };
    });
    const signedAll = toSign.length === 0 ? [] : await context.signReceipts(toSign);
    if (signedAll.length !== toSign.length) {
      throw new Error(`${signedAll.length} receipts signed for ${toSign.length} reports`);
    }
    const receipts = new Map<number, SignedReceipt>();
    const receiptRows: ReceiptRow[] = toSign.map((fields, k) => {
      const signed = signedAll[k]!;
      receipts.set(fields.sequence, signed);
      // not the answer's text: the store has no use for it (and the writer thread would get a copy)
      const { receipt, receiptCode } = signed;
      return { sequence: fields.sequence, issuedAt: context.now, receipt, receiptCode };
    });
    return {
      batch: {
        envelopes: this.envelopes,
        reports: this.reports,
        receipts: receiptRows,
        current: [...this.current.values()],
        audit: this.audit,
        leaves: log?.leaves ?? [],
        nodes: log?.nodes ?? [],
        checkpoints: log === undefined ? [] : [log.checkpoint],
      },
      lastAudit: this.audit.at(-1),
      log: log?.head ?? context.log,
      receipts,
    };
  }

  private accept(
    item: Candidate | PhonedIn,
    opened: Accepting,
    envelopeId: number,
    resultIdentity: ResultIdentity | undefined,
  ): { outcome: IntakeOutcome; entry: LedgerEntry } {
    const t = opened.schnellmeldung;
    const sequence = ++this.context.counters.lastSequence;
    const now = this.context.now;
    this.toSign.push({
      electionId: t.electionId,
      precinctId: t.precinctId,
      contestId: t.contestId,
      revision: t.revision,
      sequence,
      reportHash: opened.contentHash,
      envelopeHash: opened.envelopeHash,
      receivedAt: now,
    });
    const { signedDataHash } = opened;
    this.signedDataHashes.push(signedDataHash);
    this.leaves.push({ sequence, leaf: leafOf(opened, sequence, now, signedDataHash) });
    this.envelope(item, envelopeId, 'ACCEPTED', null, {}, { sequence, revision: t.revision });
    this.reports.push({
      sequence,
      envelopeId,
      electionId: t.electionId,
      precinctId: t.precinctId,
      contestId: t.contestId,
      revision: t.revision,
      correctionReason: t.correctionReason ?? null,
      envelopeHash: opened.envelopeHash,
      contentHash: opened.contentHash,
      signedBytes: opened.signedBytes,
      signedData: opened.signedData,
      counts: JSON.stringify(t.counts),
      certSerial: opened.certSerial,
      certFingerprint: opened.certFingerprint,
      signingTime: opened.signingTime,
      acceptedAt: now,
      acknowledgements: JSON.stringify(t.acknowledgements),
      source: opened.source,
    });
    this.current.set(`${t.precinctId}\u0000${t.contestId}`, {
      precinctId: t.precinctId,
      contestId: t.contestId,
      sequence,
      revision: t.revision,
    });
    const entry: LedgerEntry = {
      precinctId: t.precinctId,
      contestId: t.contestId,
      revision: t.revision,
      sequence,
      envelopeHash: opened.envelopeHash,
      contentHash: opened.contentHash,
      schnellmeldung: t,
      acceptedAt: now,
      source: opened.source,
      ...(resultIdentity === undefined ? {} : { resultIdentity }),
    };
    this.accepted.push(entry);
    return {
      outcome: { kind: 'accepted', sequence, revision: t.revision, created: true },
      entry,
    };
  }

  /** The stored record of one received envelope, whatever became of it, and its audit event. */
  private envelope(
    item: IntakeItem,
    id: number,
    verdict: EnvelopeRow['verdict'],
    code: string | null,
    details: Readonly<Record<string, unknown>>,
    accepted?: { sequence: number; revision: number },
  ): void {
    const t = schnellmeldungOf(item);
    const row: EnvelopeRow = {
      id,
      receivedAt: item.receivedAt,
      requestId: item.requestId,
      precinctId: t?.precinctId ?? (item.kind === 'refused' ? item.precinctId : null),
      contestId: t?.contestId ?? null,
      revision: t?.revision ?? null,
      sha256:
        item.kind === 'candidate'
          ? item.opened.envelopeHash
          : item.kind === 'phoned'
            ? item.contentHash
            : sha256(item.body),
      body: item.kind === 'phoned' ? item.bytes : item.body,
      verdict,
      code,
      detail: Object.keys(details).length > 0 ? JSON.stringify(details) : null,
    };
    this.envelopes.push(row);
    const base = { at: row.receivedAt, precinctId: row.precinctId, requestId: row.requestId };
    // a phoned-in result names the two operators who typed it in every event it causes
    const phoned =
      item.kind === 'phoned'
        ? { source: 'telefonisch', operators: item.operators.map((o) => ({ ...o })) }
        : {};
    const event: AuditDraft =
      accepted === undefined
        ? {
            ...base,
            kind: item.kind === 'phoned' ? 'PHONED_RESULT_REJECTED' : 'REPORT_REJECTED',
            data: { envelopeId: id, code, ...phoned },
          }
        : {
            ...base,
            kind:
              verdict !== 'ACCEPTED'
                ? 'REPORT_REPEATED'
                : item.kind === 'phoned'
                  ? 'REPORT_PHONED_IN'
                  : 'REPORT_ACCEPTED',
            data: { envelopeId: id, ...accepted, contestId: row.contestId, ...phoned },
          };
    this.audit.push(this.context.audit.draft(event, this.audit.at(-1)));
  }
}
