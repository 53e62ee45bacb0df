import {
  Aggregator,
  type ContestTotals,
  type ElectionIndex,
  type Tally,
} from '../election/index.ts';
import type { Results } from '../api/index.ts';

/**
 * Provisional results: the election package's Aggregator, fed with every report that became
 * current after its transaction committed (and at start with the stored current reports).
 * The published JSON is rebuilt at most every `maxAgeMs` (a new report is visible within that
 * time), so a flood of readers costs one serialisation per interval, not one per request.
 */
export class ResultsBoard {
  private readonly aggregator: Aggregator;
  private counted = 0;
  private cache: { at: number; json: string; version: number } | undefined;
  private version = 0;

  constructor(
    private readonly index: ElectionIndex,
    private readonly maxAgeMs = 250,
  ) {
    this.aggregator = new Aggregator(index);
  }

  /** Counts a report that became current; a lower revision than the counted one is ignored. */
  count(t: Tally): void {
    const result = this.aggregator.apply(t);
    if (result.ok) {
      if (result.replacedRevision === null) this.counted += 1;
      this.version += 1;
    }
  }

  get reportsCounted(): number {
    return this.counted;
  }

  /** The published results as JSON text (cached). */
  json(now: Date): string {
    const cache = this.cache;
    if (
      cache !== undefined &&
      (cache.version === this.version || now.getTime() - cache.at < this.maxAgeMs)
    ) {
      return cache.json;
    }
    const json = JSON.stringify(this.build(now));
    this.cache = { at: now.getTime(), json, version: this.version };
    return json;
  }

  private build(now: Date): Results {
    const { definition } = this.index;
    const root = definition.areas.find((a) => a.parentId === null);
    return {
      electionId: definition.id,
      name: definition.name,
      generatedAt: now.toISOString(),
      reportsCounted: this.counted,
      contests: definition.contests.map((contest) => {
        const areas = this.index
          .areasOfContest(contest.id)
          .map((areaId) => this.aggregator.totals(contest.id, areaId))
          .filter((t): t is ContestTotals => t !== undefined)
          .map((t) => this.area(t));
        const rootTotals =
          (root !== undefined ? areas.find((a) => a.areaId === root.id) : undefined) ??
          areas.find((a) => a.areaId === contest.areaId);
        return {
          contestId: contest.id,
          name: contest.name,
          kind: contest.kind,
          root: rootTotals ?? this.emptyArea(contest.areaId),
          areas,
        };
      }),
    };
  }

  private area(t: ContestTotals) {
    const area = this.index.area(t.areaId);
    return {
      areaId: t.areaId,
      name: area?.name ?? t.areaId,
      level: area?.level ?? 'UNKNOWN',
      reported: t.reported,
      expected: t.expected,
      counts: { ...t.counts },
      candidates: { ...t.candidates },
      lists: { ...t.lists },
    };
  }

  private emptyArea(areaId: string) {
    const area = this.index.area(areaId);
    return {
      areaId,
      name: area?.name ?? areaId,
      level: area?.level ?? 'UNKNOWN',
      reported: 0,
      expected: 0,
      counts: {},
      candidates: {},
      lists: {},
    };
  }
}
