import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Aggregator,
  assessSchnellmeldung,
  indexElection,
  parseElectionDefinition,
  SchnellmeldungSchema,
} from '../../../election/index.ts';
import { cityDefinition, cityReport } from '../fixtures.ts';

const index = indexElection(parseElectionDefinition(cityDefinition()));
const keys = [
  'A1',
  'A2',
  'A3',
  'A',
  'B',
  'B1',
  'C',
  'D',
  'E',
  'F',
  'D1',
  'D2',
  'D3',
  'D4',
  'D99',
  'F1',
];

const anyCount = fc.oneof(
  fc.nat({ max: 3000 }),
  fc.integer({ min: -5, max: 5 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, 999_999_999, 1_000_000_000, Number.MAX_SAFE_INTEGER),
);

const anyReport = fc.record({
  precinctId: fc.constantFrom('u0101', 'u0201', 'b0151', 'nope'),
  contestId: fc.constantFrom('ob', 'other'),
  electionId: fc.constantFrom('kw-test', 'x'),
  revision: fc.integer({ min: 1, max: 3 }),
  counts: fc.dictionary(fc.constantFrom(...keys), anyCount),
  acknowledgements: fc.array(
    fc.record({
      code: fc.constantFrom('W.201', 'W.206', 'W.301', 'W.999'),
      reason: fc.string({ minLength: 3, maxLength: 20 }),
    }),
    { maxLength: 3 },
  ),
});

describe('hostile but schema-valid reports', () => {
  it('never make the rules or the aggregator throw, and errors always block sending', () => {
    fc.assert(
      fc.property(anyReport, anyReport, (a, b) => {
        const parsed = SchnellmeldungSchema.safeParse({ ...cityReport(), ...a });
        const previous = SchnellmeldungSchema.safeParse({
          ...cityReport(),
          ...b,
          precinctId: a.precinctId,
        });
        fc.pre(parsed.success && previous.success);
        if (!parsed.success || !previous.success) return;
        const assessment = assessSchnellmeldung(parsed.data, {
          index,
          previous: previous.data,
          identicalTo: () => ['u0102'],
        });
        if (assessment.errors.length > 0) expect(assessment.sendable).toBe(false);
        for (const f of assessment.findings) expect(f.fields.length).toBeGreaterThan(0);
        const aggregator = new Aggregator(index);
        const result = aggregator.apply(parsed.data);
        if (result.ok) {
          for (const area of ['muc', 'sb01', 'sb02']) {
            for (const v of Object.values(aggregator.totals('ob', area)?.counts ?? {})) {
              expect(Number.isSafeInteger(v)).toBe(true);
            }
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});
