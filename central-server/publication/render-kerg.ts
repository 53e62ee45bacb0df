import type { AreaLevel, Contest } from '../../election/index.ts';
import type { AreaModel, BallotResult, ResultsHeader } from './model.ts';

/** The columns of the Bundeswahlleiterin's long open-data layout (kerg2), in order. */
export const KERG_COLUMNS = [
  'Wahlart',
  'Wahltag',
  'Gebietsart',
  'Gebietsnummer',
  'Gebietsname',
  'UegGebietsart',
  'UegGebietsnummer',
  'Gruppenart',
  'Gruppenname',
  'Gruppenreihenfolge',
  'Stimme',
  'Anzahl',
  'Prozent',
  'VorpAnzahl',
  'VorpProzent',
  'DiffProzent',
  'DiffProzentPkt',
  'Bemerkung',
] as const;

/** kerg's Gebietsart words (UegGebietsart is the same word in capitals, as in kerg2). */
export const GEBIETSART: Record<AreaLevel, string> = {
  BUND: 'Bund',
  LAND: 'Land',
  WAHLKREIS: 'Wahlkreis',
  KREIS: 'Kreis',
  GEMEINDE: 'Gemeinde',
  STADT: 'Stadt',
  STADTBEZIRK: 'Stadtbezirk',
};

/** Wahlart codes: BT as in kerg2; the municipal offices get their usual abbreviations. */
export function wahlart(contest: Contest): string {
  if (contest.kind === 'BUNDESTAG') return 'BT';
  const office = { OBERBUERGERMEISTER: 'OB', LANDRAT: 'LR', BUERGERMEISTER: 'BM' }[contest.office];
  return contest.round === 'STICHWAHL' ? `${office}-Stichwahl` : office;
}

/** System groups first, with negative order numbers so they sort before the parties (kerg2 2025). */
const SYSTEM = { Wahlberechtigte: -4, Wählende: -3, Ungültige: -2, Gültige: -1 } as const;

/** German decimal with six places, as kerg2 ("11,606116"); empty without a base. */
export function kergPercent(part: number, whole: number): string {
  return whole > 0 ? ((part / whole) * 100).toFixed(6).replace('.', ',') : '';
}

/** A field quoted only when it must be (RFC 4180: separator, quote or line break inside). */
export function csvField(value: string | number): string {
  const text = String(value);
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

type Row = { group: [string, string, number]; stimme: number | ''; count: number; percent: string };

function ballotRows(contest: Contest, ballot: BallotResult): Row[] {
  const rows: Row[] = [
    {
      group: ['System-Gruppe', 'Wahlberechtigte', SYSTEM.Wahlberechtigte],
      stimme: '',
      count: ballot.electorate,
      percent: '',
    },
    {
      group: ['System-Gruppe', 'Wählende', SYSTEM.Wählende],
      stimme: '',
      count: ballot.voters,
      percent: kergPercent(ballot.voters, ballot.electorate),
    },
  ];
  for (const s of ballot.sections) {
    rows.push(
      {
        group: ['System-Gruppe', 'Ungültige', SYSTEM.Ungültige],
        stimme: s.stimme,
        count: s.invalid,
        percent: kergPercent(s.invalid, ballot.voters),
      },
      {
        group: ['System-Gruppe', 'Gültige', SYSTEM.Gültige],
        stimme: s.stimme,
        count: s.valid,
        percent: kergPercent(s.valid, ballot.voters),
      },
    );
  }
  for (const s of ballot.sections) {
    s.choices.forEach((c, i) => {
      const group: Row['group'] =
        contest.kind === 'MEHRHEITSWAHL'
          ? ['Bewerber', c.name, i + 1]
          : c.party === undefined
            ? ['Einzelbewerber', c.name, i + 1]
            : ['Partei', c.party, i + 1];
      rows.push({
        group,
        stimme: s.stimme,
        count: c.votes,
        percent: kergPercent(c.votes, s.valid),
      });
    });
  }
  return rows;
}

function remark(ballot: BallotResult): string {
  const { reported, expected } = ballot.districts;
  return ballot.status === 'VORLAEUFIGES_ERGEBNIS'
    ? 'vorläufiges Ergebnis'
    : `Zwischenergebnis: ${reported} von ${expected} Stimmbezirken`;
}

function areaLines(contest: Contest, date: string, a: AreaModel): string[] {
  const parent = a.path.at(-2);
  const ballot = a.ballots.find((b) => b.kind === 'contest' && b.id === contest.id);
  if (ballot === undefined) return [];
  const [y, m, d] = date.split('-');
  const head = [
    wahlart(contest),
    `${d}.${m}.${y}`,
    GEBIETSART[a.area.level],
    a.area.id,
    a.area.name,
    parent === undefined ? '' : parent.level,
    parent === undefined ? '' : parent.id,
  ];
  const note = remark(ballot);
  return ballotRows(contest, ballot).map((r) =>
    [...head, ...r.group, r.stimme, r.count, r.percent, '', '', '', '', note]
      .map(csvField)
      .join(';'),
  );
}

/**
 * `<contestId>.kerg.csv`: one contest in the Bundeswahlleiterin's long layout (kerg2):
 * `;`-separated, UTF-8 with BOM, two `#` lines of preamble, the header, then per area (the
 * contest's area and every area below it, `areas` in tree order) the System-Gruppe rows
 * Wahlberechtigte, Wählende, Ungültige and Gültige (per Stimme) and one row per party, candidate
 * or list. Gebietsnummer is the area id of the election definition; the Vorperiode columns stay
 * empty. The preamble names the contest's own newest figures, so an unchanged contest gives the
 * same bytes.
 */
export function renderKergCsv(
  header: ResultsHeader,
  contest: Contest,
  areas: readonly AreaModel[],
): string {
  return [...kergParts(header, contest, areas)].join('');
}

/** The same text in parts, an area's lines each (see `emlParts`). */
export function* kergParts(
  header: ResultsHeader,
  contest: Contest,
  areas: readonly AreaModel[],
): Generator<string> {
  const own = areas[0]?.ballots.find((b) => b.kind === 'contest' && b.id === contest.id);
  const last = own?.lastChange ?? null;
  const stand = last === null ? 'noch keine Meldung' : `Stand ${last.toISOString()}`;
  yield (
    `\uFEFF# Wahlkoffer: ${header.election.name}, ${contest.name}. ${stand}, letzte Meldung Nr. ${header.contestSequences.get(contest.id) ?? 0}\n` +
    '# Vorläufige Ergebnisse (Schnellmeldungen nach § 71 BWO); Anzahl exakt, Prozent auf 6 Stellen\n' +
    `${KERG_COLUMNS.join(';')}\n`
  );
  for (const a of areas) {
    for (const line of areaLines(contest, header.election.date, a)) yield `${line}\n`;
  }
}
