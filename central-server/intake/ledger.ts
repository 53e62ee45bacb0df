import { resultKey, type Schnellmeldung } from '../../election/index.ts';
import type { AcceptedRevision } from './revision-rules.ts';

/** An accepted revision with what the rules and the totals need from it. */
export type LedgerEntry = AcceptedRevision & {
  readonly precinctId: string;
  readonly contestId: string;
  readonly schnellmeldung: Schnellmeldung;
};

const keyOf = (precinctId: string, contestId: string) => `${precinctId}\u0000${contestId}`;

/**
 * The in-memory view of every accepted report, rebuilt from the database at start and updated
 * only after a batch has committed. It answers the revision rules, the "identical result"
 * lookup (W.301) and the previous revision (W.302) in O(1), so deciding a report needs no query.
 * Only the intake writer mutates it, one batch at a time.
 */
export class Ledger {
  private readonly byKey = new Map<string, LedgerEntry[]>();
  private readonly currentByKey = new Map<string, LedgerEntry>();
  /** resultKey → precincts whose current report has exactly that result */
  private readonly identical = new Map<string, Set<string>>();

  accepted(precinctId: string, contestId: string): readonly LedgerEntry[] {
    return this.byKey.get(keyOf(precinctId, contestId)) ?? [];
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
    return [...(this.identical.get(key) ?? [])];
  }

  /** Adds an accepted revision; returns the entry it supersedes as current, if any. */
  add(entry: LedgerEntry): LedgerEntry | undefined {
    const key = keyOf(entry.precinctId, entry.contestId);
    const list = this.byKey.get(key);
    if (list === undefined) this.byKey.set(key, [entry]);
    else list.push(entry);
    const previous = this.currentByKey.get(key);
    if (previous !== undefined && previous.revision > entry.revision) return undefined;
    this.currentByKey.set(key, entry);
    if (previous !== undefined) this.unindex(previous);
    const rk = resultKey(entry.schnellmeldung);
    if (rk !== undefined) {
      const set = this.identical.get(rk);
      if (set === undefined) this.identical.set(rk, new Set([entry.precinctId]));
      else set.add(entry.precinctId);
    }
    return previous;
  }

  private unindex(entry: LedgerEntry): void {
    const rk = resultKey(entry.schnellmeldung);
    if (rk === undefined) return;
    const set = this.identical.get(rk);
    set?.delete(entry.precinctId);
    if (set?.size === 0) this.identical.delete(rk);
  }
}
