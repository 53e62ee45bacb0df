import type { FourEyesRefusal } from './refusal.ts';
import type { FourEyesState } from './state.ts';

/** The outcome of one event: the next state, or the refusal (the state stays as it was). */
export type Transition =
  | { readonly ok: true; readonly state: FourEyesState }
  | { readonly ok: false; readonly refusal: FourEyesRefusal };

export function next(state: FourEyesState): Transition {
  return { ok: true, state };
}

export function refused(refusal: FourEyesRefusal): Transition {
  return { ok: false, refusal };
}
