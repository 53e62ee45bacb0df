import {
  ballotSections,
  type BundestagContest,
  type Contest,
  type ContestTotals,
} from '../../election/index.ts';
import type { BallotResult, ChoiceResult, SectionResult } from './model.ts';
import { ratio } from './ratio.ts';
import type { PublicationView } from './state.ts';

/** The group of a candidate without a party in a combined Erststimmen result. */
export const INDEPENDENTS = { id: 'einzelbewerber', de: 'Einzelbewerber', en: 'Independents' };

type Group = { id: string; name: string; votes: number };

function addTo(groups: Map<string, Group>, party: string | undefined, votes: number): void {
  const id = party ?? INDEPENDENTS.id;
  const group = groups.get(id);
  if (group === undefined) groups.set(id, { id, name: party ?? INDEPENDENTS.de, votes });
  else group.votes += votes;
}

function groupedSection(
  stimme: 1 | 2,
  label: SectionResult['label'],
  counts: { invalid: number; valid: number },
  groups: Map<string, Group>,
): SectionResult {
  const choices: ChoiceResult[] = [...groups.values()]
    .sort((a, b) => b.votes - a.votes || a.name.localeCompare(b.name, 'de'))
    .map((g) => ({
      id: g.id,
      name: g.name,
      party: g.id === INDEPENDENTS.id ? undefined : g.name,
      key: undefined,
      votes: g.votes,
      share: ratio(g.votes, counts.valid),
    }));
  return { stimme, label, ...counts, choices };
}

/**
 * The combined result of several Bundestag contests (Wahlkreise) inside one area, votes grouped
 * by party: Erststimmen of each party's candidates, Zweitstimmen of each party's Landeslisten
 * (across Länder, CDU lists of two Länder add up). Other contest kinds are not combined (two
 * mayors' elections have nothing to add up); the page links to them instead.
 */
export function combinedBallot(
  contests: readonly Contest[],
  areaId: string,
  view: PublicationView,
):
  | {
      frame: Pick<BallotResult, 'kind' | 'id' | 'contestIds' | 'name' | 'sections'>;
      totals: ContestTotals;
    }
  | undefined {
  const bundestag = contests.filter((c): c is BundestagContest => c.kind === 'BUNDESTAG');
  if (bundestag.length === 0 || bundestag.length !== contests.length) return undefined;
  const first = new Map<string, Group>();
  const second = new Map<string, Group>();
  for (const contest of bundestag) {
    const t = view.totals(contest.id, areaId);
    if (t === undefined) continue;
    for (const c of contest.candidates) addTo(first, c.party, t.candidates[c.id] ?? 0);
    for (const l of contest.lists) addTo(second, l.party, t.lists[l.id] ?? 0);
  }
  const totals = view.combinedTotals(
    areaId,
    bundestag.map((c) => c.id),
  );
  const [erst, zweit] = ballotSections(bundestag[0]!);
  const section = (stimme: 1 | 2, s: typeof erst, groups: Map<string, Group>) =>
    groupedSection(
      stimme,
      s?.label ?? { de: '', en: '' },
      {
        invalid: totals.counts[s?.invalid ?? 'C'] ?? 0,
        valid: totals.counts[s?.valid ?? 'D'] ?? 0,
      },
      groups,
    );
  return {
    frame: {
      kind: 'combined',
      id: 'gesamt',
      contestIds: bundestag.map((c) => c.id),
      name: {
        de: `Gesamtergebnis aus ${bundestag.length} Wahlkreis${bundestag.length === 1 ? '' : 'en'}`,
        en: `All ${bundestag.length} constituenc${bundestag.length === 1 ? 'y' : 'ies'} combined`,
      },
      sections: [section(1, erst, first), section(2, zweit, second)],
    },
    totals,
  };
}
