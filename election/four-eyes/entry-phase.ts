import { MAX_COUNT } from '../definition.ts';
import { initialsOf } from '../schnellmeldung.ts';
import { assessValues, entryForm, missingFields, type FourEyesEnv } from './form.ts';
import { refusal } from './refusal.ts';
import { next, refused, type Transition } from './result.ts';
import {
  PersonSchema,
  type Difference,
  type Entry,
  type EntryValues,
  type FourEyesState,
  type Person,
  type StateOf,
} from './state.ts';

/**
 * The two entries: the first poll worker types the form, says "fertig"; a different poll
 * worker types it again without seeing the first entry (blind: the second entry starts from
 * the prefilled register figures only, never from the first entry's values).
 */

const notAllowed = (): Transition => refused(refusal('EVENT_NOT_ALLOWED'));

export function startFirstEntry(state: FourEyesState, person: Person): Transition {
  if (state.status !== 'EMPTY' && state.status !== 'CORRECTION') return notAllowed();
  const checked = checkPerson(person);
  if (checked === undefined) return refused(refusal('INVALID_PERSON'));
  const { target, cycle, prefill } = state;
  return next({
    status: 'FIRST_ENTRY_IN_PROGRESS',
    target,
    cycle,
    prefill,
    first: { person: checked, values: { ...prefill } },
  });
}

export function startSecondEntry(state: FourEyesState, person: Person): Transition {
  if (state.status !== 'FIRST_ENTRY_DONE') return notAllowed();
  const checked = checkPerson(person);
  if (checked === undefined) return refused(refusal('INVALID_PERSON'));
  if (samePerson(state.first.person, checked)) return refused(refusal('SAME_PERSON'));
  const { target, cycle, prefill, first } = state;
  return next({
    status: 'SECOND_ENTRY_IN_PROGRESS',
    target,
    cycle,
    prefill,
    first,
    second: { person: checked, values: { ...prefill } },
  });
}

export function reopenFirstEntry(state: FourEyesState): Transition {
  if (state.status !== 'FIRST_ENTRY_DONE') return notAllowed();
  return next({ ...state, status: 'FIRST_ENTRY_IN_PROGRESS' });
}

export function setValue(
  state: FourEyesState,
  key: string,
  value: number | null,
  env: FourEyesEnv,
): Transition {
  if (state.status !== 'FIRST_ENTRY_IN_PROGRESS' && state.status !== 'SECOND_ENTRY_IN_PROGRESS') {
    return notAllowed();
  }
  const form = entryForm(state.target, env);
  if (form === undefined) return refused(refusal('TARGET_UNKNOWN'));
  if (!form.keys.has(key)) return refused(refusal('UNKNOWN_FIELD', { fields: [`counts.${key}`] }));
  if (value !== null && !isCount(value)) {
    return refused(refusal('INVALID_VALUE', { fields: [`counts.${key}`] }));
  }
  if (state.status === 'FIRST_ENTRY_IN_PROGRESS') {
    return next({ ...state, first: withValue(state.first, key, value) });
  }
  return next({ ...state, second: withValue(state.second, key, value) });
}

export function finishEntry(state: FourEyesState, env: FourEyesEnv): Transition {
  if (state.status === 'FIRST_ENTRY_IN_PROGRESS') {
    const problem = entryProblem(state, state.first.values, env);
    return problem ?? next({ ...state, status: 'FIRST_ENTRY_DONE' });
  }
  if (state.status === 'SECOND_ENTRY_IN_PROGRESS') {
    const problem = entryProblem(state, state.second.values, env);
    return problem ?? compareEntries(state, env);
  }
  return notAllowed();
}

/** Both entries are complete and free of errors: agree, or list the fields that differ. */
function compareEntries(state: StateOf<'SECOND_ENTRY_IN_PROGRESS'>, env: FourEyesEnv): Transition {
  const form = entryForm(state.target, env);
  if (form === undefined) return refused(refusal('TARGET_UNKNOWN'));
  const { first, second } = state;
  const differences: Difference[] = form.fields
    .filter((f) => first.values[f.key] !== second.values[f.key])
    .map((f) => ({ key: f.key, ...pair(first.values, second.values, f.key) }));
  const { target, cycle, prefill } = state;
  if (differences.length > 0) {
    return next({ status: 'ENTRIES_DIFFER', target, cycle, prefill, first, second, differences });
  }
  return next({
    status: 'READY_TO_SIGN',
    target,
    cycle,
    prefill,
    first,
    second,
    differences: [],
    values: { ...first.values },
    acknowledgements: [],
  });
}

function pair(a: EntryValues, b: EntryValues, key: string): { first?: number; second?: number } {
  const first = a[key];
  const second = b[key];
  return {
    ...(first === undefined ? {} : { first }),
    ...(second === undefined ? {} : { second }),
  };
}

/** An entry may be finished only when every field is filled and no error rule fires. */
function entryProblem(
  state: StateOf<'FIRST_ENTRY_IN_PROGRESS' | 'SECOND_ENTRY_IN_PROGRESS'>,
  values: EntryValues,
  env: FourEyesEnv,
): Transition | undefined {
  const form = entryForm(state.target, env);
  if (form === undefined) return refused(refusal('TARGET_UNKNOWN'));
  const missing = missingFields(form, values);
  if (missing.length > 0) return refused(refusal('ENTRY_INCOMPLETE', { fields: missing }));
  const { errors } = assessValues(state, values, [], env);
  if (errors.length > 0) return refused(refusal('ENTRY_HAS_ERRORS', { findings: errors }));
  return undefined;
}

function withValue(entry: Entry, key: string, value: number | null): Entry {
  const values: Record<string, number> = { ...entry.values };
  if (value === null) delete values[key];
  else values[key] = value;
  return { person: entry.person, values };
}

export function isCount(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_COUNT;
}

function checkPerson(person: Person): Person | undefined {
  const parsed = PersonSchema.safeParse(person);
  if (!parsed.success || initialsOf(parsed.data.name) === '') return undefined;
  return parsed.data;
}

/** Same id, or the same name written with other case or spacing: not a second pair of eyes. */
export function samePerson(a: Person, b: Person): boolean {
  return a.id === b.id || normalName(a.name) === normalName(b.name);
}

function normalName(name: string): string {
  return name.normalize('NFC').toLocaleLowerCase('de-DE').replace(/\s+/gu, ' ').trim();
}
