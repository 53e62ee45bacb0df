import {
  ELECTION_FORMAT,
  type Area,
  type Contest,
  type ElectionDefinition,
  type Precinct,
} from '../definition.ts';
import { apportion, buildPrecincts, type VoterFigures } from './figures.ts';
import { MUNICH_WAHLKREISE, PLACE_KINDS, STADTBEZIRKE, STREETS } from './munich-data.ts';
import { landeslisten, MUNICH_OB_2020, type PartyShare } from './parties.ts';
import { personName } from './people.ts';
import type { Random } from './random.ts';
import { GENERATED_PLAUSIBILITY, type BuiltElection } from './built-election.ts';
import { candidateShares } from './shares.ts';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** Munich precincts of one Stadtbezirk: numbers "SSKKK" (URNE 001…, BRIEF 501…), ids "stb-SSKKK". */
function stadtbezirkPrecincts(
  random: Random,
  sb: number,
  urne: number,
  brief: number,
  figures: Map<string, VoterFigures>,
): Precinct[] {
  const sbName = STADTBEZIRKE[sb - 1]?.name ?? `Stadtbezirk ${sb}`;
  const names = random.stream(`names:${sb}`);
  return buildPrecincts({
    random,
    areaId: `sb${pad(sb, 2)}`,
    urne,
    brief,
    figures,
    urneId: (k) => {
      const number = `${pad(sb, 2)}${pad(k, 3)}`;
      return {
        id: `stb-${number}`,
        number,
        name: `${names.pick(PLACE_KINDS)} ${names.pick(STREETS)}`,
      };
    },
    briefId: (k) => {
      const number = `${pad(sb, 2)}${pad(500 + k, 3)}`;
      return { id: `stb-${number}`, number, name: `Briefwahlbezirk ${number} ${sbName}` };
    },
  });
}

function stadtbezirkAreas(parentOf: (sb: number) => string): Area[] {
  return STADTBEZIRKE.map((sb, i) => ({
    id: `sb${pad(i + 1, 2)}`,
    name: `${i + 1} ${sb.name}`,
    level: 'STADTBEZIRK',
    parentId: parentOf(i + 1),
  }));
}

function cityPrecincts(
  random: Random,
  urne: number,
  brief: number,
  figures: Map<string, VoterFigures>,
): Precinct[] {
  const weights = STADTBEZIRKE.map((s) => s.weight);
  const urnePerSb = apportion(urne, weights);
  const briefPerSb = apportion(brief, weights);
  return urnePerSb.flatMap((u, i) =>
    stadtbezirkPrecincts(random, i + 1, u, briefPerSb[i] ?? 1, figures),
  );
}

/** Kommunalwahl 2020, Oberbürgermeister: 755 URNE + 519 BRIEF = 1,274 Stimmbezirke in 25 Stadtbezirke. */
export function munichKw2020(random: Random): BuiltElection {
  return munichOberbuergermeister(random, 'HAUPTWAHL', MUNICH_OB_2020);
}

/**
 * The Stichwahl of 29 March 2020 between the two leaders (Reiter 71.7 %, Frank 28.3 %), on the
 * same Stimmbezirke. (The real one was postal-only because of the pandemic; we keep the urns.)
 */
export function munichOb2020Stichwahl(random: Random): BuiltElection {
  const [reiter, frank] = MUNICH_OB_2020;
  if (reiter === undefined || frank === undefined) throw new RangeError('candidates');
  return munichOberbuergermeister(random, 'STICHWAHL', [
    { ...reiter, share: 71.7 },
    { ...frank, share: 28.3 },
  ]);
}

function munichOberbuergermeister(
  random: Random,
  round: 'HAUPTWAHL' | 'STICHWAHL',
  candidates: readonly PartyShare[],
): BuiltElection {
  const figures = new Map<string, VoterFigures>();
  const stichwahl = round === 'STICHWAHL';
  const contest: Contest = {
    kind: 'MEHRHEITSWAHL',
    id: stichwahl ? 'ob-2020-stichwahl' : 'ob-2020',
    name: `${stichwahl ? 'Stichwahl' : 'Wahl'} des Oberbürgermeisters der Landeshauptstadt München`,
    areaId: 'muenchen',
    office: 'OBERBUERGERMEISTER',
    round,
    candidates: candidates.map((c) => ({ id: c.id, name: c.name, party: c.party })),
  };
  const definition: ElectionDefinition = {
    format: ELECTION_FORMAT,
    id: stichwahl ? 'muenchen-ob2020-stichwahl' : 'muenchen-kw2020',
    name: stichwahl
      ? 'Stichwahl Oberbürgermeister München 2020 (generiert)'
      : 'Kommunalwahl München 2020 (generiert)',
    date: stichwahl ? '2020-03-29' : '2020-03-15',
    kind: stichwahl ? 'STICHWAHL' : 'KOMMUNALWAHL',
    areas: [
      { id: 'muenchen', name: 'Landeshauptstadt München', level: 'STADT', parentId: null },
      ...stadtbezirkAreas(() => 'muenchen'),
    ],
    precincts: cityPrecincts(random, 755, 519, figures),
    contests: [contest],
    plausibility: GENERATED_PLAUSIBILITY,
  };
  return { definition, figures, shares: new Map([[contest.id, [candidates.map((c) => c.share)]]]) };
}

/** Bundestagswahl 2025 in Munich: 4 Wahlkreise, ~470 URNE + ~430 BRIEF. */
export function munichBtw2025(random: Random): BuiltElection {
  const figures = new Map<string, VoterFigures>();
  const wkOf = new Map<number, string>();
  for (const wk of MUNICH_WAHLKREISE)
    for (const sb of wk.stadtbezirke) wkOf.set(sb, `wk${wk.number}`);
  const lists = landeslisten('by', 'MUNICH');
  const shares = new Map<string, number[][]>();
  const contests: Contest[] = MUNICH_WAHLKREISE.map((wk) => {
    const candidates = wahlkreisCandidates(
      random.stream(`candidates:${wk.number}`),
      `wk${wk.number}`,
      lists,
    );
    const id = `btw2025-wk${wk.number}`;
    shares.set(id, [candidates.map((c) => c.share), lists.map((l) => l.share)]);
    return {
      kind: 'BUNDESTAG',
      id,
      name: `Wahlkreis ${wk.number} ${wk.name}`,
      areaId: `wk${wk.number}`,
      candidates: candidates.map(({ id: cid, name, party }) => ({ id: cid, name, party })),
      lists: lists.map(({ id: lid, party, name }) => ({ id: lid, party, name })),
    };
  });
  const definition: ElectionDefinition = {
    format: ELECTION_FORMAT,
    id: 'muenchen-btw2025',
    name: 'Bundestagswahl 2025 in München (generiert)',
    date: '2025-02-23',
    kind: 'BUNDESTAGSWAHL',
    areas: [
      { id: 'muenchen', name: 'Landeshauptstadt München', level: 'STADT', parentId: null },
      ...MUNICH_WAHLKREISE.map((wk): Area => ({
        id: `wk${wk.number}`,
        name: `${wk.number} ${wk.name}`,
        level: 'WAHLKREIS',
        parentId: 'muenchen',
      })),
      ...stadtbezirkAreas((sb) => wkOf.get(sb) ?? 'muenchen'),
    ],
    precincts: cityPrecincts(random, 470, 430, figures),
    contests,
    plausibility: GENERATED_PLAUSIBILITY,
  };
  return { definition, figures, shares };
}

/** One direct candidate per list party (the small ones not everywhere), ids "<prefix>-c01". */
export function wahlkreisCandidates(
  random: Random,
  prefix: string,
  lists: readonly PartyShare[],
): PartyShare[] {
  const running = lists.filter((l) => l.share >= 2 || random.float() < 0.5);
  const shares = candidateShares(running.map((l) => l.share));
  return running.map((l, i) => ({
    id: `${prefix}-c${pad(i + 1, 2)}`,
    party: l.party,
    name: personName(random),
    share: shares[i] ?? 0,
  }));
}
