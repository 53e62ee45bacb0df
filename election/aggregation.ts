import { ballotSections, requiredKennbuchstaben } from './contest-kinds.ts';
import type { Contest } from './definition.ts';
import type { ElectionIndex } from './election-index.ts';
import { isCount } from './plausibility/count-view.ts';
import { supersedes } from './revisions.ts';
import type { Schnellmeldung } from './schnellmeldung.ts';

export type ApplyRefusal =
  | 'WRONG_ELECTION'
  | 'UNKNOWN_PRECINCT'
  | 'UNKNOWN_CONTEST'
  | 'PRECINCT_NOT_IN_CONTEST'
  | 'INVALID_COUNTS'
  | 'STALE_REVISION';

export type ApplyResult =
  | { readonly ok: true; readonly replacedRevision: number | null }
  | { readonly ok: false; readonly code: ApplyRefusal; readonly currentRevision?: number };

/** Totals of one contest in one area: "x of y" and the sums of the Kennbuchstaben. */
export type ContestTotals = {
  readonly contestId: string;
  readonly areaId: string;
  /** precincts counted so far (x) */
  readonly reported: number;
  /** precincts of the contest in the area (y) */
  readonly expected: number;
  /** A1 … F (totals, not per choice) */
  readonly counts: Readonly<Record<string, number>>;
  readonly candidates: Readonly<Record<string, number>>;
  readonly lists: Readonly<Record<string, number>>;
};

export type AggregationSnapshot = {
  readonly reportsApplied: number;
  readonly totals: readonly ContestTotals[];
};

type Layout = {
  readonly keys: readonly string[];
  readonly slot: ReadonlyMap<string, number>;
  /** slot → candidate or list id, for the per-choice slots */
  readonly choice: ReadonlyMap<number, { kind: 'candidate' | 'list'; id: string }>;
};

type Accumulator = { reported: number; readonly sums: Float64Array };

type ContestState = {
  readonly contest: Contest;
  readonly layout: Layout;
  readonly areas: Map<string, Accumulator>;
  readonly reports: Map<string, { revision: number; vector: number[] }>;
  readonly paths: Map<string, Accumulator[]>;
};

/** The report's counts in slot order; undefined when a value is not a valid count. */
function toVector(t: Schnellmeldung, layout: Layout): number[] | undefined {
  const vector = new Array<number>(layout.keys.length).fill(0);
  const counts = t.counts;
  for (const key in counts) {
    const i = layout.slot.get(key);
    if (i === undefined) continue;
    const value = counts[key] ?? 0;
    if (!isCount(value)) return undefined;
    vector[i] = value;
  }
  return vector;
}

function layoutOf(contest: Contest): Layout {
  const keys = requiredKennbuchstaben(contest, 'URNE');
  const slot = new Map(keys.map((k, i) => [k, i]));
  const choice = new Map<number, { kind: 'candidate' | 'list'; id: string }>();
  for (const section of ballotSections(contest)) {
    for (const c of section.choices) {
      const i = slot.get(c.key);
      if (i !== undefined) choice.set(i, { kind: section.choiceKind, id: c.id });
    }
  }
  return { keys, slot, choice };
}

/**
 * Incremental totals per contest and per area of the tree (pure, in memory). Each accepted
 * Schnellmeldung adds its counts to every area above its precinct; a higher revision replaces
 * the contribution of the lower one (only the difference is added), and a report that does not
 * supersede the counted one (revisions.ts) is refused, so an older report can never overwrite a
 * newer one (SPEC §4).
 * Applying 90,000 reports takes well under a second (tests/election/aggregation.test.ts).
 */
export class Aggregator {
  private readonly index: ElectionIndex;
  private readonly states = new Map<string, ContestState>();
  private applied = 0;

  constructor(index: ElectionIndex) {
    this.index = index;
    for (const contest of index.definition.contests) {
      const layout = layoutOf(contest);
      const areas = new Map<string, Accumulator>();
      for (const areaId of index.areasOfContest(contest.id)) {
        areas.set(areaId, { reported: 0, sums: new Float64Array(layout.keys.length) });
      }
      this.states.set(contest.id, { contest, layout, areas, reports: new Map(), paths: new Map() });
    }
  }

  /** The accumulators of the precinct's area and every area above it (cached per precinct). */
  private accumulatorsOf(state: ContestState, precinctId: string, areaId: string): Accumulator[] {
    let list = state.paths.get(precinctId);
    if (list === undefined) {
      list = [];
      for (const id of this.index.ancestors(areaId)) {
        const acc = state.areas.get(id);
        if (acc !== undefined) list.push(acc);
      }
      state.paths.set(precinctId, list);
    }
    return list;
  }

  /** The revision currently counted for a precinct and contest, if any. */
  revisionOf(precinctId: string, contestId: string): number | undefined {
    return this.states.get(contestId)?.reports.get(precinctId)?.revision;
  }

  apply(t: Schnellmeldung): ApplyResult {
    if (t.electionId !== this.index.definition.id) return { ok: false, code: 'WRONG_ELECTION' };
    const precinct = this.index.precinct(t.precinctId);
    if (precinct === undefined) return { ok: false, code: 'UNKNOWN_PRECINCT' };
    const state = this.states.get(t.contestId);
    if (state === undefined) return { ok: false, code: 'UNKNOWN_CONTEST' };
    if (!this.index.votesIn(precinct.id, t.contestId)) {
      return { ok: false, code: 'PRECINCT_NOT_IN_CONTEST' };
    }
    const old = state.reports.get(precinct.id);
    if (old !== undefined && !supersedes(t.revision, old.revision)) {
      return { ok: false, code: 'STALE_REVISION', currentRevision: old.revision };
    }
    const vector = toVector(t, state.layout);
    if (vector === undefined) return { ok: false, code: 'INVALID_COUNTS' };
    for (const acc of this.accumulatorsOf(state, precinct.id, precinct.areaId)) {
      if (old === undefined) acc.reported += 1;
      const sums = acc.sums;
      const before = old?.vector;
      for (let i = 0; i < sums.length; i++) {
        sums[i] = (sums[i] ?? 0) + (vector[i] ?? 0) - (before?.[i] ?? 0);
      }
    }
    state.reports.set(precinct.id, { revision: t.revision, vector });
    this.applied += 1;
    return { ok: true, replacedRevision: old?.revision ?? null };
  }

  /** Totals of a contest in an area; undefined when the contest has no precinct there. */
  totals(contestId: string, areaId: string): ContestTotals | undefined {
    const state = this.states.get(contestId);
    const acc = state?.areas.get(areaId);
    if (state === undefined || acc === undefined) return undefined;
    const counts: Record<string, number> = {};
    const candidates: Record<string, number> = {};
    const lists: Record<string, number> = {};
    state.layout.keys.forEach((key, i) => {
      const value = acc.sums[i] ?? 0;
      const choice = state.layout.choice.get(i);
      if (choice === undefined) counts[key] = value;
      else if (choice.kind === 'candidate') candidates[choice.id] = value;
      else lists[choice.id] = value;
    });
    return {
      contestId,
      areaId,
      reported: acc.reported,
      expected: this.index.expectedPrecincts(contestId, areaId),
      counts,
      candidates,
      lists,
    };
  }

  /**
   * The totals of several contests in one area added up, e.g. the Zweitstimmen of a Land over
   * all its Wahlkreis contests (Landesliste ids are shared, so `lists` adds up per list).
   * The contests must not share precincts (true for the Wahlkreise of one Bundestag election,
   * see CONTEST_OVERLAP), otherwise voters would be counted twice.
   */
  combinedTotals(areaId: string, contestIds: readonly string[]): ContestTotals {
    const counts: Record<string, number> = {};
    const candidates: Record<string, number> = {};
    const lists: Record<string, number> = {};
    let reported = 0;
    let expected = 0;
    const add = (into: Record<string, number>, from: Readonly<Record<string, number>>) => {
      for (const [key, value] of Object.entries(from)) into[key] = (into[key] ?? 0) + value;
    };
    for (const contestId of contestIds) {
      const t = this.totals(contestId, areaId);
      if (t === undefined) continue;
      reported += t.reported;
      expected += t.expected;
      add(counts, t.counts);
      add(candidates, t.candidates);
      add(lists, t.lists);
    }
    return {
      contestId: contestIds.join('+'),
      areaId,
      reported,
      expected,
      counts,
      candidates,
      lists,
    };
  }

  /** Every contest × area total, for publication. */
  snapshot(): AggregationSnapshot {
    const totals: ContestTotals[] = [];
    for (const [contestId, state] of this.states) {
      for (const areaId of state.areas.keys()) {
        const t = this.totals(contestId, areaId);
        if (t !== undefined) totals.push(t);
      }
    }
    return { reportsApplied: this.applied, totals };
  }
}
