import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  assessSchnellmeldung,
  generateElection,
  indexElection,
  parseElectionDefinition,
  requiredKennbuchstaben,
  resultKey,
  type ShapeName,
} from '../../../election/index.ts';

function truthful(shape: ShapeName, seed: number) {
  const election = generateElection(shape, seed);
  const index = indexElection(parseElectionDefinition(election.definition));
  return { index, reports: [...election.tallies()] };
}

describe('property: generated truthful tallies pass every rule', () => {
  it.each<ShapeName>(['munich-kw2020', 'munich-ob2020-stichwahl', 'munich-btw2025'])(
    '%s, any seed',
    (shape) => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => {
          const { index, reports } = truthful(shape, seed);
          const keys = new Map<string, string[]>();
          for (const t of reports) {
            const key = resultKey(t);
            if (key !== undefined) keys.set(key, [...(keys.get(key) ?? []), t.precinctId]);
          }
          for (const t of reports) {
            const a = assessSchnellmeldung(t, { index, identicalTo: (k) => keys.get(k) ?? [] });
            expect(a.findings).toEqual([]);
          }
        }),
        { numRuns: 4 },
      );
    },
  );
});

describe('property: a single count changed by ±k is caught by an error', () => {
  it.each<ShapeName>(['munich-btw2025', 'munich-kw2020'])(
    '%s: every Kennbuchstabe in a hard rule',
    (shape) => {
      const { index, reports } = truthful(shape, 11);
      fc.assert(
        fc.property(
          fc.nat({ max: reports.length - 1 }),
          fc.nat(),
          fc.integer({ min: 1, max: 1000 }),
          fc.boolean(),
          (which, fieldPick, k, up) => {
            const t = reports[which]!;
            const precinct = index.precinct(t.precinctId)!;
            const contest = index.contest(t.contestId)!;
            // B1 of an Urnenwahlbezirk is an independent count: no sum contains it, only the
            // warnings W.201/W.204 and F.202 (B1 > B) look at it, so it is excluded here.
            const fields = requiredKennbuchstaben(contest, precinct.kind).filter(
              (key) => !(precinct.kind === 'URNE' && key === 'B1'),
            );
            const field = fields[fieldPick % fields.length]!;
            const changed = {
              ...t,
              counts: { ...t.counts, [field]: t.counts[field]! + (up ? k : -k) },
            };
            const a = assessSchnellmeldung(changed, { index });
            expect(
              a.errors.length,
              `${t.precinctId} ${field} ${up ? '+' : '-'}${k}`,
            ).toBeGreaterThan(0);
            expect(a.sendable).toBe(false);
          },
        ),
        { numRuns: 400 },
      );
    },
  );
});
