import {
  indexElection,
  parseElectionDefinition,
  registerPrefill,
  startFourEyes,
  transition,
  type FourEyesEnv,
  type FourEyesEvent,
  type FourEyesState,
  type Person,
} from '../../../election/index.ts';
import { cityDefinition } from '../fixtures.ts';

export const env: FourEyesEnv = { index: indexElection(parseElectionDefinition(cityDefinition())) };
export const target = { electionId: 'kw-test', precinctId: 'u0101', contestId: 'ob' };

export const maria: Person = { id: 'p-maria', name: 'Maria Müller', role: 'WAHLVORSTEHER' };
export const jonas: Person = { id: 'p-jonas', name: 'Jonas Becker', role: 'SCHRIFTFUEHRER' };

/** Figures as counted in u0101 (rule-clean). A1–A3 come from the register prefill. */
export const CLEAN = { A: 1703, B: 520, B1: 12, C: 6, D: 514, D1: 250, D2: 140, D3: 124 };
/** 30 of 520 invalid (5.8 %): fires W.203 and nothing else. */
export const MANY_INVALID = { A: 1703, B: 520, B1: 12, C: 30, D: 490, D1: 250, D2: 140, D3: 100 };

export function empty(): FourEyesState {
  const started = startFourEyes(target, env, registerPrefill(env.index.precinct('u0101')!));
  if (!started.ok) throw new Error(started.refusal.code);
  return started.state;
}

/** Applies events that must all be accepted; throws with the refusal code otherwise. */
export function run(state: FourEyesState, events: readonly FourEyesEvent[]): FourEyesState {
  let current = state;
  for (const event of events) {
    const result = transition(current, event, env);
    if (!result.ok) throw new Error(`${event.type}: ${result.refusal.code}`);
    current = result.state;
  }
  return current;
}

export function typeAll(values: Readonly<Record<string, number>>): FourEyesEvent[] {
  return Object.entries(values).map(([key, value]) => ({ type: 'SET_VALUE', key, value }));
}

/** First entry by Maria, blind second entry by Jonas, each typing the given figures. */
export function twoEntries(
  first: Readonly<Record<string, number>>,
  second: Readonly<Record<string, number>>,
): FourEyesState {
  return run(empty(), [
    { type: 'START_FIRST_ENTRY', person: maria },
    ...typeAll(first),
    { type: 'FINISH_ENTRY' },
    { type: 'START_SECOND_ENTRY', person: jonas },
    ...typeAll(second),
    { type: 'FINISH_ENTRY' },
  ]);
}
