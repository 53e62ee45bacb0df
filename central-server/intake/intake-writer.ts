import { assessSchnellmeldung, type ElectionIndex } from '../../election/index.ts';
import type { Logger } from '../logger.ts';
import type { AuditChain } from '../storage/audit-chain.ts';
import type {
  AuditRow,
  EnvelopeRow,
  IntakeBatch,
  ServerRepository,
} from '../storage/repository.ts';
import type { WriteLock } from '../write-lock.ts';
import { auditEventFor, envelopeRow } from './batch-rows.ts';
import type { Ledger, LedgerEntry } from './ledger.ts';
import { decideRevision } from './revision-rules.ts';
import type { OpenedMeldung, ReceiptSigner } from './types.ts';

/** A report that passed the session and envelope checks and now needs the stateful ones. */
export type Candidate = {
  readonly kind: 'candidate';
  readonly requestId: string;
  readonly receivedAt: Date;
  readonly body: Uint8Array;
  readonly opened: OpenedMeldung;
};

/** A report refused before it reached the writer; stored as a rejected attempt. */
export type Refused = {
  readonly kind: 'refused';
  readonly requestId: string;
  readonly receivedAt: Date;
  readonly body: Uint8Array;
  readonly precinctId: string | null;
  readonly contestId: string | null;
  readonly revision: number | null;
  readonly code: string;
  readonly details: Record<string, unknown>;
};

export type IntakeOutcome =
  | {
      readonly kind: 'accepted';
      readonly sequence: number;
      readonly revision: number;
      readonly created: boolean;
      /** the signed receipt of a new report (a repeat's is looked up) */
      readonly receipt?: { readonly receipt: Uint8Array; readonly receiptCode: string };
    }
  | { readonly kind: 'rejected'; readonly code: string; readonly details: Record<string, unknown> }
  | { readonly kind: 'failed'; readonly code: 'STORAGE_FAILED' | 'SERVER_BUSY' };

type Pending = { item: Candidate | Refused; resolve: (o: IntakeOutcome) => void };

export type IntakeWriterDeps = {
  readonly repository: ServerRepository;
  readonly ledger: Ledger;
  readonly audit: AuditChain;
  readonly lock: WriteLock;
  readonly index: ElectionIndex;
  readonly signReceipt: ReceiptSigner;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly maxBatch: number;
  readonly maxQueue: number;
  readonly counters: { lastEnvelopeId: number; lastSequence: number };
  /** called after a batch committed, with the reports that became current */
  readonly onCommitted: (accepted: readonly LedgerEntry[]) => void;
  /** rebuilds ledger, counters and audit head from the database after a failed commit */
  readonly reload: () => Promise<void>;
};

/**
 * The single writer with group commit: reports queue up while a transaction is in flight, and the
 * next transaction takes all of them (up to `maxBatch`). Each report is decided in arrival order
 * against the ledger, which already holds the reports decided earlier in the same batch, so two
 * kits sending for one precinct at once serialise: exactly one wins a revision. Receipts are
 * signed inside the batch (they carry the sequence number) but released only after COMMIT.
 */
export class IntakeWriter {
  private readonly queue: Pending[] = [];
  private draining = false;

  constructor(private readonly deps: IntakeWriterDeps) {}

  get queued(): number {
    return this.queue.length;
  }

  submit(item: Candidate | Refused): Promise<IntakeOutcome> {
    if (this.queue.length >= this.deps.maxQueue) {
      return Promise.resolve({ kind: 'failed', code: 'SERVER_BUSY' });
    }
    return new Promise((resolve) => {
      this.queue.push({ item, resolve });
      void this.drain();
    });
  }

  /** Resolves when everything queued so far has been written (for a clean shutdown). */
  async flush(): Promise<void> {
    while (this.draining || this.queue.length > 0) {
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  private async drain(): Promise<void> {
    if (this.draining) return;
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        // Let pending I/O and verifications finish first, so they join this transaction. The
        // COMMIT (and its fsync) runs in the SQLite writer thread; meanwhile the next batch grows.
        await new Promise((resolve) => setImmediate(resolve));
        const batch = this.queue.splice(0, this.deps.maxBatch);
        await this.deps.lock
          .run(() => this.process(batch))
          .catch(async (error: unknown) => {
            // A bug in deciding must not take the server down: nothing of the batch was stored,
            // every kit gets 503 and resends, the in-memory state is rebuilt from the database.
            this.deps.logger.error({ err: error, batch: batch.length }, 'intake batch failed');
            await this.deps
              .reload()
              .catch((e: unknown) => this.deps.logger.fatal({ err: e }, 'reload failed'));
            for (const p of batch) p.resolve({ kind: 'failed', code: 'STORAGE_FAILED' });
          });
      }
    } finally {
      this.draining = false;
    }
  }

  private async process(batch: Pending[]): Promise<void> {
    const { deps } = this;
    const rows = {
      envelopes: [] as EnvelopeRow[],
      reports: [] as IntakeBatch['reports'][number][],
      receipts: [] as IntakeBatch['receipts'][number][],
      current: new Map<string, IntakeBatch['current'][number]>(),
      audit: [] as AuditRow[],
    };
    const started = performance.now();
    const outcomes: IntakeOutcome[] = [];
    const accepted: LedgerEntry[] = [];
    let lastAudit: AuditRow | undefined;
    const audit = (row: Parameters<AuditChain['draft']>[0]) => {
      lastAudit = deps.audit.draft(row, lastAudit);
      rows.audit.push(lastAudit);
    };
    for (const { item } of batch) {
      const envelopeId = ++deps.counters.lastEnvelopeId;
      const outcome =
        item.kind === 'refused' ? this.refuse(item) : this.decide(item, envelopeId, rows, accepted);
      outcomes.push(outcome);
      const envelope = envelopeRow(item, envelopeId, outcome);
      rows.envelopes.push(envelope);
      const event = auditEventFor(envelope, outcome);
      if (event !== null) audit(event);
    }
    const decided = performance.now();
    try {
      await deps.repository.commitIntake({ ...rows, current: [...rows.current.values()] });
    } catch (error) {
      deps.logger.error(
        { err: error, batch: batch.length },
        'intake batch failed to commit; nothing of it was stored',
      );
      await deps.reload();
      for (const p of batch) p.resolve({ kind: 'failed', code: 'STORAGE_FAILED' });
      return;
    }
    if (lastAudit !== undefined) deps.audit.advance(lastAudit);
    deps.logger.debug(
      {
        batch: batch.length,
        accepted: accepted.length,
        decideMs: Math.round(decided - started),
        commitMs: Math.round(performance.now() - decided),
      },
      'intake batch committed',
    );
    try {
      deps.onCommitted(accepted);
    } catch (error) {
      deps.logger.error({ err: error }, 'updating the totals after a commit failed');
    }
    batch.forEach((p, i) => p.resolve(outcomes[i] as IntakeOutcome));
  }

  private refuse(item: Refused): IntakeOutcome {
    return { kind: 'rejected', code: item.code, details: item.details };
  }

  private decide(
    item: Candidate,
    envelopeId: number,
    rows: {
      reports: IntakeBatch['reports'][number][];
      receipts: IntakeBatch['receipts'][number][];
      current: Map<string, IntakeBatch['current'][number]>;
    },
    accepted: LedgerEntry[],
  ): IntakeOutcome {
    const { deps } = this;
    const { opened } = item;
    const t = opened.schnellmeldung;
    const decision = decideRevision(deps.ledger.accepted(t.precinctId, t.contestId), {
      revision: t.revision,
      envelopeHash: opened.envelopeHash,
      contentHash: opened.contentHash,
    });
    switch (decision.kind) {
      case 'REPEAT':
        return {
          kind: 'accepted',
          sequence: decision.original.sequence,
          revision: decision.original.revision,
          created: false,
        };
      case 'REVISION_CONFLICT':
      case 'REVISION_OUTDATED':
        return {
          kind: 'rejected',
          code: decision.kind,
          details: { acceptedRevision: decision.current.revision },
        };
      case 'NEW':
        break;
    }
    const previous = deps.ledger.current(t.precinctId, t.contestId);
    const assessment = assessSchnellmeldung(t, {
      index: deps.index,
      ...(previous === undefined ? {} : { previous: previous.schnellmeldung }),
      identicalTo: (key) => deps.ledger.identicalTo(key),
    });
    if (assessment.errors.length > 0) {
      return {
        kind: 'rejected',
        code: 'PLAUSIBILITY_ERROR',
        details: { findings: assessment.errors },
      };
    }
    if (assessment.unacknowledgedWarnings.length > 0) {
      return {
        kind: 'rejected',
        code: 'UNACKNOWLEDGED_WARNING',
        details: { findings: assessment.unacknowledgedWarnings },
      };
    }
    const sequence = ++deps.counters.lastSequence;
    const now = deps.clock();
    const signed = deps.signReceipt({
      electionId: t.electionId,
      precinctId: t.precinctId,
      contestId: t.contestId,
      revision: t.revision,
      sequence,
      reportHash: opened.contentHash,
      envelopeHash: opened.envelopeHash,
      receivedAt: now,
    });
    rows.reports.push({
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
      certSerial: opened.signer.serial,
      certFingerprint: opened.signer.fingerprint,
      signingTime: opened.signingTime,
      acceptedAt: now,
      acknowledgements: JSON.stringify(t.acknowledgements),
    });
    rows.receipts.push({
      sequence,
      issuedAt: now,
      receipt: signed.receipt,
      receiptCode: signed.receiptCode,
    });
    const entry: LedgerEntry = {
      precinctId: t.precinctId,
      contestId: t.contestId,
      revision: t.revision,
      sequence,
      envelopeHash: opened.envelopeHash,
      contentHash: opened.contentHash,
      schnellmeldung: t,
    };
    deps.ledger.add(entry);
    accepted.push(entry);
    rows.current.set(`${t.precinctId}\u0000${t.contestId}`, {
      precinctId: t.precinctId,
      contestId: t.contestId,
      sequence,
      revision: t.revision,
    });
    return { kind: 'accepted', sequence, revision: t.revision, created: true, receipt: signed };
  }
}
