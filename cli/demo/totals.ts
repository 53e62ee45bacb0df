import { Aggregator, indexElection } from '../../election/index.ts';
import type { ElectionDefinition, Schnellmeldung } from '../../election/index.ts';

/** City-wide (contest-area) votes of one contest: per candidate id and per list id. */
export type ContestVotes = {
  readonly reported: number;
  readonly expected: number;
  readonly candidates: Readonly<Record<string, number>>;
  readonly lists: Readonly<Record<string, number>>;
};
export type VotesByContest = Readonly<Record<string, ContestVotes>>;

/**
 * The totals the truth file implies, computed with the election package's Aggregator (the same
 * code that defines how reports add up), at each contest's own area (for Munich: the city).
 */
export function truthTotals(
  definition: ElectionDefinition,
  truth: readonly Schnellmeldung[],
): VotesByContest {
  const aggregator = new Aggregator(indexElection(definition));
  for (const t of truth) {
    const result = aggregator.apply(t);
    if (!result.ok)
      throw new Error(`truth report ${t.precinctId}/${t.contestId} not applicable: ${result.code}`);
  }
  const out: Record<string, ContestVotes> = {};
  for (const contest of definition.contests) {
    const totals = aggregator.totals(contest.id, contest.areaId);
    if (totals === undefined) continue;
    out[contest.id] = {
      reported: totals.reported,
      expected: totals.expected,
      candidates: totals.candidates,
      lists: totals.lists,
    };
  }
  return out;
}

/** Every difference between two sets of totals, as readable lines; empty when equal. */
export function compareTotals(expected: VotesByContest, actual: VotesByContest): string[] {
  const differences: string[] = [];
  for (const [contestId, e] of Object.entries(expected)) {
    const a = actual[contestId];
    if (a === undefined) {
      differences.push(`${contestId}: not published`);
      continue;
    }
    for (const kind of ['candidates', 'lists'] as const) {
      const ids = new Set([...Object.keys(e[kind]), ...Object.keys(a[kind])]);
      for (const id of ids) {
        if ((e[kind][id] ?? 0) !== (a[kind][id] ?? 0)) {
          differences.push(
            `${contestId} ${id}: expected ${e[kind][id] ?? 0}, published ${a[kind][id] ?? 0}`,
          );
        }
      }
    }
  }
  return differences;
}

/** The JSON line's `totals`: one contest → candidate id → votes; several contests → nested by contest id. */
export function totalsForSummary(votes: VotesByContest): Record<string, unknown> {
  const entries = Object.entries(votes);
  const flat = (v: ContestVotes): Record<string, number> => ({ ...v.candidates, ...v.lists });
  if (entries.length === 1 && entries[0] !== undefined) return flat(entries[0][1]);
  return Object.fromEntries(entries.map(([id, v]) => [id, flat(v)]));
}
