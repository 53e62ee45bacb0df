import { SchnellmeldungSchema, type ElectionIndex } from '../../election/index.ts';
import { ResultsBoard } from '../results.ts';
import { AuditChain } from '../storage/audit-chain.ts';
import type { AuditRow, ServerRepository } from '../storage/repository.ts';
import { Ledger, type LedgerEntry } from './ledger.ts';

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
    for (const r of stored.reports) {
      const schnellmeldung = SchnellmeldungSchema.parse(
        JSON.parse(Buffer.from(r.signedBytes).toString('utf8')),
      );
      ledger.add({ ...r, schnellmeldung });
    }
    for (const entry of ledger.currentEntries()) results.count(entry.schnellmeldung);
    this.ledger = ledger;
    this.results = results;
    this.audit = new AuditChain(stored.auditHead);
    this.counters = { lastEnvelopeId: stored.lastEnvelopeId, lastSequence: stored.lastSequence };
  }

  /** A batch committed: its reports count, the audit head moves to its last row. */
  committed(accepted: readonly LedgerEntry[], lastAudit: AuditRow | undefined): void {
    if (lastAudit !== undefined) this.audit.advance(lastAudit);
    for (const entry of accepted) this.results.count(entry.schnellmeldung);
    if (accepted.length > 0) for (const listener of this.listeners) listener(accepted);
  }

  /** Calls `listener` with the reports of every batch after its COMMIT (publication). */
  onCommitted(listener: (accepted: readonly LedgerEntry[]) => void): void {
    this.listeners.push(listener);
  }
}
