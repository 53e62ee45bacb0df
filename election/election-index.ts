import type { Area, Contest, ElectionDefinition, Precinct } from './definition.ts';

/**
 * O(1) lookups over a validated election definition, built once in linear time
 * (90,000 precincts: a few tens of milliseconds). The server, the kit and the auditor all
 * answer "which contests does this precinct vote in?" and "x of y precincts" from here.
 *
 * Build it with `indexElection(parseElectionDefinition(json))`: the constructor assumes the
 * cross-references hold (unique ids, a tree with one root), which parsing guarantees.
 */
export class ElectionIndex {
  readonly definition: ElectionDefinition;
  private readonly areas = new Map<string, Area>();
  private readonly precincts = new Map<string, Precinct>();
  private readonly contests = new Map<string, Contest>();
  private readonly childIds = new Map<string, string[]>();
  private readonly ancestorIds = new Map<string, readonly string[]>();
  /**
   * leaf area → the contests of its precincts: every precinct of an area shares one list (a list
   * per precinct, grown by push, was ~170 B each: ~15 MB of a national index, in every thread)
   */
  private readonly contestsByArea = new Map<string, readonly Contest[]>();
  private readonly precinctsByContest = new Map<string, Precinct[]>();
  /** contestId → areaId → number of precincts of the contest in the area's subtree */
  private readonly expected = new Map<string, Map<string, number>>();
  private readonly precinctsPerArea = new Map<string, number>();

  constructor(definition: ElectionDefinition) {
    this.definition = definition;
    for (const area of definition.areas) {
      this.areas.set(area.id, area);
      this.childIds.set(area.id, []);
    }
    for (const area of definition.areas) {
      if (area.parentId !== null) this.childIds.get(area.parentId)?.push(area.id);
    }
    const contestsByArea = new Map<string, Contest[]>();
    for (const contest of definition.contests) {
      this.contests.set(contest.id, contest);
      this.precinctsByContest.set(contest.id, []);
      this.expected.set(contest.id, new Map());
      const list = contestsByArea.get(contest.areaId);
      if (list === undefined) contestsByArea.set(contest.areaId, [contest]);
      else list.push(contest);
    }
    for (const precinct of definition.precincts) {
      this.precincts.set(precinct.id, precinct);
      const ancestors = this.ancestors(precinct.areaId);
      let mine = this.contestsByArea.get(precinct.areaId);
      if (mine === undefined) {
        mine = ancestors.flatMap((areaId) => contestsByArea.get(areaId) ?? []);
        this.contestsByArea.set(precinct.areaId, mine);
      }
      for (const areaId of ancestors) {
        this.precinctsPerArea.set(areaId, (this.precinctsPerArea.get(areaId) ?? 0) + 1);
      }
      for (const contest of mine) {
        this.precinctsByContest.get(contest.id)?.push(precinct);
        const perArea = this.expected.get(contest.id);
        if (perArea === undefined) continue;
        for (const areaId of ancestors) perArea.set(areaId, (perArea.get(areaId) ?? 0) + 1);
      }
    }
  }

  area(id: string): Area | undefined {
    return this.areas.get(id);
  }

  precinct(id: string): Precinct | undefined {
    return this.precincts.get(id);
  }

  contest(id: string): Contest | undefined {
    return this.contests.get(id);
  }

  children(areaId: string): readonly string[] {
    return this.childIds.get(areaId) ?? [];
  }

  /** The area itself, its parent, … up to the root. Empty for an unknown area. Memoised. */
  ancestors(areaId: string): readonly string[] {
    const known = this.ancestorIds.get(areaId);
    if (known !== undefined) return known;
    const chain: string[] = [];
    let current = this.areas.get(areaId);
    // bounded by the number of areas, so even a cyclic (unvalidated) tree terminates
    for (let steps = 0; current !== undefined && steps <= this.areas.size; steps++) {
      chain.push(current.id);
      current = current.parentId === null ? undefined : this.areas.get(current.parentId);
    }
    this.ancestorIds.set(areaId, chain);
    return chain;
  }

  /** The contests a precinct votes in: those whose area subtree contains the precinct's area. */
  contestsOfPrecinct(precinctId: string): readonly Contest[] {
    const precinct = this.precincts.get(precinctId);
    return precinct === undefined ? [] : (this.contestsByArea.get(precinct.areaId) ?? []);
  }

  votesIn(precinctId: string, contestId: string): boolean {
    return this.contestsOfPrecinct(precinctId).some((c) => c.id === contestId);
  }

  precinctsOfContest(contestId: string): readonly Precinct[] {
    return this.precinctsByContest.get(contestId) ?? [];
  }

  /** The "y" of "x of y": precincts voting in the contest inside the area's subtree. */
  expectedPrecincts(contestId: string, areaId: string): number {
    return this.expected.get(contestId)?.get(areaId) ?? 0;
  }

  /** The areas where a contest has precincts (its area, its subtree and the areas above it). */
  areasOfContest(contestId: string): readonly string[] {
    return [...(this.expected.get(contestId)?.keys() ?? [])];
  }

  /** All precincts (any contest) in the area's subtree. */
  precinctsInArea(areaId: string): number {
    return this.precinctsPerArea.get(areaId) ?? 0;
  }
}

export function indexElection(definition: ElectionDefinition): ElectionIndex {
  return new ElectionIndex(definition);
}
