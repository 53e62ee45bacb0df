import type { Contest, ContestKind, PrecinctKind } from './definition.ts';
import type { LocalizedMessage } from './error.ts';

/**
 * What each contest kind puts on the Schnellmeldung (Anlage 28). A contest's ballot has one or
 * more sections ("Stimmen"): Bundestag has the Erststimme (C invalid, D valid, D1…Dn per
 * candidate) and the Zweitstimme (E, F, F1…Fn per Landesliste); a single-office majority vote
 * (Oberbürgermeister, Landrat, Bürgermeister and their Stichwahl) has one section (C, D, D1…Dn).
 *
 * Adding a kind (Stadtrat with Kumulieren/Panaschieren, Bürgerentscheid) = its schema in
 * definition.ts + one entry in CONTEST_KINDS (sections and, if needed, extra rule codes in
 * plausibility/rules-table.ts). Nothing else switches on the kind.
 */

export type SectionRuleCodes = {
  /** B = invalid + valid */
  readonly balance: 'F.301' | 'F.401';
  /** valid = Σ choices */
  readonly sum: 'F.302' | 'F.402';
};

export type BallotChoice = {
  /** the Kennbuchstabe, e.g. "D3" */
  readonly key: string;
  /** candidate or list id */
  readonly id: string;
};

export type BallotSection = {
  readonly label: LocalizedMessage;
  readonly invalid: 'C' | 'E';
  readonly valid: 'D' | 'F';
  readonly choiceKind: 'candidate' | 'list';
  readonly choices: readonly BallotChoice[];
  readonly codes: SectionRuleCodes;
};

type ContestOf<K extends ContestKind> = Extract<Contest, { kind: K }>;

export type ContestKindRules<K extends ContestKind> = {
  readonly sections: (contest: ContestOf<K>) => readonly BallotSection[];
};

const ERSTSTIMME_CODES: SectionRuleCodes = { balance: 'F.301', sum: 'F.302' };
const ZWEITSTIMME_CODES: SectionRuleCodes = { balance: 'F.401', sum: 'F.402' };

function choices(prefix: 'D' | 'F', ids: readonly { id: string }[]): BallotChoice[] {
  return ids.map((item, i) => ({ key: `${prefix}${i + 1}`, id: item.id }));
}

export const CONTEST_KINDS: { readonly [K in ContestKind]: ContestKindRules<K> } = {
  BUNDESTAG: {
    sections: (contest) => [
      {
        label: { de: 'Erststimmen', en: 'first votes (constituency candidates)' },
        invalid: 'C',
        valid: 'D',
        choiceKind: 'candidate',
        choices: choices('D', contest.candidates),
        codes: ERSTSTIMME_CODES,
      },
      {
        label: { de: 'Zweitstimmen', en: 'second votes (Landeslisten)' },
        invalid: 'E',
        valid: 'F',
        choiceKind: 'list',
        choices: choices('F', contest.lists),
        codes: ZWEITSTIMME_CODES,
      },
    ],
  },
  MEHRHEITSWAHL: {
    sections: (contest) => [
      {
        label: { de: 'Stimmen', en: 'votes' },
        invalid: 'C',
        valid: 'D',
        choiceKind: 'candidate',
        choices: choices('D', contest.candidates),
        codes: ERSTSTIMME_CODES,
      },
    ],
  },
};

const sectionCache = new WeakMap<Contest, readonly BallotSection[]>();

/** The ballot sections of a contest (cached per contest object). */
export function ballotSections(contest: Contest): readonly BallotSection[] {
  const cached = sectionCache.get(contest);
  if (cached !== undefined) return cached;
  let sections: readonly BallotSection[];
  switch (contest.kind) {
    case 'BUNDESTAG':
      sections = CONTEST_KINDS.BUNDESTAG.sections(contest);
      break;
    case 'MEHRHEITSWAHL':
      sections = CONTEST_KINDS.MEHRHEITSWAHL.sections(contest);
      break;
  }
  sectionCache.set(contest, sections);
  return sections;
}

/** Register and voter Kennbuchstaben: a Briefwahlbezirk reports no A values (Anlage 28). */
export const REGISTER_KEYS = ['A1', 'A2', 'A3', 'A'] as const;
export const VOTER_KEYS = ['B', 'B1'] as const;

/**
 * Every Kennbuchstabe a precinct of the given kind must report for the contest, in form
 * order: A1 A2 A3 A (URNE only), B B1, then per section invalid, valid, choices.
 */
export function requiredKennbuchstaben(contest: Contest, precinctKind: PrecinctKind): string[] {
  const keys: string[] = precinctKind === 'URNE' ? [...REGISTER_KEYS] : [];
  keys.push(...VOTER_KEYS);
  for (const section of ballotSections(contest)) {
    keys.push(section.invalid, section.valid, ...section.choices.map((c) => c.key));
  }
  return keys;
}
