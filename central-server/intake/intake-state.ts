import { SchnellmeldungSchema, type ElectionIndex } from '../../election/index.ts';
import { ResultsBoard } from '../results.ts';
import { AuditChain } from '../storage/audit-chain.ts';
import type { AuditRow, ReportRow, ServerRepository, StoredHeads } from '../storage/repository.ts';
import { z } from 'zod';
import { Ledger, REPORT_SOURCES, type LedgerEntry } from './ledger.ts';
import { frontierFrom, frontierNodes, nodeMap } from '../../transparency/index.ts';
import { EMPTY_LOG_HEAD, type LogHead } from '../log/append.ts';

const ReportSourceSchema = z.enum(REPORT_SOURCES);

/**
 * The server's in-memory mirror of what is committed: the ledger of accepted reports, the totals,
 * the id counters and the audit chain head. Built from the database at start, moved forward by
 * the intake writer after each COMMIT, and rebuilt from the database after a failed one.
 * Holders keep this object and read its fields at use, so a rebuild reaches all of them.
 */
export class IntakeState {
  ledger = new Ledger();
  results: ResultsBoard;
  audit = new AuditChain(null);
  counters = { lastEnvelopeId: 0, lastSequence: 0 };
  /** the transparency log's right edge and last checkpoint (decisions/0091) */
  log: LogHead = EMPTY_LOG_HEAD;
  private readonly listeners: ((accepted: readonly LedgerEntry[]) => void)[] = [];

  private constructor(
    private readonly repository: ServerRepository,
    private readonly index: ElectionIndex,
  ) {
    this.results = new ResultsBoard(index);
  }

  static async load(repository: ServerRepository, index: ElectionIndex): Promise<IntakeState> {
    const state = new IntakeState(repository, index);
    await state.reload();
    return state;
  }

  /** Rebuilds everything from the database (at start, and after a failed commit). */
  async reload(): Promise<void> {
    const stored = await this.repository.loadState();
    const ledger = new Ledger();
    const results = new ResultsBoard(this.index);
    for (const r of stored.reports) ledger.add(ledgerEntry(r));
    for (const entry of ledger.currentEntries()) results.count(entry.schnellmeldung);
    this.ledger = ledger;
    this.results = results;
    this.audit = new AuditChain(stored.auditHead);
    this.counters = { lastEnvelopeId: stored.lastEnvelopeId, lastSequence: stored.lastSequence };
    this.log = await this.loadLog(stored);
  }

  /** The log's frontier at the stored size: O(log n) nodes, read in one query. */
  private async loadLog(heads: StoredHeads): Promise<LogHead> {
    const ids = frontierNodes(heads.logSize);
    const nodes = await this.repository.logNodes(ids);
    return { frontier: frontierFrom(heads.logSize, nodeMap(nodes)), checkpoint: heads.checkpoint };
  }

  /**
   * Takes in what other servers on the same database committed since this mirror last moved
   * (PostgreSQL; decisions/0111): their reports join the ledger and the totals (and reach the
   * `committed` listeners, so every server publishes the same results), and the counters and the
   * audit head move to the database's. Runs under the write lock — before every write with the
   * database-wide lock held, so a decision is taken against everything committed. A database
   * behind this mirror (restored from a backup) is reloaded from scratch.
   */
  async catchUp(): Promise<void> {
    const tail = await this.repository.loadTail(this.counters.lastSequence);
    const { counters } = this;
    if (
      tail.lastSequence < counters.lastSequence ||
      tail.lastEnvelopeId < counters.lastEnvelopeId ||
      (tail.auditHead?.id ?? 0) < this.audit.headId ||
      tail.logSize < this.log.frontier.size
    ) {
      await this.reload();
      return;
    }
    if (
      tail.lastSequence === counters.lastSequence &&
      tail.lastEnvelopeId === counters.lastEnvelopeId &&
      (tail.auditHead?.id ?? 0) === this.audit.headId &&
      tail.logSize === this.log.frontier.size
    ) {
      return;
    }
    // everything that reads the database first: a read that fails (the database restarting)
    // must leave this mirror as it was, or the next catch-up would find the counters moved and
    // the reports never counted
    const log = tail.logSize !== this.log.frontier.size ? await this.loadLog(tail) : this.log;
    let entries: LedgerEntry[];
    try {
      entries = tail.reports.map(ledgerEntry);
      for (const entry of entries) this.ledger.add(entry);
    } catch {
      // a report the ledger cannot take (it would break SPEC §4): start again from the database
      await this.reload();
      return;
    }
    this.audit = new AuditChain(tail.auditHead);
    this.counters = { lastEnvelopeId: tail.lastEnvelopeId, lastSequence: tail.lastSequence };
    this.log = log;
    this.committed(entries, undefined);
  }

  /**
   * A batch committed: its reports count, the audit head moves to its last row, the log to the
   * batch's new head.
   */
  committed(
    accepted: readonly LedgerEntry[],
    lastAudit: AuditRow | undefined,
    log?: LogHead,
  ): void {
    if (lastAudit !== undefined) this.audit.advance(lastAudit);
    if (log !== undefined) this.log = log;
    for (const entry of accepted) this.results.count(entry.schnellmeldung);
    if (accepted.length > 0) for (const listener of this.listeners) listener(accepted);
  }

  /** Calls `listener` with the reports of every batch after its COMMIT (publication). */
  onCommitted(listener: (accepted: readonly LedgerEntry[]) => void): void {
    this.listeners.push(listener);
  }
}

/** Only what the ledger needs: a spread of the row would keep its bytes and text columns too. */
function ledgerEntry(r: Omit<ReportRow, 'signedData'>): LedgerEntry {
  const schnellmeldung = SchnellmeldungSchema.parse(
    JSON.parse(Buffer.from(r.signedBytes).toString('utf8')),
  );
  return {
    precinctId: r.precinctId,
    contestId: r.contestId,
    revision: r.revision,
    sequence: r.sequence,
    envelopeHash: r.envelopeHash,
    contentHash: r.contentHash,
    schnellmeldung,
    acceptedAt: r.acceptedAt,
    source: ReportSourceSchema.parse(r.source),
  };
}
