import { createHash } from 'node:crypto';
import {
  decideRevision,
  resultKey,
  supersedes,
  type AcceptedRevision,
  type RevisionDecision,
  type Schnellmeldung,
} from '../../election/index.ts';

/** An accepted revision with what the rules and the totals need from it. */
export type LedgerEntry = AcceptedRevision & {
  readonly precinctId: string;
  readonly contestId: string;
  readonly schnellmeldung: Schnellmeldung;
  /** when the server accepted it (the receipt's serverTime) */
  readonly acceptedAt: Date;
  /** signed by the station's kit, or phoned in and typed by two operators (decisions/0089) */
  readonly source: ReportSource;
};

export const REPORT_SOURCES = ['kit', 'telefonisch'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

const keyOf = (precinctId: string, contestId: string) => `${precinctId}\u0000${contestId}`;

/**
 * The identical-result index is keyed by a digest of the result key: the key itself lists every
 * count (~1 KB as a concatenated string per report, 147 MB with the national night stored).
 */
const digestOf = (resultKey: string) => createHash('sha256').update(resultKey).digest('base64');

function identityOf(t: Schnellmeldung): string | undefined {
  const key = resultKey(t);
  return key === undefined ? undefined : digestOf(key);
}

/**
 * The in-memory view of every accepted report, rebuilt from the database at start. It answers
 * the revision rules, the "identical result" lookup (W.301) and the previous revision (W.302) in
 * O(1), so deciding a report needs no query. Only the intake writer mutates it: it adds each
 * report as it is accepted within a batch (so the next report of the same batch sees it), and
 * rebuilds the ledger from the database when a batch fails to commit.
 */
export class Ledger {
  private readonly byKey = new Map<string, LedgerEntry[]>();
  private readonly currentByKey = new Map<string, LedgerEntry>();
  /** digest of the resultKey → precincts whose current report has exactly that result */
  private readonly identical = new Map<string, Set<string>>();

  /** The revision rules (election/revisions.ts) against what this precinct and contest have. */
  decide(
    precinctId: string,
    contestId: string,
    incoming: { revision: number; envelopeHash: string; contentHash: string },
  ): RevisionDecision {
    return decideRevision(this.byKey.get(keyOf(precinctId, contestId)) ?? [], incoming);
  }

  current(precinctId: string, contestId: string): LedgerEntry | undefined {
    return this.currentByKey.get(keyOf(precinctId, contestId));
  }

  /** Every current report (what the totals count). */
  currentEntries(): IterableIterator<LedgerEntry> {
    return this.currentByKey.values();
  }

  get currentCount(): number {
    return this.currentByKey.size;
  }

  identicalTo(key: string): readonly string[] {
    return [...(this.identical.get(digestOf(key)) ?? [])];
  }

  /**
   * Adds an accepted revision, which becomes current. Only a revision the rules decided as NEW
   * may be added; anything else is a bug (or a database that breaks SPEC §4) and throws.
   */
  add(entry: LedgerEntry): void {
    const key = keyOf(entry.precinctId, entry.contestId);
    const previous = this.currentByKey.get(key);
    if (!supersedes(entry.revision, previous?.revision)) {
      throw new Error(
        `ledger: revision ${entry.revision} of ${key} does not supersede revision ${previous?.revision}`,
      );
    }
    const list = this.byKey.get(key);
    if (list === undefined) this.byKey.set(key, [entry]);
    else list.push(entry);
    this.currentByKey.set(key, entry);
    if (previous !== undefined) this.unindex(previous);
    const rk = identityOf(entry.schnellmeldung);
    if (rk !== undefined) {
      const set = this.identical.get(rk);
      if (set === undefined) this.identical.set(rk, new Set([entry.precinctId]));
      else set.add(entry.precinctId);
    }
  }

  private unindex(entry: LedgerEntry): void {
    const rk = identityOf(entry.schnellmeldung);
    if (rk === undefined) return;
    const set = this.identical.get(rk);
    set?.delete(entry.precinctId);
    if (set?.size === 0) this.identical.delete(rk);
  }
}
