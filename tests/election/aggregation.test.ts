import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Aggregator,
  generateElection,
  indexElection,
  parseElectionDefinition,
  requiredKennbuchstaben,
  type Schnellmeldung,
} from '../../election/index.ts';
import {
  bundestagDefinition,
  bundestagReport,
  cityBriefReport,
  cityDefinition,
  cityReport,
  withCounts,
} from './fixtures.ts';

const city = indexElection(parseElectionDefinition(cityDefinition()));

describe('Aggregator', () => {
  it('adds reports up the area tree with "x of y" precincts', () => {
    const agg = new Aggregator(city);
    expect(agg.apply(cityReport())).toEqual({ ok: true, replacedRevision: null });
    expect(agg.apply(cityBriefReport())).toEqual({ ok: true, replacedRevision: null });
    const muc = agg.totals('ob', 'muc');
    expect(muc).toMatchObject({ reported: 2, expected: 5 });
    expect(muc?.counts).toMatchObject({ A: 1703, B: 1320, B1: 812, C: 14, D: 1306 });
    expect(muc?.candidates).toEqual({ reiter: 650, frank: 340, habenschaden: 316 });
    expect(agg.totals('ob', 'sb01')).toMatchObject({ reported: 2, expected: 3 });
    expect(agg.totals('ob', 'sb02')).toMatchObject({ reported: 0, expected: 2, counts: { B: 0 } });
  });

  it('keeps Zweitstimmen per Landesliste and Erststimmen per candidate', () => {
    const agg = new Aggregator(indexElection(parseElectionDefinition(bundestagDefinition())));
    agg.apply(bundestagReport());
    const by = agg.totals('btw-216', 'by');
    expect(by?.lists).toEqual({ 'by-csu': 296, 'by-gruene': 200 });
    expect(by?.candidates).toEqual({ 'n-a': 300, 'n-b': 195 });
    expect(agg.totals('btw-217', 'wk216')).toBeUndefined();
  });

  it('adds several contests in one area: Zweitstimmen of a Land over its Wahlkreise', () => {
    const agg = new Aggregator(indexElection(parseElectionDefinition(bundestagDefinition())));
    agg.apply(bundestagReport());
    agg.apply(bundestagReport({ precinctId: 'o-u1', contestId: 'btw-217' }));
    const land = agg.combinedTotals('by', ['btw-216', 'btw-217']);
    expect(land).toMatchObject({ reported: 2, expected: 4, counts: { B: 1000, F: 992 } });
    expect(land.lists).toEqual({ 'by-csu': 592, 'by-gruene': 400 });
  });

  describe('when a correction arrives', () => {
    it('a higher revision replaces the contribution of the lower one', () => {
      const agg = new Aggregator(city);
      agg.apply(cityReport());
      const fixed = withCounts(cityReport({ revision: 2, correctionReason: 'neu gezählt' }), {
        D1: 260,
        D2: 130,
      });
      expect(agg.apply(fixed)).toEqual({ ok: true, replacedRevision: 1 });
      const t = agg.totals('ob', 'muc');
      expect(t?.reported).toBe(1);
      expect(t?.candidates).toEqual({ reiter: 260, frank: 130, habenschaden: 124 });
      expect(agg.revisionOf('u0101', 'ob')).toBe(2);
    });

    it('refuses an equal or lower revision and leaves the totals alone', () => {
      const agg = new Aggregator(city);
      agg.apply(cityReport({ revision: 3, correctionReason: 'dritte Zählung' }));
      const before = agg.snapshot();
      expect(agg.apply(cityReport({ revision: 3 }))).toEqual({
        ok: false,
        code: 'STALE_REVISION',
        currentRevision: 3,
      });
      expect(agg.apply(withCounts(cityReport({ revision: 2 }), { D1: 1 }))).toMatchObject({
        code: 'STALE_REVISION',
      });
      expect(agg.snapshot()).toEqual(before);
    });
  });

  it.each<[string, Schnellmeldung, string]>([
    ['another election', cityReport({ electionId: 'x' }), 'WRONG_ELECTION'],
    ['an unknown precinct', cityReport({ precinctId: 'x' }), 'UNKNOWN_PRECINCT'],
    ['an unknown contest', cityReport({ contestId: 'x' }), 'UNKNOWN_CONTEST'],
    ['a non-integer count', withCounts(cityReport(), { D1: 2.5 }), 'INVALID_COUNTS'],
  ])('refuses a report of %s with a code', (_name, report, code) => {
    const agg = new Aggregator(city);
    expect(agg.apply(report)).toEqual({ ok: false, code });
    expect(agg.snapshot().reportsApplied).toBe(0);
  });

  it('refuses a precinct that does not vote in the contest', () => {
    const agg = new Aggregator(indexElection(parseElectionDefinition(bundestagDefinition())));
    expect(agg.apply(bundestagReport({ precinctId: 'o-u1' }))).toEqual({
      ok: false,
      code: 'PRECINCT_NOT_IN_CONTEST',
    });
  });

  it('property: revisions applied in any order give the totals of the highest revisions', () => {
    const precincts = city.definition.precincts;
    const contest = city.contest('ob')!;
    const countsArb = (kind: 'URNE' | 'BRIEF') =>
      fc.record(
        Object.fromEntries(
          requiredKennbuchstaben(contest, kind).map((k) => [k, fc.nat({ max: 5000 })]),
        ),
      );
    const reportsArb = fc.tuple(
      ...precincts.map((p) =>
        fc
          .array(countsArb(p.kind), { minLength: 0, maxLength: 3 })
          .map((revisions) =>
            revisions.map((counts, i) => cityReport({ precinctId: p.id, revision: i + 1, counts })),
          ),
      ),
    );
    fc.assert(
      fc.property(reportsArb, fc.infiniteStream(fc.nat()), (perPrecinct, noise) => {
        const all = perPrecinct.flat();
        const shuffled = all
          .map((r) => ({ r, key: noise.next().value }))
          .sort((a, b) => a.key - b.key)
          .map((x) => x.r);
        const agg = new Aggregator(city);
        for (const r of shuffled) agg.apply(r);
        const expected = new Aggregator(city);
        for (const revisions of perPrecinct) {
          const last = revisions.at(-1);
          if (last !== undefined) expected.apply(last);
        }
        for (const area of ['muc', 'sb01', 'sb02']) {
          expect(agg.totals('ob', area)).toEqual(expected.totals('ob', area));
        }
      }),
      { numRuns: 300 },
    );
  });

  // Speed is measured by scripts/measure-election.ts, never asserted in a test.
  it('applies all 90,000 reports of germany-btw2025 and reports every precinct', () => {
    const election = generateElection('germany-btw2025', 5);
    const index = indexElection(election.definition);
    // as the server sees them: parsed from JSON
    const reports = JSON.parse(JSON.stringify([...election.tallies()])) as Schnellmeldung[];
    const agg = new Aggregator(index);
    for (const r of reports) agg.apply(r);
    const total = agg.snapshot().totals.filter((t) => t.areaId === 'de');
    expect(total.reduce((n, t) => n + t.reported, 0)).toBe(reports.length);
    expect(total.every((t) => t.reported === t.expected)).toBe(true);
  });
  it('at national size, corrections replace their precinct’s first report and nothing else', () => {
    const election = generateElection('germany-btw2025', 7);
    const index = indexElection(election.definition);
    const firsts = JSON.parse(JSON.stringify([...election.tallies()])) as Schnellmeldung[];
    // every 7th precinct sends a correction with every count one higher
    const corrections = firsts
      .filter((_, i) => i % 7 === 0)
      .map((r) => ({
        ...r,
        revision: 2,
        counts: Object.fromEntries(Object.entries(r.counts).map(([k, v]) => [k, v + 1])),
      }));
    const agg = new Aggregator(index);
    for (const r of firsts) expect(agg.apply(r).ok).toBe(true);
    for (const r of corrections) expect(agg.apply(r)).toEqual({ ok: true, replacedRevision: 1 });
    const stale = firsts[0]!;
    expect(agg.apply(stale)).toEqual({ ok: false, code: 'STALE_REVISION', currentRevision: 2 });
    expect(agg.revisionOf(stale.precinctId, stale.contestId)).toBe(2);
    expect(agg.revisionOf(firsts[1]!.precinctId, firsts[1]!.contestId)).toBe(1);

    // the same totals as counting only each precinct's last report, in every area
    const corrected = new Set(corrections.map((r) => `${r.precinctId} ${r.contestId}`));
    const lastOnly = new Aggregator(index);
    for (const r of firsts) if (!corrected.has(`${r.precinctId} ${r.contestId}`)) lastOnly.apply(r);
    for (const r of corrections) lastOnly.apply(r);
    expect(agg.snapshot().totals).toEqual(lastOnly.snapshot().totals);
    const national = agg.snapshot().totals.filter((t) => t.areaId === 'de');
    expect(national.reduce((n, t) => n + t.reported, 0)).toBe(firsts.length);
  });
  it('numbers every precinct × contest pair densely and hands out copies of the counted figures', () => {
    const agg = new Aggregator(city);
    const pairs = city.definition.precincts.flatMap((p) =>
      city.contestsOfPrecinct(p.id).map((c) => agg.districtSlot(p.id, c.id)),
    );
    expect([...pairs].sort((a, b) => a! - b!)).toEqual([...Array(agg.districtSlots).keys()]);
    expect(agg.districtSlot('nowhere', 'ob')).toBeUndefined();
    const report = cityReport();
    expect(agg.countsOf(report.precinctId, 'ob')).toBeUndefined();
    agg.apply(report);
    const counts = agg.countsOf(report.precinctId, 'ob')!;
    const keys = requiredKennbuchstaben(city.contest('ob')!, 'URNE');
    expect(Object.fromEntries(keys.map((k, i) => [k, counts[i]]))).toMatchObject(report.counts);
    counts.fill(0);
    expect(agg.countsOf(report.precinctId, 'ob')).not.toEqual(counts);
  });
});
