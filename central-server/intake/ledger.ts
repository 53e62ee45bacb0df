import {
  decideRevision,
  supersedes,
  type Acknowledgement,
  type AcceptedRevision,
  type RevisionDecision,
  type Schnellmeldung,
  type Tally,
} from '../../election/index.ts';
import { CountRows, grown } from './count-rows.ts';
import { DigestColumn } from './digest-column.ts';
import { identityOfKey, resultIdentity, type ResultIdentity } from './result-identity.ts';

export const REPORT_SOURCES = ['kit', 'telefonisch'] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

/** A current report as the ledger keeps it: the revision facts and its tally. */
export type LedgerReport = AcceptedRevision & {
  readonly precinctId: string;
  readonly contestId: string;
  readonly schnellmeldung: Tally;
  /** when the server accepted it (the receipt's serverTime) */
  readonly acceptedAt: Date;
  /** signed by the station's kit, or phoned in and typed by two operators (decisions/0089) */
  readonly source: ReportSource;
  /**
   * its result identity when already worked out (the intake writer's, from the rules' W.301
   * lookup); absent, whoever needs it computes it from the tally
   */
  readonly resultIdentity?: ResultIdentity;
};

/** An accepted revision as the intake accepted it, with the whole Schnellmeldung. */
export type LedgerEntry = LedgerReport & { readonly schnellmeldung: Schnellmeldung };

/** A report's result identity: the one it came with, or worked out from its tally. */
const identityOf = (report: LedgerReport): ResultIdentity =>
  report.resultIdentity !== undefined
    ? report.resultIdentity
    : resultIdentity(report.schnellmeldung);

/**
 * The in-memory view of every accepted report, rebuilt from the database at start. It answers
 * the revision rules, the "identical result" lookup (W.301) and the previous revision (F.011,
 * W.302) in O(1), so deciding a report needs no query. Only the intake writer mutates it: it adds
 * each report as it is accepted within a batch (so the next report of the same batch sees it),
 * and rebuilds the ledger from the database when a batch fails to commit.
 *
 * It keeps no parsed Schnellmeldung (~1 KB each with its counts object; 95,185 on the national
 * night): a slot per precinct and contest holds the current report's revision facts in columns,
 * its counts as a Uint32 row (CountRows) and its acknowledgements if it has any; the revisions
 * before it keep only what the revision rules compare. Nothing reads more of a previous report
 * than that — the rules read its revision and counts, the office's views its sequence, source
 * and acknowledgements —, and the signed whole is the stored row.
 */
export class Ledger {
  /**
   * precinct → its first slot; its other contests' slots follow through `nextOfPrecinct` (a key
   * per precinct and contest was a concatenated string each, ~60 B a report)
   */
  private readonly firstSlot = new Map<string, number>();
  private nextOfPrecinct = new Int32Array(0);
  private slotCount = 0;
  private readonly precinctIds: string[] = [];
  private readonly contestIds: string[] = [];
  private readonly electionIds: string[] = [];
  private readonly envelopeHashes = new DigestColumn();
  private readonly contentHashes = new DigestColumn();
  private revisions = new Float64Array(0);
  private sequences = new Float64Array(0);
  private acceptedAt = new Float64Array(0);
  private sources = new Uint8Array(0);
  private readonly counts = new CountRows();
  private readonly acknowledgements = new Map<number, Acknowledgement[]>();
  /** slot → the revisions accepted before its current one (a corrected precinct and contest) */
  private readonly earlier = new Map<number, AcceptedRevision[]>();
  /** contest and election ids, one string each */
  private readonly names = new Map<string, string>();
  /**
   * result identity (a digest of the resultKey: the key itself lists every count, ~1 KB a report,
   * 147 MB with the national night stored) → the precinct (or precincts, in the order they came)
   * whose current report has exactly that result; nearly every result is one precinct's, and a
   * Set each was ~0.1 KB more per report
   */
  private readonly identical = new Map<string, string | Set<string>>();

  /** The revision rules (election/revisions.ts) against what this precinct and contest have. */
  decide(
    precinctId: string,
    contestId: string,
    incoming: { revision: number; envelopeHash: string; contentHash: string },
  ): RevisionDecision {
    const slot = this.slotOf(precinctId, contestId);
    if (slot === undefined) return decideRevision([], incoming);
    return decideRevision([...(this.earlier.get(slot) ?? []), this.revisionAt(slot)], incoming);
  }

  current(precinctId: string, contestId: string): LedgerReport | undefined {
    const slot = this.slotOf(precinctId, contestId);
    return slot === undefined ? undefined : this.reportAt(slot);
  }

  /** Every current report (what the totals count), in the order their precincts first reported. */
  *currentEntries(): IterableIterator<LedgerReport> {
    for (let slot = 0; slot < this.slotCount; slot += 1) yield this.reportAt(slot);
  }

  get currentCount(): number {
    return this.slotCount;
  }

  identicalTo(key: string): readonly string[] {
    return this.holding(identityOfKey(key));
  }

  /** The precincts whose current report has this result identity (`identicalTo` by digest). */
  holding(identity: string): readonly string[] {
    const precincts = this.identical.get(identity);
    if (precincts === undefined) return [];
    return typeof precincts === 'string' ? [precincts] : [...precincts];
  }

  /**
   * Adds an accepted revision, which becomes current. Only a revision the rules decided as NEW
   * may be added; anything else is a bug (or a database that breaks SPEC §4) and throws.
   */
  add(entry: LedgerEntry): void {
    let slot = this.slotOf(entry.precinctId, entry.contestId);
    const previous = slot === undefined ? undefined : this.revisions[slot];
    if (!supersedes(entry.revision, previous)) {
      throw new Error(
        `ledger: revision ${entry.revision} of ${entry.precinctId}\u0000${entry.contestId} does not supersede revision ${previous}`,
      );
    }
    if (slot === undefined) {
      slot = this.newSlot(entry.precinctId);
    } else {
      const list = this.earlier.get(slot);
      if (list === undefined) this.earlier.set(slot, [this.revisionAt(slot)]);
      else list.push(this.revisionAt(slot));
      this.unindex(slot);
    }
    this.put(slot, entry);
    const rk = identityOf(entry);
    if (rk !== null) {
      const precincts = this.identical.get(rk);
      if (precincts === undefined) this.identical.set(rk, entry.precinctId);
      else if (typeof precincts !== 'string') precincts.add(entry.precinctId);
      else if (precincts !== entry.precinctId) {
        this.identical.set(rk, new Set([precincts, entry.precinctId]));
      }
    }
  }

  private put(slot: number, entry: LedgerEntry): void {
    const t = entry.schnellmeldung;
    this.precinctIds[slot] = entry.precinctId;
    this.contestIds[slot] = this.name(entry.contestId);
    this.electionIds[slot] = this.name(t.electionId);
    this.envelopeHashes.set(slot, entry.envelopeHash);
    this.contentHashes.set(slot, entry.contentHash);
    this.revisions[slot] = entry.revision;
    this.sequences[slot] = entry.sequence;
    this.acceptedAt[slot] = entry.acceptedAt.getTime();
    this.sources[slot] = REPORT_SOURCES.indexOf(entry.source);
    this.counts.set(slot, t.counts);
    if (t.acknowledgements.length > 0) this.acknowledgements.set(slot, t.acknowledgements);
    else this.acknowledgements.delete(slot);
  }

  private revisionAt(slot: number): AcceptedRevision {
    return {
      revision: this.revisions[slot]!,
      sequence: this.sequences[slot]!,
      envelopeHash: this.envelopeHashes.get(slot),
      contentHash: this.contentHashes.get(slot),
    };
  }

  private reportAt(slot: number): LedgerReport {
    const precinctId = this.precinctIds[slot]!;
    const contestId = this.contestIds[slot]!;
    return {
      revision: this.revisions[slot]!,
      sequence: this.sequences[slot]!,
      envelopeHash: this.envelopeHashes.get(slot),
      contentHash: this.contentHashes.get(slot),
      precinctId,
      contestId,
      schnellmeldung: {
        electionId: this.electionIds[slot]!,
        precinctId,
        contestId,
        revision: this.revisions[slot]!,
        counts: this.counts.get(slot) ?? {},
        acknowledgements: this.acknowledgements.get(slot) ?? [],
      },
      acceptedAt: new Date(this.acceptedAt[slot]!),
      source: REPORT_SOURCES[this.sources[slot]!]!,
    };
  }

  private unindex(slot: number): void {
    const rk = resultIdentity({
      contestId: this.contestIds[slot]!,
      counts: this.counts.get(slot)!,
    });
    if (rk === null) return;
    const precinctId = this.precinctIds[slot]!;
    const precincts = this.identical.get(rk);
    if (precincts === precinctId) this.identical.delete(rk);
    else if (typeof precincts !== 'string' && precincts !== undefined) {
      precincts.delete(precinctId);
      if (precincts.size === 0) this.identical.delete(rk);
    }
  }

  /** The slot of a precinct and contest, if it has a report. */
  private slotOf(precinctId: string, contestId: string): number | undefined {
    let slot = this.firstSlot.get(precinctId) ?? -1;
    while (slot !== -1 && this.contestIds[slot] !== contestId) slot = this.nextOfPrecinct[slot]!;
    return slot === -1 ? undefined : slot;
  }

  /** A new slot for one more contest of `precinctId`, linked after its other contests' slots. */
  private newSlot(precinctId: string): number {
    const slot = this.slotCount++;
    this.reserve(slot + 1);
    this.nextOfPrecinct[slot] = -1;
    let last = this.firstSlot.get(precinctId);
    if (last === undefined) {
      this.firstSlot.set(precinctId, slot);
      return slot;
    }
    while (this.nextOfPrecinct[last]! !== -1) last = this.nextOfPrecinct[last]!;
    this.nextOfPrecinct[last] = slot;
    return slot;
  }

  private reserve(length: number): void {
    this.nextOfPrecinct = grown(this.nextOfPrecinct, length);
    this.revisions = grown(this.revisions, length);
    this.sequences = grown(this.sequences, length);
    this.acceptedAt = grown(this.acceptedAt, length);
    this.sources = grown(this.sources, length);
  }

  private name(id: string): string {
    const known = this.names.get(id);
    if (known !== undefined) return known;
    this.names.set(id, id);
    return id;
  }
}
