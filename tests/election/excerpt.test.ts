import { describe, expect, it } from 'vitest';
import {
  assessSchnellmeldung,
  canonicalJson,
  generateElection,
  indexElection,
  parseElectionDefinition,
  stationExcerpt,
  validateElectionDefinition,
} from '../../election/index.ts';
import { bundestagDefinition, cityDefinition } from './fixtures.ts';

describe('stationExcerpt (what a station’s bundle carries of the election)', () => {
  it('is a sound definition with the precinct, its Briefwahlbezirk, its contests and its area chain', () => {
    const index = indexElection(parseElectionDefinition(bundestagDefinition()));
    const excerpt = stationExcerpt(index, 'n-u1');
    expect(validateElectionDefinition(excerpt)).toEqual([]);
    const urne = index.precinct('n-u1')!;
    expect(excerpt.precincts.map((p) => p.id)).toEqual(
      urne.briefwahlbezirkId === undefined ? ['n-u1'] : ['n-u1', urne.briefwahlbezirkId],
    );
    expect(excerpt.contests.map((c) => c.id)).toEqual(['btw-216']);
    expect(excerpt.areas.map((a) => a.id)).toEqual([...index.ancestors(urne.areaId)].reverse());
    expect(excerpt.areas[0]?.parentId).toBeNull();
    const { id, name, date, kind, format, plausibility } = index.definition;
    expect(excerpt).toMatchObject({ id, name, date, kind, format });
    expect(excerpt.plausibility).toEqual(plausibility);
  });

  it('refuses a precinct the election does not have', () => {
    const index = indexElection(parseElectionDefinition(cityDefinition()));
    expect(() => stationExcerpt(index, 'nope')).toThrow(RangeError);
  });

  it('gives every station of a generated city the same findings on its report as the whole definition', () => {
    const election = generateElection('munich-btw2025', 7);
    const full = indexElection(parseElectionDefinition(election.definition));
    let checked = 0;
    for (const tally of election.tallies()) {
      const excerpt = stationExcerpt(full, tally.precinctId);
      expect(validateElectionDefinition(excerpt)).toEqual([]);
      const own = indexElection(excerpt);
      const onFull = assessSchnellmeldung(tally, { index: full });
      const onExcerpt = assessSchnellmeldung(tally, { index: own });
      expect(canonicalJson(onExcerpt.findings)).toBe(canonicalJson(onFull.findings));
      // a tampered count is refused the same way on both
      const bad = { ...tally, counts: { ...tally.counts, B: (tally.counts.B ?? 0) + 1 } };
      expect(canonicalJson(assessSchnellmeldung(bad, { index: own }).findings)).toBe(
        canonicalJson(assessSchnellmeldung(bad, { index: full }).findings),
      );
      // and a report for a contest the station does not vote in is refused on the excerpt too
      const foreign = election.definition.contests.find(
        (c) => !full.votesIn(tally.precinctId, c.id),
      );
      if (foreign !== undefined) {
        expect(
          assessSchnellmeldung({ ...tally, contestId: foreign.id }, { index: own }).errors.length,
        ).toBeGreaterThan(0);
      }
      checked += 1;
    }
    expect(checked).toBe(election.definition.precincts.length);
  });
});
