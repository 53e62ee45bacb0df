import type {
  Area,
  Contest,
  ElectionDefinition,
  LocalizedMessage,
  Precinct,
} from '../../election/index.ts';

/**
 * The results model: what is published, computed from the election definition and the current
 * accepted reports by `buildResultsModel` (pure). Every renderer (HTML, JSON, kerg CSV, EML 510)
 * reads only this model, so the formats never disagree.
 */

/** Where a district's figures come from: the signed report of the kit, or taken by phone. */
export const DISTRICT_SOURCES = ['kit', 'telefonisch'] as const;
export type DistrictSource = (typeof DISTRICT_SOURCES)[number];

/** Zwischenergebnis while districts are missing, vorläufiges Ergebnis when all have reported. */
export type ResultStatus = 'ZWISCHENERGEBNIS' | 'VORLAEUFIGES_ERGEBNIS';

/** "x von y Stimmbezirken" and how many of the x were taken by phone. */
export type DistrictProgress = {
  readonly expected: number;
  readonly reported: number;
  readonly byPhone: number;
};

export type ChoiceResult = {
  /** candidate or list id; for a combined ballot the party (or "einzelbewerber") */
  readonly id: string;
  readonly name: string;
  readonly party: string | undefined;
  /** the Kennbuchstabe on the form (D3, F1); undefined in a combined ballot */
  readonly key: string | undefined;
  readonly votes: number;
  /** votes / valid votes of the section; null while there are no valid votes */
  readonly share: number | null;
};

export type SectionResult = {
  /** 1 = Erststimme / the only vote, 2 = Zweitstimme (the kerg "Stimme" column) */
  readonly stimme: 1 | 2;
  readonly label: LocalizedMessage;
  readonly invalid: number;
  readonly valid: number;
  /** ballot order (position on the ballot); renderers sort for display themselves */
  readonly choices: readonly ChoiceResult[];
};

/**
 * One ballot's result in one area: a contest that covers the area, or (kind 'combined') the
 * sum of every contest inside the area, e.g. the Zweitstimmen of a Land over its Wahlkreise.
 */
export type BallotResult = {
  readonly kind: 'contest' | 'combined';
  /** the contest id, or "gesamt" for the combined ballot */
  readonly id: string;
  readonly contestIds: readonly string[];
  readonly name: LocalizedMessage;
  readonly status: ResultStatus;
  readonly districts: DistrictProgress;
  /** acceptance time of the newest figures counted here; null before the first */
  readonly lastChange: Date | null;
  /** Wahlberechtigte (A) of the reported Urnenwahlbezirke */
  readonly electorate: number;
  /** Wählerinnen und Wähler (B), Urnen- and Briefwahl */
  readonly voters: number;
  /** voters / electorate over the reported districts; null while no electorate is known */
  readonly turnout: number | null;
  readonly sections: readonly SectionResult[];
};

export type DistrictContestState =
  | { readonly reported: false }
  | {
      readonly reported: true;
      readonly source: DistrictSource;
      readonly revision: number;
      readonly acceptedAt: Date;
      /** the district's figures in the order of `ResultsModel.keys` of the contest */
      readonly counts: Uint32Array;
    };

export type DistrictRow = {
  readonly precinct: Precinct;
  readonly contests: readonly {
    readonly contestId: string;
    readonly state: DistrictContestState;
  }[];
};

export type AreaSummary = {
  readonly area: Area;
  readonly districts: DistrictProgress;
  /** who leads the area's first ballot (its last section: Zweitstimme or the only one) */
  readonly leader: { readonly name: string; readonly share: number | null } | undefined;
};

export type AreaModel = {
  readonly area: Area;
  /** the root … the area itself */
  readonly path: readonly Area[];
  /** Stimmbezirke in the area that have reported for every contest they vote in */
  readonly progress: DistrictProgress;
  /** the newest figures counted in the area; null before the first */
  readonly lastChange: Date | null;
  readonly children: readonly AreaSummary[];
  readonly ballots: readonly BallotResult[];
  /** the Stimmbezirke whose area this is (leaf areas) */
  readonly districts: readonly DistrictRow[];
};

/** What every file needs besides its own areas: the election and the moment. */
export type ResultsHeader = {
  readonly election: Pick<ElectionDefinition, 'id' | 'name' | 'date' | 'kind'>;
  readonly generatedAt: Date;
  readonly lastChange: Date | null;
  /** the highest receipt sequence number counted (newsrooms compare snapshots by it) */
  readonly lastSequence: number;
  /** current reports counted (precinct × contest) */
  readonly reportsCounted: number;
  readonly rootAreaId: string;
  readonly contests: readonly Contest[];
  /** per contest: the Kennbuchstaben in form order (A1 … F<n>), the layout of district counts */
  readonly keys: ReadonlyMap<string, readonly string[]>;
  /** per contest: the highest sequence number counted (a file's TransactionId / Stand) */
  readonly contestSequences: ReadonlyMap<string, number>;
};

export type ResultsModel = ResultsHeader & {
  /** every area that has districts, root first, each followed by its subtree */
  readonly areas: readonly AreaModel[];
};
