import { z } from 'zod';
import type { OfficeEntryEvent, PhoneEntryView } from '../../actions/index.ts';
import { REVOCATION_REASON_WORDS, type OfficeRevocationReason } from './messages.ts';

/**
 * The action pages' form bodies, parsed before anything is called: every field a string of
 * bounded length (a repeated field arrives as an array and is refused), unknown fields ignored.
 */
const text = (max: number) => z.string().max(max);

export const ConfirmFormSchema = z.object({ precinct: text(64), code: text(32) });

export const EntryLookupSchema = z.object({ precinct: text(64), contest: text(64) });

export const EntryStepSchema = z.object({
  step: z.enum([
    'start-first',
    'start-second',
    'save',
    'finish',
    'reopen',
    'discard',
    'resolve',
    'sign',
  ]),
});
export type EntryStep = z.infer<typeof EntryStepSchema>['step'];

/** the fields an entry form may carry: v_<key>, r_<key>, a_<key>, ack_<code> (at most 400) */
export const EntryFieldsSchema = z
  .record(z.string().regex(/^(v|r|a|ack)_[A-Za-z0-9.]{1,16}$/), text(500))
  .refine((fields) => Object.keys(fields).length <= 400);

const reasons = Object.keys(REVOCATION_REASON_WORDS) as [
  OfficeRevocationReason,
  ...OfficeRevocationReason[],
];

export const RevokeFormSchema = z.object({
  reason: z.enum(reasons),
  caPassphrase: text(1024),
  confirmNumber: text(16),
});
export const ReplaceFormSchema = RevokeFormSchema.omit({ reason: true });

export const StationsQuerySchema = z.object({
  q: text(64).optional().default(''),
  page: z.coerce.number().int().min(1).max(100_000).optional().default(1),
});

/**
 * A count as an operator types it: digits, optionally grouped by thousands with a dot, comma or
 * space (1.234 · 1,234 · 1 234). Anything else (a sign, a decimal, a letter) is `null`: refused,
 * never guessed. An empty field is `''`: the field is cleared.
 */
export function parseCount(typed: string): number | '' | null {
  const plain = typed.trim();
  if (plain === '') return '';
  if (!/^\d+$/.test(plain) && !/^\d{1,3}([.,\s]\d{3})+$/.test(plain)) return null;
  const value = Number(plain.replace(/[.,\s]/g, ''));
  return Number.isSafeInteger(value) && value <= 999_999_999 ? value : null;
}

/** The same number typed with or without leading zeros ("0202" = "202"). */
export const sameNumber = (typed: string, number: string): boolean =>
  typed.trim().replace(/^0+(?=.)/, '') === number.replace(/^0+(?=.)/, '');

export type FieldsOutcome =
  | { readonly ok: true; readonly events: OfficeEntryEvent[] }
  | { readonly ok: false; readonly fields: readonly string[] };

/** SET_VALUE for every field of the form, in form order; fields that are not counts are named. */
export function valueEvents(view: PhoneEntryView, fields: Record<string, string>): FieldsOutcome {
  const events: OfficeEntryEvent[] = [];
  const bad: string[] = [];
  for (const { key } of view.fields) {
    const typed = fields[`v_${key}`];
    if (typed === undefined) continue;
    const value = parseCount(typed);
    if (value === null) bad.push(key);
    else events.push({ type: 'SET_VALUE', key, value: value === '' ? null : value });
  }
  return bad.length > 0 ? { ok: false, fields: bad } : { ok: true, events };
}

/** RESOLVE_DIFFERENCE or ENTER_AGAIN for every difference the operator decided. */
export function resolutionEvents(
  view: PhoneEntryView,
  fields: Record<string, string>,
): FieldsOutcome {
  const events: OfficeEntryEvent[] = [];
  const bad: string[] = [];
  for (const { key } of view.differences) {
    const choice = fields[`r_${key}`];
    if (choice === 'first') events.push({ type: 'RESOLVE_DIFFERENCE', key, choice: 'KEEP_FIRST' });
    else if (choice === 'second')
      events.push({ type: 'RESOLVE_DIFFERENCE', key, choice: 'KEEP_SECOND' });
    else if (choice === 'again') {
      const value = parseCount(fields[`a_${key}`] ?? '');
      if (value === null || value === '') bad.push(key);
      else events.push({ type: 'ENTER_AGAIN', key, value });
    }
  }
  return bad.length > 0 ? { ok: false, fields: bad } : { ok: true, events };
}

/** ACKNOWLEDGE_WARNING for every warning whose reason was typed or changed. */
export function acknowledgementEvents(
  view: PhoneEntryView,
  fields: Record<string, string>,
): OfficeEntryEvent[] {
  const given = new Map(view.acknowledgements.map((a) => [a.code, a.reason] as const));
  return view.findings
    .filter((f) => f.severity === 'warning')
    .flatMap((w): OfficeEntryEvent[] => {
      const reason = (fields[`ack_${w.code}`] ?? '').trim();
      if (reason === '' || reason === given.get(w.code)) return [];
      return [{ type: 'ACKNOWLEDGE_WARNING', code: w.code, reason }];
    });
}
