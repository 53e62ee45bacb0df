import { z } from 'zod';
import { IdSchema } from './definition.ts';

/**
 * The Schnellmeldung (quick report, § 71 BWO, Anlage 28): one precinct's count for one contest.
 * This is exactly what a station signs, so its shape is the wire format: canonical JSON
 * (RFC 8785) of this object is the signed content.
 *
 * The counts are keyed by the Kennbuchstaben of the paper form (A1, A2, A3, A, B, B1, C, D,
 * D1…Dn, E, F, F1…Fn), so a poll worker, an auditor and the code all speak of "D3" alike.
 * Which keys a contest needs, and whether the numbers add up, is decided by the plausibility
 * rules (which need the election definition), not by this schema: the schema only guarantees a
 * well-formed document, so that every semantic problem gets its own finding code.
 */

export const SCHNELLMELDUNG_FORMAT = 'wahlkoffer.schnellmeldung/1';

export const KENNBUCHSTABE_PATTERN = /^(?:A1|A2|A3|A|B|B1|C|D|E|F|D[1-9][0-9]?|F[1-9][0-9]?)$/;
export const KennbuchstabeSchema = z.string().regex(KENNBUCHSTABE_PATTERN);
export type Kennbuchstabe = z.infer<typeof KennbuchstabeSchema>;

/** Any finite number parses; the rules report non-integers and negatives with their own codes. */
export const CountsSchema = z.record(KennbuchstabeSchema, z.number().finite());
export type Counts = z.infer<typeof CountsSchema>;

/**
 * A written reason for a warning (SPEC §4: 3–500 characters), in well-formed Unicode: a lone
 * surrogate (`\ud800` in the JSON) has no UTF-8 and no RFC 8785 form, so it cannot be signed.
 */
export const ReasonSchema = z
  .string()
  .refine((s) => !/\p{Cs}/u.test(s), 'not well-formed Unicode (a lone surrogate)')
  .transform((s) => s.trim())
  .pipe(z.string().min(3).max(500));

export const AcknowledgementSchema = z.strictObject({
  /** the warning's code, e.g. "W.201" */
  code: z.string().regex(/^W\.[0-9]{3}$/),
  reason: ReasonSchema,
});
export type Acknowledgement = z.infer<typeof AcknowledgementSchema>;

/** Members of the Wahlvorstand (§ 6 BWahlG): the roles a poll worker entering the count can hold. */
export const PollWorkerRoleSchema = z.enum([
  'WAHLVORSTEHER',
  'STELLV_WAHLVORSTEHER',
  'SCHRIFTFUEHRER',
  'BEISITZER',
]);
export type PollWorkerRole = z.infer<typeof PollWorkerRoleSchema>;

/**
 * A person's name as written on the paper record: letters (any script), combining marks,
 * spaces, hyphens, apostrophes and dots; no leading, trailing or doubled spaces, so the signed
 * bytes show exactly what was typed.
 */
export const PersonNameSchema = z
  .string()
  .min(2)
  .max(100)
  .regex(/^\p{L}[\p{L}\p{M}'’. -]*$/u)
  .refine((s) => s === s.trim() && !s.includes('  '), 'no leading, trailing or double spaces');

/**
 * Initials as capital letters (1–4). Letters without case (e.g. CJK) count as capitals, so
 * every name has initials.
 */
export const InitialsSchema = z.string().regex(/^[\p{Lu}\p{Lo}]{1,4}$/u);

/**
 * One of the two poll workers who entered the count (four eyes, docs/decisions/0071). `name`
 * was added after format /1 was first used and stays optional, so reports signed with role and
 * initials only keep verifying; the kit always sends it (the paper record names both).
 */
export const EntrySignatureSchema = z.strictObject({
  role: PollWorkerRoleSchema,
  initials: InitialsSchema,
  name: PersonNameSchema.optional(),
});
export type EntrySignature = z.infer<typeof EntrySignatureSchema>;

/** "Maria Müller-Lüdenscheid" → "MML": the first letter of each part of the name, at most 4. */
export function initialsOf(name: string): string {
  const letters = name
    .split(/[\s-]+/u)
    .map((part) => [...(/\p{L}/u.exec(part)?.[0]?.toUpperCase() ?? '')][0] ?? '')
    .filter((letter) => /^[\p{Lu}\p{Lo}]$/u.test(letter));
  return letters.slice(0, 4).join('');
}

export const SchnellmeldungSchema = z.strictObject({
  format: z.literal(SCHNELLMELDUNG_FORMAT),
  electionId: IdSchema,
  precinctId: IdSchema,
  contestId: IdSchema,
  /** 1 for the first report; a correction is a new report with a higher revision */
  revision: z.number().int().min(1).max(999),
  /** required from revision 2 on (rule F.010): why the earlier report was wrong */
  correctionReason: ReasonSchema.optional(),
  counts: CountsSchema,
  /** warnings the Wahlvorstand acknowledged, each with a written reason */
  acknowledgements: z.array(AcknowledgementSchema).max(50),
  /** the two poll workers who entered the count independently (four eyes) */
  enteredBy: z.tuple([EntrySignatureSchema, EntrySignatureSchema]),
});
export type Schnellmeldung = z.infer<typeof SchnellmeldungSchema>;

/**
 * What counting and the cross-report views read of a Schnellmeldung: which report it is, its
 * figures and the warnings the Wahlvorstand acknowledged — not who entered it nor why it was
 * corrected. The server keeps this much of every current report (central-server/intake/
 * ledger.ts); the signed whole is the stored row.
 */
export type Tally = Pick<
  Schnellmeldung,
  'electionId' | 'precinctId' | 'contestId' | 'revision' | 'counts' | 'acknowledgements'
>;

/**
 * What the plausibility rules judge: a Schnellmeldung without the poll workers who entered it.
 * The four-eyes entry assesses each entry while it is typed, before both names are known.
 */
export type SchnellmeldungDraft = Omit<Schnellmeldung, 'enteredBy'>;
