import type { ElectionIndex } from '../../election/index.ts';
import type { Logger } from '../logger.ts';
import type { ServerRepository } from '../storage/repository.ts';
import type { WriteLock } from '../write-lock.ts';
import { BatchBuilder } from './batch.ts';
import { decidePhonedIn, decideReport, type ReportDecision } from './decide.ts';
import { GroupCommitQueue } from './group-commit.ts';
import type { IntakeState } from './intake-state.ts';
import type { IntakeItem, IntakeOutcome, ReceiptSigner } from './types.ts';
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

/**
 * The single writer: a group-commit queue (group-commit.ts) whose batches are decided in arrival
 * order (decide.ts) against the ledger, which already holds the reports accepted earlier in the
 * same batch, so two kits sending for one precinct at once serialise: exactly one wins a revision.
 * The rows are assembled (batch.ts) and written in one transaction; receipts are signed inside
 * the batch (they carry the sequence number; with verification workers, signed there, while this
 * thread reads the next requests) but released only after COMMIT.
 */
export class IntakeWriter {
  private readonly queue: GroupCommitQueue<IntakeItem, IntakeOutcome>;

  constructor(private readonly deps: IntakeWriterDeps) {
    this.queue = new GroupCommitQueue({
      maxBatch: deps.maxBatch,
      maxQueue: deps.maxQueue,
      runBatch: (items) => deps.lock.run(() => this.writeOrRebuild(items)),
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

  /**
   * A batch that fails (in deciding or in the COMMIT) stored nothing: the in-memory state is
   * rebuilt from the database, and every kit of the batch gets STORAGE_FAILED and sends again.
   */
  private async writeOrRebuild(items: readonly IntakeItem[]): Promise<readonly IntakeOutcome[]> {
    try {
      return await this.write(items);
    } catch (error) {
      await this.deps.state
        .reload()
        .catch((e: unknown) => this.deps.logger.fatal({ err: e }, 'rebuilding the state failed'));
      throw error;
    }
  }

  private async write(items: readonly IntakeItem[]): Promise<readonly IntakeOutcome[]> {
    const { deps } = this;
    const { state } = deps;
    const started = performance.now();
    const builder = new BatchBuilder({
      counters: state.counters,
      audit: state.audit,
      signReceipts: deps.signReceipts,
      log: state.log,
      signCheckpoint: deps.signCheckpoint,
      now: deps.clock(),
    });
    const decidedOutcomes = items.map((item) => {
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
    const decided = performance.now();
    const { batch, lastAudit, log, receipts } = await builder.build();
    await deps.repository.commitIntake(batch);
    state.committed(builder.accepted, lastAudit, log);
    // receipts leave only after COMMIT; a new report's receipt carries the batch's checkpoint
    const outcomes = decidedOutcomes.map((outcome) =>
      outcome.kind === 'accepted' && outcome.created
        ? { ...outcome, receipt: receipts.get(outcome.sequence) }
        : outcome,
    );
    deps.logger.debug(
      {
        batch: items.length,
        accepted: builder.accepted.length,
        decideMs: Math.round(decided - started),
        commitMs: Math.round(performance.now() - decided),
      },
      'intake batch committed',
    );
    return outcomes;
  }
}
