import { describe, expect, it } from 'vitest';
import { indexElection, parseElectionDefinition } from '../../election/index.ts';
import { bundestagDefinition, cityDefinition } from './fixtures.ts';

describe('indexElection', () => {
  const city = indexElection(parseElectionDefinition(cityDefinition()));
  const btw = indexElection(parseElectionDefinition(bundestagDefinition()));

  it('finds precincts, areas and contests by id', () => {
    expect(city.precinct('u0102')?.number).toBe('0102');
    expect(city.area('sb02')?.name).toBe('Ludwigsvorstadt-Isarvorstadt');
    expect(city.contest('ob')?.kind).toBe('MEHRHEITSWAHL');
    expect(city.precinct('nope')).toBeUndefined();
  });

  it('lists the ancestors of an area from the area up to the root', () => {
    expect(btw.ancestors('wk216')).toEqual(['wk216', 'by', 'de']);
    expect(btw.ancestors('nowhere')).toEqual([]);
    expect(btw.children('by')).toEqual(['wk216', 'wk217']);
  });

  it('knows which contests a precinct votes in (the contest area contains the precinct)', () => {
    expect(btw.contestsOfPrecinct('n-u1').map((c) => c.id)).toEqual(['btw-216']);
    expect(btw.votesIn('o-b1', 'btw-217')).toBe(true);
    expect(btw.votesIn('o-b1', 'btw-216')).toBe(false);
    expect(city.contestsOfPrecinct('b0251').map((c) => c.id)).toEqual(['ob']);
    expect(city.contestsOfPrecinct('nope')).toEqual([]);
  });

  it('holds one contest list per area, shared by its precincts (90,652 lists cost ~15 MB a thread)', () => {
    const [first, ...others] = btw.definition.precincts.filter((p) => p.areaId === 'wk217');
    expect(others.length).toBeGreaterThan(0);
    for (const p of others) {
      expect(btw.contestsOfPrecinct(p.id)).toBe(btw.contestsOfPrecinct(first!.id));
    }
  });

  it('counts the expected precincts per contest and area ("y" of "x of y")', () => {
    expect(city.expectedPrecincts('ob', 'muc')).toBe(5);
    expect(city.expectedPrecincts('ob', 'sb01')).toBe(3);
    expect(btw.expectedPrecincts('btw-216', 'by')).toBe(2);
    expect(btw.expectedPrecincts('btw-216', 'wk217')).toBe(0);
    expect(btw.precinctsInArea('de')).toBe(4);
    expect(btw.precinctsOfContest('btw-217').map((p) => p.id)).toEqual(['o-u1', 'o-b1']);
  });
});
