import type { Area, ElectionDefinition, Precinct } from './definition.ts';
import type { ElectionIndex } from './election-index.ts';

/**
 * The part of an election definition one station needs (its provisioning bundle carries this,
 * not the whole definition: Germany's 90,652 precincts would make every bundle tens of MB).
 *
 * The excerpt is itself a valid election definition (same id, name, date, kind, plausibility):
 * the station's precinct; for an Urnenwahlbezirk also the Briefwahlbezirk it links to (so the
 * link stays a valid reference); the contests the precinct votes in, with all their candidates
 * and lists, in the order of the full definition; and the area chain from those precincts up to
 * the root. Everything the kit checks on its own report (form fields, the rules that need the
 * precinct and its contest) gives the same answer on the excerpt as on the whole definition.
 *
 * Cost: O(depth of the tree + contests of the precinct) per station, after one index of the
 * whole definition; throws RangeError for a precinct the index does not know.
 */
export function stationExcerpt(index: ElectionIndex, precinctId: string): ElectionDefinition {
  const full = index.definition;
  const precinct = index.precinct(precinctId);
  if (precinct === undefined) throw new RangeError(`unknown precinct ${precinctId}`);
  const precincts: Precinct[] = [precinct];
  if (precinct.kind === 'URNE' && precinct.briefwahlbezirkId !== undefined) {
    const brief = index.precinct(precinct.briefwahlbezirkId);
    if (brief !== undefined) precincts.push(brief);
  }
  const areaIds = new Set<string>();
  for (const p of precincts) for (const id of index.ancestors(p.areaId)) areaIds.add(id);
  // root first, then downwards: a parent always precedes its children
  const areas: Area[] = [...areaIds]
    .map((id) => index.area(id))
    .filter((a): a is Area => a !== undefined)
    .sort((a, b) => index.ancestors(a.id).length - index.ancestors(b.id).length);
  const contestIds = new Set(index.contestsOfPrecinct(precinct.id).map((c) => c.id));
  const contests = full.contests.filter((c) => contestIds.has(c.id));
  return { ...full, areas, precincts, contests };
}
