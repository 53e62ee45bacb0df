import type { ElectionIndex } from '../../election/index.ts';
import type { Logger } from '../logger.ts';
import type { AuditRow, IntakeBatch, ServerRepository } from '../storage/repository.ts';
import { AuditChain } from '../storage/audit-chain.ts';
import type { LogHead } from '../log/append.ts';
import type { LedgerEntry } from './ledger.ts';
import type { WriteLock } from '../write-lock.ts';
import { BatchBuilder } from './batch.ts';
import { decidePhonedIn, decideReport, type ReportDecision } from './decide.ts';
import { GroupCommitQueue } from './group-commit.ts';
import type { IntakeState } from './intake-state.ts';
import type { IntakeItem, IntakeOutcome, ReceiptSigner, SignedReceipt } from './types.ts';
import type { CheckpointSigner } from '../log/append.ts';

export type IntakeWriterDeps = {
  readonly repository: ServerRepository;
  readonly state: IntakeState;
  readonly lock: WriteLock;
  readonly index: ElectionIndex;
  readonly signReceipts: ReceiptSigner;
  readonly signCheckpoint: CheckpointSigner;
  readonly clock: () => Date;
  readonly logger: Logger;
  readonly maxBatch: number;
  readonly maxQueue: number;
};

/** A decided batch, ready to be written: its rows, and what follows once they are committed. */
type PreparedBatch = {
  readonly batch: IntakeBatch;
  readonly accepted: readonly LedgerEntry[];
  readonly lastAudit: AuditRow | undefined;
  readonly log: LogHead;
  readonly outcomes: readonly IntakeOutcome[];
  readonly receipts: ReadonlyMap<number, SignedReceipt>;
  readonly items: number;
  readonly prepareMs: number;
};

/** Where the next batch chains on: the audit chain and the log as the last prepared batch left them. */
type Heads = { readonly audit: AuditChain; readonly log: LogHead; readonly after: PreparedBatch };

/** The longest the writer holds the write lock for a run of batches before letting others in. */
const MAX_HOLD_MS = 100;

/** A batch is prepared beside a commit once this many reports wait (fewer wait for the commit). */
const MIN_AHEAD = 8;

/**
 * The single writer: a group-commit queue (group-commit.ts) whose batches are decided in arrival
 * order (decide.ts) against the ledger, which already holds the reports accepted earlier in the
 * same batch and in the batch still committing, so two kits sending for one precinct at once
 * serialise: exactly one wins a revision. The rows are assembled (batch.ts) and written in one
 * transaction; receipts are signed while the batch is prepared (they carry the sequence number
 * and the log's inclusion proof; in their own thread, while this one reads the next requests) but
 * released only after COMMIT. The next batch is prepared while one commits (decisions/0055).
 */
export class IntakeWriter {
  private readonly queue: GroupCommitQueue<IntakeItem, IntakeOutcome, PreparedBatch>;
  /** the heads after the last prepared batch, while it has not committed (within one hold) */
  private ahead: Heads | undefined;

  constructor(private readonly deps: IntakeWriterDeps) {
    this.queue = new GroupCommitQueue({
      maxBatch: deps.maxBatch,
      maxQueue: deps.maxQueue,
      prepare: (items) => this.prepare(items),
      commit: (prepared) => this.commit(prepared),
      // A batch that fails (in deciding or in the COMMIT) stored nothing, nor did any prepared
      // after it: the in-memory state is rebuilt from the database, and every kit of those
      // batches gets STORAGE_FAILED and sends again.
      recover: () => {
        this.ahead = undefined;
        return deps.state.reload();
      },
      // other writers (sessions, the office) move the audit head between holds
      hold: (run) =>
        deps.lock.run(() => {
          this.ahead = undefined;
          return run();
        }),
      maxHoldMs: MAX_HOLD_MS,
      minAhead: MIN_AHEAD,
      failed: { kind: 'failed', code: 'STORAGE_FAILED' },
      busy: { kind: 'failed', code: 'SERVER_BUSY' },
      logger: deps.logger,
    });
  }

  get queued(): number {
    return this.queue.queued;
  }

  submit(item: IntakeItem): Promise<IntakeOutcome> {
    return this.queue.submit(item);
  }

  /** Resolves when everything queued so far has been written (for a clean shutdown). */
  flush(): Promise<void> {
    return this.queue.flush();
  }

  private async prepare(items: readonly IntakeItem[]): Promise<PreparedBatch> {
    const { deps } = this;
    const { state } = deps;
    const started = performance.now();
    const heads = this.ahead ?? { audit: state.audit, log: state.log };
    const builder = new BatchBuilder({
      counters: state.counters,
      audit: heads.audit,
      signReceipts: deps.signReceipts,
      log: heads.log,
      signCheckpoint: deps.signCheckpoint,
      now: deps.clock(),
    });
    const outcomes = items.map((item) => {
      const context = { ledger: state.ledger, index: deps.index };
      const decision: ReportDecision =
        item.kind === 'refused'
          ? { kind: 'REFUSED', refusal: item.refusal }
          : item.kind === 'phoned'
            ? decidePhonedIn({ ...item, envelopeHash: item.contentHash }, context)
            : decideReport(item.opened, context);
      const { outcome, entry } = builder.add(item, decision);
      if (entry !== undefined) state.ledger.add(entry);
      return outcome;
    });
    const { batch, lastAudit, log, receipts } = await builder.build();
    const prepared: PreparedBatch = {
      batch,
      accepted: builder.accepted,
      lastAudit,
      log,
      outcomes,
      receipts,
      items: items.length,
      prepareMs: performance.now() - started,
    };
    this.ahead = {
      audit: lastAudit === undefined ? heads.audit : new AuditChain(lastAudit),
      log,
      after: prepared,
    };
    return prepared;
  }

  private async commit(prepared: PreparedBatch): Promise<readonly IntakeOutcome[]> {
    const { deps } = this;
    const started = performance.now();
    await deps.repository.commitIntake(prepared.batch);
    deps.state.committed(prepared.accepted, prepared.lastAudit, prepared.log);
    if (this.ahead?.after === prepared) this.ahead = undefined;
    deps.logger.debug(
      {
        batch: prepared.items,
        accepted: prepared.accepted.length,
        prepareMs: Math.round(prepared.prepareMs),
        commitMs: Math.round(performance.now() - started),
      },
      'intake batch committed',
    );
    // receipts leave only after COMMIT; a new report's receipt carries the batch's checkpoint
    return prepared.outcomes.map((outcome) =>
      outcome.kind === 'accepted' && outcome.created
        ? { ...outcome, receipt: prepared.receipts.get(outcome.sequence) }
        : outcome,
    );
  }
}
