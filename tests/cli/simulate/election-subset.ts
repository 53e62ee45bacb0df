import { generateElection, parseElectionDefinition } from '../../../election/index.ts';
import type { ElectionDefinition, Schnellmeldung } from '../../../election/index.ts';

/**
 * A small but real election for end-to-end tests: the generated Munich election cut down to
 * `urnen` Urnenwahlbezirke plus the Briefwahlbezirke they link to, validated again with
 * parseElectionDefinition, with the generator's truthful reports for exactly those precincts.
 */
export function smallMunichElection(
  urnen: number,
  seed = 7,
): { definition: ElectionDefinition; truth: Schnellmeldung[] } {
  const generated = generateElection('munich-kw2020', seed);
  const full = generated.definition;
  const urne = full.precincts.filter((p) => p.kind === 'URNE').slice(0, urnen);
  const keep = new Set(urne.map((p) => p.id));
  for (const p of urne) if (p.briefwahlbezirkId !== undefined) keep.add(p.briefwahlbezirkId);
  const definition = parseElectionDefinition({
    ...full,
    precincts: full.precincts.filter((p) => keep.has(p.id)),
  });
  const truth = [...generated.tallies()].filter((t) => keep.has(t.precinctId));
  return { definition, truth };
}
