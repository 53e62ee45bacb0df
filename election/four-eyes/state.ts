import { z } from 'zod';
import { CountSchema, IdSchema } from '../definition.ts';
import {
  AcknowledgementSchema,
  PersonNameSchema,
  PollWorkerRoleSchema,
  ReasonSchema,
  SchnellmeldungSchema,
} from '../schnellmeldung.ts';

/**
 * The states of the four-eyes entry of one Schnellmeldung (SPEC §5 "Four eyes"; modelled on
 * Abacus's `DataEntryStatus`, docs/decisions/0070). The whole state is plain JSON data, so the
 * kit can keep it on disk and the office dashboard can store it in a row; everything it needs
 * besides (the election index) is passed to the reducer. The diagram is in docs/four-eyes.md.
 *
 * Persons are just an id and a name (and, on the kit, the role in the Wahlvorstand that goes
 * into the report): the machine knows nothing of kits, sessions or office users.
 */

export const PersonSchema = z.strictObject({
  /** stable identity; two entries need two different ids (and two different names) */
  id: z.string().min(1).max(64),
  name: PersonNameSchema,
  /** the role in the Wahlvorstand; needed to sign a Schnellmeldung, not to enter */
  role: PollWorkerRoleSchema.optional(),
});
export type Person = z.infer<typeof PersonSchema>;

/** The figures one person typed, keyed by Kennbuchstabe; an empty field is absent. */
export const EntryValuesSchema = z.record(z.string(), CountSchema);
export type EntryValues = z.infer<typeof EntryValuesSchema>;

export const EntrySchema = z.strictObject({
  person: PersonSchema,
  values: EntryValuesSchema,
});
export type Entry = z.infer<typeof EntrySchema>;

/** Which report is being entered: fixed for the life of the machine. */
export const EntryTargetSchema = z.strictObject({
  electionId: IdSchema,
  precinctId: IdSchema,
  contestId: IdSchema,
});
export type EntryTarget = z.infer<typeof EntryTargetSchema>;

/** One round of entry: revision 1, or a correction with its reason and the report it corrects. */
export const CycleSchema = z.strictObject({
  revision: z.number().int().min(1).max(999),
  correctionReason: ReasonSchema.optional(),
  previous: SchnellmeldungSchema.optional(),
});
export type Cycle = z.infer<typeof CycleSchema>;

/** How a field on which the two entries differ was settled at the table. */
export const ResolutionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('KEEP_FIRST') }),
  z.strictObject({ kind: z.literal('KEEP_SECOND') }),
  /** the figure was read from the paper again and typed anew */
  z.strictObject({ kind: z.literal('ENTERED_AGAIN'), value: CountSchema }),
]);
export type Resolution = z.infer<typeof ResolutionSchema>;

export const DifferenceSchema = z.strictObject({
  key: z.string(),
  first: CountSchema.optional(),
  second: CountSchema.optional(),
  resolution: ResolutionSchema.optional(),
});
export type Difference = z.infer<typeof DifferenceSchema>;

const base = {
  target: EntryTargetSchema,
  cycle: CycleSchema,
  /** figures both entries start with, e.g. A1–A3 from the voter register (same for both) */
  prefill: EntryValuesSchema,
};
const bothEntries = { ...base, first: EntrySchema, second: EntrySchema };

export const FourEyesStateSchema = z.discriminatedUnion('status', [
  z.strictObject({ status: z.literal('EMPTY'), ...base }),
  /** a correction was started (revision ≥ 2, with its reason); no entry yet */
  z.strictObject({ status: z.literal('CORRECTION'), ...base }),
  z.strictObject({ status: z.literal('FIRST_ENTRY_IN_PROGRESS'), ...base, first: EntrySchema }),
  z.strictObject({ status: z.literal('FIRST_ENTRY_DONE'), ...base, first: EntrySchema }),
  z.strictObject({ status: z.literal('SECOND_ENTRY_IN_PROGRESS'), ...bothEntries }),
  z.strictObject({
    status: z.literal('ENTRIES_DIFFER'),
    ...bothEntries,
    differences: z.array(DifferenceSchema).min(1),
  }),
  z.strictObject({
    status: z.literal('READY_TO_SIGN'),
    ...bothEntries,
    /** the settled differences (empty when both entries agreed at once) */
    differences: z.array(DifferenceSchema),
    /** the agreed figures */
    values: EntryValuesSchema,
    acknowledgements: z.array(AcknowledgementSchema),
  }),
  z.strictObject({
    status: z.literal('SIGNED'),
    ...base,
    report: SchnellmeldungSchema,
    /** how the report came about; absent when the state was restored from a sent report */
    entries: z
      .strictObject({
        first: EntrySchema,
        second: EntrySchema,
        differences: z.array(DifferenceSchema),
      })
      .optional(),
  }),
]);
export type FourEyesState = z.infer<typeof FourEyesStateSchema>;
export type FourEyesStatus = FourEyesState['status'];
export type StateOf<S extends FourEyesStatus> = Extract<FourEyesState, { status: S }>;
