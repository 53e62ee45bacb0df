import { z } from 'zod';
import { AcknowledgementSchema } from '../schnellmeldung.ts';
import { PersonSchema } from './state.ts';

/**
 * What can happen to a four-eyes entry. Events come from a form (kit renderer, office
 * dashboard) and may cross a process boundary, so they have a schema; the reducer itself still
 * refuses any event the state does not allow, with a code.
 *
 * Values are whole numbers or `null` for a cleared field; anything a keyboard can produce
 * beyond that is refused (`INVALID_VALUE`) rather than coerced.
 */
export const FourEyesEventSchema = z.discriminatedUnion('type', [
  /** the first poll worker starts typing (from EMPTY or CORRECTION) */
  z.strictObject({ type: z.literal('START_FIRST_ENTRY'), person: PersonSchema }),
  /** a different poll worker starts the blind second entry (from FIRST_ENTRY_DONE) */
  z.strictObject({ type: z.literal('START_SECOND_ENTRY'), person: PersonSchema }),
  /** one field of the entry in progress */
  z.strictObject({
    type: z.literal('SET_VALUE'),
    key: z.string().max(8),
    value: z.number().nullable(),
  }),
  /** the person typing says "done": complete and free of errors */
  z.strictObject({ type: z.literal('FINISH_ENTRY') }),
  /** the first poll worker reopens their finished entry before the second one starts */
  z.strictObject({ type: z.literal('REOPEN_FIRST_ENTRY') }),
  /** settle one differing field: keep the first figure, keep the second, or type it again */
  z.strictObject({
    type: z.literal('RESOLVE_DIFFERENCE'),
    key: z.string().max(8),
    choice: z.enum(['KEEP_FIRST', 'KEEP_SECOND']),
  }),
  z.strictObject({
    type: z.literal('ENTER_AGAIN'),
    key: z.string().max(8),
    value: z.number().nullable(),
  }),
  /** every difference is settled: take the agreed figures to the checks */
  z.strictObject({ type: z.literal('FINISH_RESOLUTION') }),
  /** a warning is right as it is: give the written reason (3–500 characters) */
  z.strictObject({
    type: z.literal('ACKNOWLEDGE_WARNING'),
    code: AcknowledgementSchema.shape.code,
    reason: z.string().max(2000),
  }),
  z.strictObject({ type: z.literal('WITHDRAW_ACKNOWLEDGEMENT'), code: z.string().max(8) }),
  /** both poll workers approve the agreed figures: the report is fixed and can be sealed */
  z.strictObject({ type: z.literal('SIGN') }),
  /** after a report was signed (and usually sent): start revision n + 1 with a reason */
  z.strictObject({ type: z.literal('START_CORRECTION'), reason: z.string().max(2000) }),
  /** throw away everything typed in this round and start again (not after signing) */
  z.strictObject({ type: z.literal('DISCARD') }),
]);
export type FourEyesEvent = z.infer<typeof FourEyesEventSchema>;
export type FourEyesEventType = FourEyesEvent['type'];
