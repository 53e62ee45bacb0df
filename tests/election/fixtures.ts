import type { ElectionDefinition, Schnellmeldung } from '../../election/index.ts';
import { ELECTION_FORMAT, SCHNELLMELDUNG_FORMAT } from '../../election/index.ts';

/**
 * A small city election: Stadt "muc" with two Stadtbezirke, three Urnenwahlbezirke and two
 * Briefwahlbezirke, one Oberbürgermeister contest with three candidates.
 */
export function cityDefinition(): ElectionDefinition {
  return {
    format: ELECTION_FORMAT,
    id: 'kw-test',
    name: 'Kommunalwahl Test',
    date: '2026-03-08',
    kind: 'KOMMUNALWAHL',
    areas: [
      { id: 'muc', name: 'München', level: 'STADT', parentId: null },
      { id: 'sb01', name: 'Altstadt-Lehel', level: 'STADTBEZIRK', parentId: 'muc' },
      { id: 'sb02', name: 'Ludwigsvorstadt-Isarvorstadt', level: 'STADTBEZIRK', parentId: 'muc' },
    ],
    precincts: [
      urne('u0101', '0101', 'sb01', 'b0151', { A1: 1200, A2: 500, A3: 3 }),
      urne('u0102', '0102', 'sb01', 'b0151', { A1: 1100, A2: 450, A3: 0 }),
      urne('u0201', '0201', 'sb02', 'b0251', { A1: 1300, A2: 600, A3: 2 }),
      { id: 'b0151', number: '0151', name: 'Briefwahl Altstadt', kind: 'BRIEF', areaId: 'sb01' },
      {
        id: 'b0251',
        number: '0251',
        name: 'Briefwahl Isarvorstadt',
        kind: 'BRIEF',
        areaId: 'sb02',
      },
    ],
    contests: [
      {
        kind: 'MEHRHEITSWAHL',
        id: 'ob',
        name: 'Oberbürgermeister',
        areaId: 'muc',
        office: 'OBERBUERGERMEISTER',
        round: 'HAUPTWAHL',
        candidates: [
          { id: 'reiter', name: 'Dieter Reiter', party: 'SPD' },
          { id: 'frank', name: 'Kristina Frank', party: 'CSU' },
          { id: 'habenschaden', name: 'Katrin Habenschaden', party: 'GRÜNE' },
        ],
      },
    ],
  };
}

function urne(
  id: string,
  number: string,
  areaId: string,
  briefwahlbezirkId: string,
  register: { A1: number; A2: number; A3: number },
): ElectionDefinition['precincts'][number] {
  return {
    id,
    number,
    name: `Stimmbezirk ${number}`,
    kind: 'URNE',
    areaId,
    briefwahlbezirkId,
    register,
  };
}

/** A Bundestag election with one Land, two Wahlkreise, each with one URNE and one BRIEF. */
export function bundestagDefinition(): ElectionDefinition {
  const lists = [
    { id: 'by-csu', party: 'CSU', name: 'Christlich-Soziale Union in Bayern' },
    { id: 'by-gruene', party: 'GRÜNE', name: 'BÜNDNIS 90/DIE GRÜNEN' },
  ];
  return {
    format: ELECTION_FORMAT,
    id: 'btw-test',
    name: 'Bundestagswahl Test',
    date: '2025-02-23',
    kind: 'BUNDESTAGSWAHL',
    areas: [
      { id: 'de', name: 'Deutschland', level: 'BUND', parentId: null },
      { id: 'by', name: 'Bayern', level: 'LAND', parentId: 'de' },
      { id: 'wk216', name: 'München-Nord', level: 'WAHLKREIS', parentId: 'by' },
      { id: 'wk217', name: 'München-Ost', level: 'WAHLKREIS', parentId: 'by' },
    ],
    precincts: [
      urne('n-u1', '1', 'wk216', 'n-b1', { A1: 1000, A2: 400, A3: 0 }),
      { id: 'n-b1', number: '901', name: 'Briefwahl Nord', kind: 'BRIEF', areaId: 'wk216' },
      urne('o-u1', '1', 'wk217', 'o-b1', { A1: 1000, A2: 400, A3: 0 }),
      { id: 'o-b1', number: '901', name: 'Briefwahl Ost', kind: 'BRIEF', areaId: 'wk217' },
    ],
    contests: [
      {
        kind: 'BUNDESTAG',
        id: 'btw-216',
        name: 'Wahlkreis 216',
        areaId: 'wk216',
        candidates: [
          { id: 'n-a', name: 'Anna A', party: 'CSU' },
          { id: 'n-b', name: 'Bernd B', party: 'GRÜNE' },
        ],
        lists,
      },
      {
        kind: 'BUNDESTAG',
        id: 'btw-217',
        name: 'Wahlkreis 217',
        areaId: 'wk217',
        candidates: [
          { id: 'o-a', name: 'Otto A', party: 'CSU' },
          { id: 'o-b', name: 'Olga B', party: 'GRÜNE' },
        ],
        lists,
      },
    ],
  };
}

/** A truthful, rule-clean report for u0101 of cityDefinition(); override counts to break it. */
export function cityReport(overrides: Partial<Schnellmeldung> = {}): Schnellmeldung {
  return {
    format: SCHNELLMELDUNG_FORMAT,
    electionId: 'kw-test',
    precinctId: 'u0101',
    contestId: 'ob',
    revision: 1,
    counts: {
      A1: 1200,
      A2: 500,
      A3: 3,
      A: 1703,
      B: 520,
      B1: 12,
      C: 6,
      D: 514,
      D1: 250,
      D2: 140,
      D3: 124,
    },
    acknowledgements: [],
    enteredBy: [
      { role: 'WAHLVORSTEHER', initials: 'MM' },
      { role: 'SCHRIFTFUEHRER', initials: 'AB' },
    ],
    ...overrides,
  };
}

/** A truthful report for the Briefwahlbezirk b0151. */
export function cityBriefReport(overrides: Partial<Schnellmeldung> = {}): Schnellmeldung {
  return cityReport({
    precinctId: 'b0151',
    counts: { B: 800, B1: 800, C: 8, D: 792, D1: 400, D2: 200, D3: 192 },
    ...overrides,
  });
}

/** A truthful Bundestag report for n-u1. */
export function bundestagReport(overrides: Partial<Schnellmeldung> = {}): Schnellmeldung {
  return cityReport({
    electionId: 'btw-test',
    precinctId: 'n-u1',
    contestId: 'btw-216',
    counts: {
      A1: 1000,
      A2: 400,
      A3: 0,
      A: 1400,
      B: 500,
      B1: 10,
      C: 5,
      D: 495,
      D1: 300,
      D2: 195,
      E: 4,
      F: 496,
      F1: 296,
      F2: 200,
    },
    ...overrides,
  });
}

export function withCounts(
  t: Schnellmeldung,
  changes: Record<string, number | undefined>,
): Schnellmeldung {
  const counts: Record<string, number> = { ...t.counts };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete counts[key];
    else counts[key] = value;
  }
  return { ...t, counts };
}
