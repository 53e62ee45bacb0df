import { describe, expect, it } from 'vitest';
import {
  ElectionError,
  MAX_AREA_DEPTH,
  generateElection,
  parseElectionDefinition,
  type ElectionDefinition,
} from '../../election/index.ts';
import { bundestagDefinition, cityDefinition } from './fixtures.ts';

/** Parses and returns the error codes of all issues (empty when valid). */
function issueCodes(json: unknown): string[] {
  try {
    parseElectionDefinition(json);
    return [];
  } catch (error) {
    if (error instanceof ElectionError) return error.issues.map((i) => i.code);
    throw error;
  }
}

function edit(
  change: (d: ElectionDefinition) => void,
  base = cityDefinition(),
): ElectionDefinition {
  change(base);
  return base;
}

describe('parseElectionDefinition', () => {
  it('accepts the city and the Bundestag fixtures', () => {
    expect(parseElectionDefinition(cityDefinition()).id).toBe('kw-test');
    expect(parseElectionDefinition(bundestagDefinition()).contests).toHaveLength(2);
  });

  describe('when the document does not match the schema', () => {
    it.each([
      ['not an object', 'election.json'],
      ['an empty object', {}],
      ['an unknown field', { ...cityDefinition(), extra: 1 }],
      ['a bad id', edit((d) => (d.precincts[0]!.id = 'has space'))],
      [
        'a Stichwahl with three candidates',
        edit((d) => {
          const c = d.contests[0]!;
          if (c.kind === 'MEHRHEITSWAHL') c.round = 'STICHWAHL';
        }),
      ],
    ])('rejects %s with DEFINITION_SCHEMA', (_name, json) => {
      expect(issueCodes(json)).toContain('DEFINITION_SCHEMA');
      expect(() => parseElectionDefinition(json)).toThrow(ElectionError);
    });
  });

  describe('when cross-references do not hold', () => {
    it.each<[string, string, ElectionDefinition]>([
      ['a duplicate precinct id', 'DUPLICATE_ID', edit((d) => (d.precincts[1]!.id = 'u0101'))],
      ['a duplicate area id', 'DUPLICATE_ID', edit((d) => (d.areas[2]!.id = 'sb01'))],
      [
        'a duplicate candidate id',
        'DUPLICATE_ID',
        edit((d) => (d.contests[0]!.candidates[1]!.id = 'reiter')),
      ],
      [
        'a precinct in an unknown area',
        'UNKNOWN_AREA',
        edit((d) => (d.precincts[0]!.areaId = 'sb99')),
      ],
      [
        'an area with an unknown parent',
        'UNKNOWN_AREA',
        edit((d) => (d.areas[2]!.parentId = 'nowhere')),
      ],
      [
        'a contest in an unknown area',
        'UNKNOWN_AREA',
        edit((d) => (d.contests[0]!.areaId = 'nowhere')),
      ],
      ['two roots', 'AREA_ROOT', edit((d) => (d.areas[2]!.parentId = null))],
      [
        'a cycle in the area tree',
        'AREA_CYCLE',
        edit((d) => {
          d.areas[1]!.parentId = 'sb02';
          d.areas[2]!.parentId = 'sb01';
        }),
      ],
      [
        'an Urnenwahlbezirk linked to an Urnenwahlbezirk',
        'BAD_BRIEFWAHL_LINK',
        edit((d) => (d.precincts[0]!.briefwahlbezirkId = 'u0102')),
      ],
      [
        'an Urnenwahlbezirk linked to an unknown precinct',
        'BAD_BRIEFWAHL_LINK',
        edit((d) => (d.precincts[0]!.briefwahlbezirkId = 'b9999')),
      ],
      [
        'a Briefwahlbezirk with a link',
        'BAD_BRIEFWAHL_LINK',
        edit((d) => (d.precincts[3]!.briefwahlbezirkId = 'b0251')),
      ],
      [
        'a Briefwahlbezirk with register figures',
        'REGISTER_ON_BRIEF',
        edit((d) => (d.precincts[3]!.register = { A1: 1, A2: 0, A3: 0 })),
      ],
      [
        'a precinct outside every contest',
        'PRECINCT_WITHOUT_CONTEST',
        edit((d) => (d.contests[0]!.areaId = 'sb01')),
      ],
      [
        'two Oberbürgermeister contests over one precinct',
        'CONTEST_OVERLAP',
        edit((d) => {
          d.contests.push({ ...d.contests[0]!, id: 'ob2', areaId: 'sb01' });
        }),
      ],
    ])('rejects %s with %s', (_name, code, json) => {
      expect(issueCodes(json)).toContain(code);
    });

    it('rejects an area tree deeper than MAX_AREA_DEPTH (AREA_DEPTH), keeping the index linear', () => {
      const d = cityDefinition();
      for (let i = 0; i < MAX_AREA_DEPTH; i++) {
        d.areas.push({
          id: `deep${i}`,
          name: 'tief',
          level: 'STADTBEZIRK',
          parentId: i === 0 ? 'sb02' : `deep${i - 1}`,
        });
      }
      expect(issueCodes(d)).toContain('AREA_DEPTH');
      d.areas.splice(-2, 2);
      expect(issueCodes(d)).toEqual([]);
    });

    it('rejects an Urnenwahlbezirk whose Briefwahlbezirk votes in another contest (BAD_BRIEFWAHL_LINK)', () => {
      const d = bundestagDefinition();
      d.precincts[0]!.briefwahlbezirkId = 'o-b1';
      expect(issueCodes(d)).toEqual(['BAD_BRIEFWAHL_LINK']);
    });

    it('rejects a Landesliste id that means different lists in two Wahlkreise (INCONSISTENT_LIST)', () => {
      const d = bundestagDefinition();
      const second = d.contests[1]!;
      if (second.kind !== 'BUNDESTAG') throw new Error('fixture');
      second.lists = [{ id: 'by-csu', party: 'CSU', name: 'Andere Liste' }, second.lists[1]!];
      expect(issueCodes(d)).toEqual(['INCONSISTENT_LIST']);
    });

    it('reports all problems at once, the first one as the error code', () => {
      const d = edit((x) => {
        x.precincts[0]!.areaId = 'sb99';
        x.precincts[3]!.register = { A1: 1, A2: 0, A3: 0 };
      });
      const error = (() => {
        try {
          parseElectionDefinition(d);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(error).toBeInstanceOf(ElectionError);
      expect((error as ElectionError).code).toBe('UNKNOWN_AREA');
      expect((error as ElectionError).issues.map((i) => i.path)).toEqual([
        'precincts.0.areaId',
        'precincts.3.register',
      ]);
    });
  });

  // Speed is measured in bench/ (scripts/measure-election.ts), never asserted here.
  it('validates the 90,000 precincts of germany-btw2025', () => {
    const { definition } = generateElection('germany-btw2025', 3);
    const json: unknown = JSON.parse(JSON.stringify(definition));
    const parsed = parseElectionDefinition(json);
    expect(parsed.precincts.length).toBeGreaterThan(85_000);
  });
});
