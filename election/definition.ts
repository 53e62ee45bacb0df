import { z } from 'zod';

/**
 * The election definition (Wahldefinition): what is being elected, where, and by whom.
 * It is loaded by the kit (inside the signed provisioning bundle), the server and the auditor,
 * so it is parsed strictly at every boundary. Cross-references are checked in
 * `validate-definition.ts`; this file holds the shapes only.
 */

/**
 * Identifiers appear in certificate fields, file names and URLs, so they are restricted to a
 * small alphabet that needs no escaping anywhere.
 */
export const IdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'id: 1–64 of A–Z a–z 0–9 . _ -, starting alphanumeric',
  );
export type Id = z.infer<typeof IdSchema>;

/** A count on the paper form. 999,999,999 is far above any German electorate and keeps sums exact. */
export const MAX_COUNT = 999_999_999;
export const CountSchema = z.number().int().min(0).max(MAX_COUNT);

export const IsoDateSchema = z.iso.date();

export const ElectionKindSchema = z.enum(['BUNDESTAGSWAHL', 'KOMMUNALWAHL', 'STICHWAHL']);
export type ElectionKind = z.infer<typeof ElectionKindSchema>;

/** Levels of the area tree (Gebietsebenen). Bundestag: BUND → LAND → WAHLKREIS → GEMEINDE; city: STADT → STADTBEZIRK. */
export const AreaLevelSchema = z.enum([
  'BUND',
  'LAND',
  'WAHLKREIS',
  'KREIS',
  'GEMEINDE',
  'STADT',
  'STADTBEZIRK',
]);
export type AreaLevel = z.infer<typeof AreaLevelSchema>;

export const AreaSchema = z.strictObject({
  id: IdSchema,
  name: z.string().min(1).max(200),
  level: AreaLevelSchema,
  /** null for the one root of the tree */
  parentId: IdSchema.nullable(),
});
export type Area = z.infer<typeof AreaSchema>;

/** Register figures from the Wählerverzeichnis, preloaded into the kit (Anlage 28, Kennbuchstaben A1–A3). */
export const RegisterSchema = z.strictObject({
  /** Wahlberechtigte laut Wählerverzeichnis ohne Sperrvermerk „W" */
  A1: CountSchema,
  /** … mit Sperrvermerk „W" (Wahlschein) */
  A2: CountSchema,
  /** … nicht im Wählerverzeichnis, Wahlschein nach § 25 Abs. 2 BWO */
  A3: CountSchema,
});
export type Register = z.infer<typeof RegisterSchema>;

/** Stimmbezirk: URNE = Urnenwahlbezirk (polling station), BRIEF = Briefwahlbezirk (postal-vote board). */
export const PrecinctKindSchema = z.enum(['URNE', 'BRIEF']);
export type PrecinctKind = z.infer<typeof PrecinctKindSchema>;

export const PrecinctSchema = z.strictObject({
  id: IdSchema,
  /** the number printed on the forms, e.g. "0101" */
  number: z.string().regex(/^[0-9A-Za-z-]{1,16}$/),
  name: z.string().min(1).max(200),
  kind: PrecinctKindSchema,
  /** the leaf area the precinct belongs to (e.g. a Stadtbezirk or a Gemeinde) */
  areaId: IdSchema,
  /** URNE only: the Briefwahlbezirk whose postal votes belong to this Urnenwahlbezirk */
  briefwahlbezirkId: IdSchema.optional(),
  /** URNE only: register figures; a Briefwahlbezirk has no A values */
  register: RegisterSchema.optional(),
});
export type Precinct = z.infer<typeof PrecinctSchema>;

/** A candidate (Bewerber). Ballot position = position in the contest's list, so D1 is the first. */
export const CandidateSchema = z.strictObject({
  id: IdSchema,
  name: z.string().min(1).max(200),
  party: z.string().min(1).max(100).optional(),
});
export type Candidate = z.infer<typeof CandidateSchema>;

/** A party list (Landesliste / Wahlvorschlag). Ballot position = position in the list, so F1 is the first. */
export const PartyListSchema = z.strictObject({
  id: IdSchema,
  party: z.string().min(1).max(100),
  name: z.string().min(1).max(200),
});
export type PartyList = z.infer<typeof PartyListSchema>;

/**
 * Bundestag contest for one Wahlkreis: Erststimme for the Wahlkreis candidates (C, D, D1…Dn)
 * and Zweitstimme for the Landeslisten of the Land (E, F, F1…Fn). List ids are shared by all
 * Wahlkreise of a Land, so Zweitstimmen add up across contests.
 */
export const BundestagContestSchema = z.strictObject({
  kind: z.literal('BUNDESTAG'),
  id: IdSchema,
  name: z.string().min(1).max(200),
  /** every precinct in this area's subtree votes in this contest (the Wahlkreis) */
  areaId: IdSchema,
  candidates: z.array(CandidateSchema).min(1).max(99),
  lists: z.array(PartyListSchema).min(1).max(99),
});
export type BundestagContest = z.infer<typeof BundestagContestSchema>;

export const OfficeSchema = z.enum(['OBERBUERGERMEISTER', 'LANDRAT', 'BUERGERMEISTER']);
export type Office = z.infer<typeof OfficeSchema>;

/**
 * Majority vote for one office (Art. 46 GLKrWG): C invalid, D valid, D1…Dn per candidate.
 * A Stichwahl (run-off) has exactly the two leading candidates of the Hauptwahl.
 */
export const MehrheitswahlContestSchema = z
  .strictObject({
    kind: z.literal('MEHRHEITSWAHL'),
    id: IdSchema,
    name: z.string().min(1).max(200),
    areaId: IdSchema,
    office: OfficeSchema,
    round: z.enum(['HAUPTWAHL', 'STICHWAHL']),
    candidates: z.array(CandidateSchema).min(1).max(99),
  })
  .refine((c) => c.round !== 'STICHWAHL' || c.candidates.length === 2, {
    message: 'a Stichwahl has exactly two candidates',
    path: ['candidates'],
  });
export type MehrheitswahlContest = z.infer<typeof MehrheitswahlContestSchema>;

/** Adding a contest kind (Stadtrat, Bürgerentscheid) = a schema here + its entry in contest-kinds.ts. */
export const ContestSchema = z.discriminatedUnion('kind', [
  BundestagContestSchema,
  MehrheitswahlContestSchema,
]);
export type Contest = z.infer<typeof ContestSchema>;
export type ContestKind = Contest['kind'];

/** Thresholds of the warning rules; every field has a documented default in plausibility. */
export const PlausibilityConfigSchema = z.strictObject({
  /** turnout below this share warns (default 0.2) */
  turnoutMin: z.number().min(0).max(1).optional(),
  /** turnout above this share warns (default 0.95); above 1 is always a warning */
  turnoutMax: z.number().min(0).max(1).optional(),
  /** invalid share at or above this warns (default 0.03) */
  invalidShareMax: z.number().min(0).max(1).optional(),
  /** a correction changing any count by more than this share of B warns (default 0.05) */
  largeChangeShare: z.number().min(0).max(1).optional(),
});
export type PlausibilityConfig = z.infer<typeof PlausibilityConfigSchema>;

export const ELECTION_FORMAT = 'wahlkoffer.election/1';

export const ElectionDefinitionSchema = z.strictObject({
  format: z.literal(ELECTION_FORMAT),
  id: IdSchema,
  name: z.string().min(1).max(200),
  date: IsoDateSchema,
  kind: ElectionKindSchema,
  areas: z.array(AreaSchema).min(1),
  precincts: z.array(PrecinctSchema).min(1),
  contests: z.array(ContestSchema).min(1),
  plausibility: PlausibilityConfigSchema.optional(),
});
export type ElectionDefinition = z.infer<typeof ElectionDefinitionSchema>;
