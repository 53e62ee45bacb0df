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

/** A written reason for a warning (SPEC §4: 3–500 characters). */
export const ReasonSchema = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().min(3).max(500));

export const AcknowledgementSchema = z.strictObject({
  /** the warning's code, e.g. "W.201" */
  code: z.string().regex(/^W\.[0-9]{3}$/),
  reason: ReasonSchema,
});
export type Acknowledgement = z.infer<typeof AcknowledgementSchema>;

/** Members of the Wahlvorstand. Reports are published for audit, so only role and initials. */
export const PollWorkerRoleSchema = z.enum([
  'WAHLVORSTEHER',
  'STELLV_WAHLVORSTEHER',
  'SCHRIFTFUEHRER',
  'BEISITZER',
]);
export type PollWorkerRole = z.infer<typeof PollWorkerRoleSchema>;

export const EntrySignatureSchema = z.strictObject({
  role: PollWorkerRoleSchema,
  initials: z.string().regex(/^[A-ZÄÖÜ]{1,4}$/),
});
export type EntrySignature = z.infer<typeof EntrySignatureSchema>;

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
