import {
  Aggregator,
  requiredKennbuchstaben,
  type ContestTotals,
  type ElectionIndex,
  type Tally,
} from '../../election/index.ts';
import { DISTRICT_SOURCES, type DistrictSource } from './model.ts';

/** A report that counts for publication: accepted (or taken by phone) and committed. */
export type CountedReport = {
  readonly schnellmeldung: Tally;
  /** the receipt sequence number (for phoned-in results: the number they were stored under) */
  readonly sequence: number;
  readonly acceptedAt: Date;
  readonly source: DistrictSource;
};

/** What publication keeps per district and contest (the counts compactly, in form order). */
export type DistrictEntry = {
  readonly source: DistrictSource;
  readonly revision: number;
  readonly sequence: number;
  readonly acceptedAt: Date;
  /**
   * values in the order of `PublicationView.keys(contestId)`: a view of the current counts, which
   * the next report of the district changes (copy it to keep it)
   */
  readonly counts: Uint32Array;
};

/** The read side the model builder needs (PublicationState implements it). */
export interface PublicationView {
  readonly lastSequence: number;
  readonly lastChange: Date | null;
  readonly reportsCounted: number;
  totals(contestId: string, areaId: string): ContestTotals | undefined;
  combinedTotals(areaId: string, contestIds: readonly string[]): ContestTotals;
  district(precinctId: string, contestId: string): DistrictEntry | undefined;
  /** the Kennbuchstaben of a contest in form order (A1 … F<n>) */
  keys(contestId: string): readonly string[];
  /** newest acceptance (ms) of the contest's figures in the area's subtree; 0 before the first */
  lastChangeOf(contestId: string, areaId: string): number;
  /** the contest's districts in the area's subtree whose figures were taken by phone */
  byPhoneOf(contestId: string, areaId: string): number;
  /** districts in the area's subtree reported for every contest they vote in */
  completeIn(areaId: string): number;
  /** districts in the area's subtree with at least one contest's figures taken by phone */
  phonedIn(areaId: string): number;
  /** the highest sequence number counted for a contest (0 before the first) */
  sequenceOf(contestId: string): number;
}

const keyOf = (a: string, b: string) => `${a}\u0000${b}`;

const bump = (map: Map<string, number>, key: string, by: number) => {
  if (by !== 0) map.set(key, (map.get(key) ?? 0) + by);
};

/**
 * The current figures publication works from: the election Aggregator (totals per contest and
 * area, revisions never going backwards) plus, per district, where the figures came from and
 * when they were accepted, and the per-area facts the pages show (kept up to date report by
 * report, so a snapshot never walks 90,000 districts). Every change bumps the version of its
 * contest and of each area above the district: the snapshot builder re-renders only what a
 * version change touches. Per district (the Aggregator's `districtSlot`) it keeps the source, sequence
 * and acceptance time in typed arrays; the counts are the Aggregator's (no second copy). A
 * `DistrictEntry` is made when asked for. (Was a Map of entries with a Uint32Array each: ~35 MB of
 * heap at 90,000 districts; decision 0067.)
 */
export class PublicationState implements PublicationView {
  private readonly aggregator: Aggregator;
  /** per district slot: 0 = nothing counted, else 1 + the index in DISTRICT_SOURCES */
  private readonly sources: Uint8Array;
  private readonly sequenceAt: Float64Array;
  private readonly acceptedAt: Float64Array;
  private readonly layouts = new Map<string, readonly string[]>();
  private readonly lastChanges = new Map<string, number>();
  private readonly phoneCounts = new Map<string, number>();
  private readonly complete = new Map<string, number>();
  private readonly phoned = new Map<string, number>();
  private readonly sequences = new Map<string, number>();
  private readonly areaVersions = new Map<string, number>();
  private readonly contestVersions = new Map<string, number>();
  private sequence = 0;
  private changedAt: Date | null = null;
  private counted = 0;
  private changes = 0;

  constructor(readonly index: ElectionIndex) {
    this.aggregator = new Aggregator(index);
    const slots = this.aggregator.districtSlots;
    this.sources = new Uint8Array(slots);
    this.sequenceAt = new Float64Array(slots);
    this.acceptedAt = new Float64Array(slots);
    for (const contest of index.definition.contests) {
      this.layouts.set(contest.id, requiredKennbuchstaben(contest, 'URNE'));
    }
  }

  /** Counts a report; false when it does not change the figures (older revision, unknown). */
  record(report: CountedReport): boolean {
    const t = report.schnellmeldung;
    const precinct = this.index.precinct(t.precinctId);
    if (precinct === undefined) return false;
    const slot = this.aggregator.districtSlot(precinct.id, t.contestId);
    if (slot === undefined) return false;
    const before = this.precinctFacts(precinct.id);
    const oldSource = this.sourceAt(slot);
    if (!this.aggregator.apply(t).ok) return false;
    this.sources[slot] = 1 + DISTRICT_SOURCES.indexOf(report.source);
    this.sequenceAt[slot] = report.sequence;
    this.acceptedAt[slot] = report.acceptedAt.getTime();
    if (oldSource === undefined) this.counted += 1;
    const after = this.precinctFacts(precinct.id);
    const at = report.acceptedAt.getTime();
    const phoneDelta =
      (report.source === 'telefonisch' ? 1 : 0) - (oldSource === 'telefonisch' ? 1 : 0);
    for (const areaId of this.index.ancestors(precinct.areaId)) {
      const key = keyOf(t.contestId, areaId);
      if ((this.lastChanges.get(key) ?? 0) < at) this.lastChanges.set(key, at);
      bump(this.phoneCounts, key, phoneDelta);
      bump(this.complete, areaId, Number(after.complete) - Number(before.complete));
      bump(this.phoned, areaId, Number(after.phoned) - Number(before.phoned));
      bump(this.areaVersions, areaId, 1);
    }
    bump(this.contestVersions, t.contestId, 1);
    this.sequences.set(t.contestId, Math.max(this.sequenceOf(t.contestId), report.sequence));
    this.sequence = Math.max(this.sequence, report.sequence);
    if (this.changedAt === null || report.acceptedAt > this.changedAt) {
      this.changedAt = report.acceptedAt;
    }
    this.changes += 1;
    return true;
  }

  /** Reported for every contest it votes in? Any contest's figures taken by phone? */
  private precinctFacts(precinctId: string): { complete: boolean; phoned: boolean } {
    let complete = true;
    let phoned = false;
    for (const contest of this.index.contestsOfPrecinct(precinctId)) {
      const slot = this.aggregator.districtSlot(precinctId, contest.id);
      const source = slot === undefined ? undefined : this.sourceAt(slot);
      if (source === undefined) complete = false;
      else if (source === 'telefonisch') phoned = true;
    }
    return { complete, phoned };
  }

  private sourceAt(slot: number): DistrictSource | undefined {
    const code = this.sources[slot] ?? 0;
    return code === 0 ? undefined : DISTRICT_SOURCES[code - 1];
  }

  /** Grows with every counted change. */
  get version(): number {
    return this.changes;
  }

  /** Grows with every change to a district in the area's subtree. */
  areaVersion(areaId: string): number {
    return this.areaVersions.get(areaId) ?? 0;
  }

  /** Grows with every change to one of the contest's districts. */
  contestVersion(contestId: string): number {
    return this.contestVersions.get(contestId) ?? 0;
  }

  get lastSequence(): number {
    return this.sequence;
  }

  get lastChange(): Date | null {
    return this.changedAt;
  }

  get reportsCounted(): number {
    return this.counted;
  }

  totals(contestId: string, areaId: string): ContestTotals | undefined {
    return this.aggregator.totals(contestId, areaId);
  }

  combinedTotals(areaId: string, contestIds: readonly string[]): ContestTotals {
    return this.aggregator.combinedTotals(areaId, contestIds);
  }

  district(precinctId: string, contestId: string): DistrictEntry | undefined {
    const slot = this.aggregator.districtSlot(precinctId, contestId);
    const source = slot === undefined ? undefined : this.sourceAt(slot);
    const revision = this.aggregator.revisionOf(precinctId, contestId);
    const counts = this.aggregator.countsView(precinctId, contestId);
    if (slot === undefined || source === undefined || revision === undefined || !counts) {
      return undefined;
    }
    return {
      source,
      revision,
      sequence: this.sequenceAt[slot]!,
      acceptedAt: new Date(this.acceptedAt[slot]!),
      counts,
    };
  }

  keys(contestId: string): readonly string[] {
    return this.layouts.get(contestId) ?? [];
  }

  lastChangeOf(contestId: string, areaId: string): number {
    return this.lastChanges.get(keyOf(contestId, areaId)) ?? 0;
  }

  byPhoneOf(contestId: string, areaId: string): number {
    return this.phoneCounts.get(keyOf(contestId, areaId)) ?? 0;
  }

  completeIn(areaId: string): number {
    return this.complete.get(areaId) ?? 0;
  }

  phonedIn(areaId: string): number {
    return this.phoned.get(areaId) ?? 0;
  }

  sequenceOf(contestId: string): number {
    return this.sequences.get(contestId) ?? 0;
  }
}
