import { z } from 'zod';
import type { Finding } from '../plausibility/index.ts';
import { FourEyesEventSchema, type FourEyesEventType } from './events.ts';
import { entryForm, type FourEyesEnv } from './form.ts';
import { eventsAllowedIn, liveAssessment } from './machine.ts';
import { FourEyesStateSchema, type FourEyesState } from './state.ts';

/**
 * Everything a form needs to show one four-eyes entry, computed where the election is loaded
 * (the kit's main process, the office server) and sent to a UI that has no election index:
 * the state, the form's fields in paper order with their labels, the live findings and the
 * actions the state allows. One schema, so the kit's IPC and the office's HTTP parse it alike.
 */

const LocalizedSchema = z.strictObject({ de: z.string(), en: z.string() });

export const FindingSchema = z.strictObject({
  code: z.string().regex(/^[FW]\.[0-9]{3}$/),
  severity: z.enum(['error', 'warning']),
  message: LocalizedSchema,
  fields: z.array(z.string()),
  detail: LocalizedSchema.optional(),
});

export const FormFieldSchema = z.strictObject({
  key: z.string(),
  path: z.string(),
  label: LocalizedSchema,
});

const EVENT_TYPES = FourEyesEventSchema.options.map((o) => o.shape.type.value);

export const FourEyesViewSchema = z.strictObject({
  state: FourEyesStateSchema,
  /** the fields of Anlage 28 in form order (the order Enter moves through) */
  fields: z.array(FormFieldSchema),
  /** live findings on what is on screen: errors first, then warnings */
  findings: z.array(FindingSchema),
  /** codes of warnings that still need a written reason (READY_TO_SIGN) */
  unacknowledged: z.array(z.string()),
  /** the events this state takes */
  allowed: z.array(z.enum(EVENT_TYPES as [FourEyesEventType, ...FourEyesEventType[]])),
});
export type FourEyesView = z.infer<typeof FourEyesViewSchema>;

export function fourEyesView(state: FourEyesState, env: FourEyesEnv): FourEyesView {
  const form = entryForm(state.target, env);
  const assessment = liveAssessment(state, env);
  return {
    state,
    fields: (form?.fields ?? []).map((f) => ({ key: f.key, path: f.path, label: { ...f.label } })),
    findings: (assessment?.findings ?? []).map(plainFinding),
    unacknowledged: (assessment?.unacknowledgedWarnings ?? []).map((w) => w.code),
    allowed: [...eventsAllowedIn(state.status)],
  };
}

function plainFinding(f: Finding): z.infer<typeof FindingSchema> {
  return {
    code: f.code,
    severity: f.severity,
    message: { ...f.message },
    fields: [...f.fields],
    ...(f.detail === undefined ? {} : { detail: { ...f.detail } }),
  };
}
