// The four-eyes entry of a Schnellmeldung: one pure state machine (docs/four-eyes.md).
export * from './state.ts';
export * from './events.ts';
export * from './refusal.ts';
export type { Transition } from './result.ts';
export { entryForm, registerPrefill, missingFields, assessValues } from './form.ts';
export type { FourEyesEnv, EntryForm } from './form.ts';
export { samePerson } from './entry-phase.ts';
export { agreedValues, resolvedValue } from './resolution-phase.ts';
export {
  transition,
  startFourEyes,
  signedState,
  currentEntry,
  liveAssessment,
  eventsAllowedIn,
} from './machine.ts';
export { fourEyesView, FourEyesViewSchema, FindingSchema, FormFieldSchema } from './view.ts';
export type { FourEyesView } from './view.ts';
