import { ELECTION_FORMAT, type Area, type Contest, type Precinct } from '../definition.ts';
import { GENERATED_PLAUSIBILITY, type BuiltElection } from './built-election.ts';
import { apportion, buildPrecincts, type VoterFigures } from './figures.ts';
import { LAENDER, landeslisten } from './parties.ts';
import { placeName } from './people.ts';
import type { Random } from './random.ts';
import { wahlkreisCandidates } from './shape-munich.ts';

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** ~65,000 URNE and ~25,000 BRIEF over 299 Wahlkreise: per Wahlkreis 217 ± 20 % and 38.5 % of that. */
const URNE_PER_WAHLKREIS = 65_000 / 299;
const BRIEF_PER_URNE = 25_000 / 65_000;

/**
 * Bundestagswahl 2025 for all of Germany: BUND → 16 LAND → 299 WAHLKREIS → GEMEINDE → precincts.
 * Landeslisten ids ("by-csu") are shared by the Wahlkreise of a Land, so Zweitstimmen add up.
 */
export function germanyBtw2025(random: Random): BuiltElection {
  const figures = new Map<string, VoterFigures>();
  const areas: Area[] = [
    { id: 'de', name: 'Bundesrepublik Deutschland', level: 'BUND', parentId: null },
  ];
  const precincts: Precinct[] = [];
  const contests: Contest[] = [];
  const shares = new Map<string, number[][]>();
  let wkNumber = 0;
  for (const land of LAENDER) {
    areas.push({ id: land.code, name: land.name, level: 'LAND', parentId: 'de' });
    const lists = landeslisten(land.code, land.region);
    for (let w = 0; w < land.wahlkreise; w++) {
      wkNumber++;
      const wkId = `wk${pad(wkNumber, 3)}`;
      const r = random.stream(wkId);
      areas.push({
        id: wkId,
        name: `Wahlkreis ${wkNumber} ${placeName(r)}`,
        level: 'WAHLKREIS',
        parentId: land.code,
      });
      const candidates = wahlkreisCandidates(r.stream('candidates'), wkId, lists);
      const contestId = `btw2025-${wkId}`;
      shares.set(contestId, [candidates.map((c) => c.share), lists.map((l) => l.share)]);
      contests.push({
        kind: 'BUNDESTAG',
        id: contestId,
        name: `Wahlkreis ${wkNumber}`,
        areaId: wkId,
        candidates: candidates.map(({ id, name, party }) => ({ id, name, party })),
        lists: lists.map(({ id, party, name }) => ({ id, party, name })),
      });
      precincts.push(...wahlkreisPrecincts(r, wkId, areas, figures));
    }
  }
  return {
    definition: {
      format: ELECTION_FORMAT,
      id: 'btw2025',
      name: 'Bundestagswahl 2025 (generiert)',
      date: '2025-02-23',
      kind: 'BUNDESTAGSWAHL',
      areas,
      precincts,
      contests,
      plausibility: GENERATED_PLAUSIBILITY,
    },
    figures,
    shares,
  };
}

function wahlkreisPrecincts(
  random: Random,
  wkId: string,
  areas: Area[],
  figures: Map<string, VoterFigures>,
): Precinct[] {
  const urne = Math.round(URNE_PER_WAHLKREIS * random.between(0.8, 1.2));
  const gemeinden = random.int(6, 14);
  const weights = Array.from({ length: gemeinden }, () => random.between(0.3, 3));
  // every Gemeinde gets at least one Urnen- and one Briefwahlbezirk
  const urnePer = apportion(urne - gemeinden, weights).map((n) => n + 1);
  const briefPer = apportion(
    Math.max(0, Math.round(urne * BRIEF_PER_URNE) - gemeinden),
    weights,
  ).map((n) => n + 1);
  const precincts: Precinct[] = [];
  urnePer.forEach((u, g) => {
    const gId = `${wkId}-g${pad(g + 1, 2)}`;
    const gName = placeName(random);
    areas.push({ id: gId, name: gName, level: 'GEMEINDE', parentId: wkId });
    precincts.push(
      ...buildPrecincts({
        random,
        areaId: gId,
        urne: u,
        brief: briefPer[g] ?? 1,
        figures,
        urneId: (k) => ({
          id: `${gId}-u${pad(k, 3)}`,
          number: pad(k, 3),
          name: `${gName}, Wahlbezirk ${k}`,
        }),
        briefId: (k) => ({
          id: `${gId}-b${pad(k, 3)}`,
          number: `9${pad(k, 3)}`,
          name: `${gName}, Briefwahlbezirk ${k}`,
        }),
      }),
    );
  });
  return precincts;
}
