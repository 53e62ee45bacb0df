import type { ElectionDefinition } from '../definition.ts';
import type { GeneratedElection } from './index.ts';

/**
 * A smaller copy of a generated election for rehearsals and tests: the first `count`
 * Urnenwahlbezirke, the Briefwahlbezirke their postal votes belong to, and the contests these
 * precincts vote in. The kept precincts' reports are exactly those of the full election (the
 * truth does not change by leaving precincts out); the area tree stays whole.
 */
export function firstUrnenwahlbezirke(
  election: GeneratedElection,
  count: number,
): GeneratedElection {
  if (!Number.isSafeInteger(count) || count < 1) throw new RangeError(`count ${count}`);
  const full = election.definition;
  const urnen = full.precincts.filter((p) => p.kind === 'URNE').slice(0, count);
  const keep = new Set(
    urnen.flatMap((p) =>
      p.briefwahlbezirkId === undefined ? [p.id] : [p.id, p.briefwahlbezirkId],
    ),
  );
  const tallies = function* () {
    for (const t of election.tallies()) if (keep.has(t.precinctId)) yield t;
  };
  const contests = new Set<string>();
  for (const t of tallies()) contests.add(t.contestId);
  const definition: ElectionDefinition = {
    ...full,
    precincts: full.precincts.filter((p) => keep.has(p.id)),
    contests: full.contests.filter((c) => contests.has(c.id)),
  };
  return { definition, tallies };
}

/** The same election held on another day (`YYYY-MM-DD`), e.g. today for a rehearsal. */
export function onDate(election: GeneratedElection, date: string): GeneratedElection {
  return { definition: { ...election.definition, date }, tallies: election.tallies };
}
