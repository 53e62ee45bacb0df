import type { ElectionIndex, Precinct } from '../../../../election/index.ts';

export type PrecinctLookup =
  | { readonly ok: true; readonly precinct: Precinct }
  | { readonly ok: false; readonly code: 'PRECINCT_NOT_FOUND' | 'PRECINCT_AMBIGUOUS' };

/**
 * Finds the district an operator typed: its id, or its number as printed on the forms (leading
 * zeros and surrounding spaces do not matter). A number two districts share is refused, so a
 * phone call never lands on the wrong district.
 */
export function precinctFinder(index: ElectionIndex): (typed: string) => PrecinctLookup {
  let byNumber: Map<string, Precinct[]> | undefined;
  const numberKey = (n: string) => n.trim().replace(/^0+(?=.)/, '');
  return (typed) => {
    const text = typed.trim();
    const direct = index.precinct(text);
    if (direct !== undefined) return { ok: true, precinct: direct };
    if (byNumber === undefined) {
      byNumber = new Map();
      for (const p of index.definition.precincts) {
        const key = numberKey(p.number);
        const list = byNumber.get(key);
        if (list === undefined) byNumber.set(key, [p]);
        else list.push(p);
      }
    }
    const found = byNumber.get(numberKey(text)) ?? [];
    const [only] = found;
    if (only === undefined || text === '') return { ok: false, code: 'PRECINCT_NOT_FOUND' };
    if (found.length > 1) return { ok: false, code: 'PRECINCT_AMBIGUOUS' };
    return { ok: true, precinct: only };
  };
}

/** "0101 Schule Nord" */
export const precinctLabel = (p: Pick<Precinct, 'number' | 'name'>): string =>
  `${p.number} ${p.name}`;
