import { describe, expect, it } from 'vitest';
import {
  firstUrnenwahlbezirke,
  generateElection,
  onDate,
  parseElectionDefinition,
  SHAPE_NAMES,
  type ElectionDefinition,
  type Schnellmeldung,
} from '../../election/index.ts';

function sum(reports: readonly Schnellmeldung[], key: string): number {
  return reports.reduce((n, r) => n + (r.counts[key] ?? 0), 0);
}

function kinds(def: ElectionDefinition) {
  const urne = def.precincts.filter((p) => p.kind === 'URNE');
  return { urne: urne.length, brief: def.precincts.length - urne.length };
}

describe('generateElection', () => {
  it('is deterministic: the same seed gives the same election and reports', () => {
    const a = generateElection('munich-btw2025', 42);
    const b = generateElection('munich-btw2025', 42);
    expect(JSON.stringify(a.definition)).toBe(JSON.stringify(b.definition));
    expect(JSON.stringify([...a.tallies()])).toBe(JSON.stringify([...b.tallies()]));
    const c = generateElection('munich-btw2025', 43);
    expect(JSON.stringify([...c.tallies()])).not.toBe(JSON.stringify([...a.tallies()]));
  });

  it('keeps precinct ids stable across seeds', () => {
    const ids = (seed: number) =>
      generateElection('munich-kw2020', seed).definition.precincts.map((p) => p.id);
    expect(ids(1)).toEqual(ids(2));
  });

  it('knows its shapes', () => {
    expect(SHAPE_NAMES).toEqual([
      'munich-kw2020',
      'munich-ob2020-stichwahl',
      'munich-btw2025',
      'germany-btw2025',
    ]);
  });

  describe('munich-kw2020', () => {
    const { definition, tallies } = generateElection('munich-kw2020', 2020);
    const reports = [...tallies()];

    it('has 1,274 Stimmbezirke = 755 URNE + 519 BRIEF in 25 Stadtbezirke, all valid', () => {
      expect(() => parseElectionDefinition(definition)).not.toThrow();
      expect(kinds(definition)).toEqual({ urne: 755, brief: 519 });
      expect(definition.areas.filter((a) => a.level === 'STADTBEZIRK')).toHaveLength(25);
      const brief = new Map(
        definition.precincts.filter((p) => p.kind === 'BRIEF').map((p) => [p.id, p]),
      );
      for (const p of definition.precincts.filter((x) => x.kind === 'URNE')) {
        expect(brief.get(p.briefwahlbezirkId ?? '')?.areaId).toBe(p.areaId);
      }
    });

    it('is an Oberbürgermeister Hauptwahl led by Reiter ahead of Frank and Habenschaden', () => {
      const [contest] = definition.contests;
      expect(contest).toMatchObject({
        kind: 'MEHRHEITSWAHL',
        office: 'OBERBUERGERMEISTER',
        round: 'HAUPTWAHL',
      });
      expect(contest?.candidates).toHaveLength(12);
      const d = sum(reports, 'D');
      const share = (key: string) => sum(reports, key) / d;
      expect(share('D1')).toBeGreaterThan(0.42);
      expect(share('D1')).toBeLessThan(0.54);
      expect(share('D2')).toBeGreaterThan(0.15);
      expect(share('D3')).toBeGreaterThan(0.15);
    });

    it('has realistic figures: ~1,500 eligible per URNE, turnout 60–80 %, postal 40–60 %, invalid 0.5–2 %', () => {
      const urne = reports.filter((r) => r.counts.A !== undefined);
      const brief = reports.filter((r) => r.counts.A === undefined);
      const eligible = sum(urne, 'A');
      expect(eligible / urne.length).toBeGreaterThan(1_350);
      expect(eligible / urne.length).toBeLessThan(1_650);
      const voters = sum(reports, 'B');
      expect(voters / eligible).toBeGreaterThan(0.6);
      expect(voters / eligible).toBeLessThan(0.8);
      expect(sum(brief, 'B') / voters).toBeGreaterThan(0.4);
      expect(sum(brief, 'B') / voters).toBeLessThan(0.6);
      expect(sum(reports, 'C') / voters).toBeGreaterThan(0.005);
      expect(sum(reports, 'C') / voters).toBeLessThan(0.02);
    });
  });

  it('munich-ob2020-stichwahl: Reiter against Frank on the same Stimmbezirke, Reiter ahead', () => {
    const { definition, tallies } = generateElection('munich-ob2020-stichwahl', 29);
    expect(() => parseElectionDefinition(definition)).not.toThrow();
    expect(definition.kind).toBe('STICHWAHL');
    const [contest] = definition.contests;
    expect(contest).toMatchObject({ kind: 'MEHRHEITSWAHL', round: 'STICHWAHL' });
    expect(contest?.candidates.map((c) => c.id)).toEqual(['reiter', 'frank']);
    const reports = [...tallies()];
    expect(sum(reports, 'D1') / sum(reports, 'D')).toBeGreaterThan(0.65);
    expect(Object.keys(reports[0]?.counts ?? {})).not.toContain('D3');
  });

  it('munich-btw2025: 4 Wahlkreise, ~470 URNE + ~430 BRIEF, Erst- and Zweitstimme', () => {
    const { definition, tallies } = generateElection('munich-btw2025', 2025);
    expect(definition.contests.map((c) => c.id)).toEqual([
      'btw2025-wk216',
      'btw2025-wk217',
      'btw2025-wk218',
      'btw2025-wk219',
    ]);
    const { urne, brief } = kinds(definition);
    expect(urne).toBe(470);
    expect(brief).toBeGreaterThan(410);
    expect(brief).toBeLessThanOrEqual(430);
    const [first] = tallies();
    expect(Object.keys(first?.counts ?? {})).toEqual(expect.arrayContaining(['E', 'F', 'F1']));
  });

  it('germany-btw2025: 299 Wahlkreise in 16 Länder, ~65,000 URNE + ~25,000 BRIEF', () => {
    const { definition } = generateElection('germany-btw2025', 1);
    expect(definition.areas.filter((a) => a.level === 'LAND')).toHaveLength(16);
    expect(definition.contests).toHaveLength(299);
    const { urne, brief } = kinds(definition);
    expect(urne).toBeGreaterThan(62_000);
    expect(urne).toBeLessThan(68_000);
    expect(brief).toBeGreaterThan(23_000);
    expect(brief).toBeLessThan(27_000);
  });
});

describe('firstUrnenwahlbezirke (rehearsals with a few districts)', () => {
  it('keeps n Urnenwahlbezirke, their Briefwahlbezirke and contests, with the full election’s reports', () => {
    const full = generateElection('munich-btw2025', 7);
    const small = firstUrnenwahlbezirke(full, 3);
    const def = parseElectionDefinition(small.definition);
    const urne = def.precincts.filter((p) => p.kind === 'URNE');
    expect(urne.map((p) => p.id)).toEqual(
      full.definition.precincts
        .filter((p) => p.kind === 'URNE')
        .slice(0, 3)
        .map((p) => p.id),
    );
    for (const p of urne) {
      if (p.briefwahlbezirkId !== undefined)
        expect(def.precincts.some((q) => q.id === p.briefwahlbezirkId)).toBe(true);
    }
    const kept = new Set(def.precincts.map((p) => p.id));
    const expected = [...full.tallies()].filter((t) => kept.has(t.precinctId));
    expect([...small.tallies()]).toEqual(expected);
    expect(new Set(def.contests.map((c) => c.id))).toEqual(
      new Set(expected.map((t) => t.contestId)),
    );
  });

  it('moves the election to another day without touching anything else', () => {
    const full = generateElection('munich-kw2020', 1);
    const moved = onDate(full, '2031-05-04');
    expect(moved.definition).toEqual({ ...full.definition, date: '2031-05-04' });
  });
});
