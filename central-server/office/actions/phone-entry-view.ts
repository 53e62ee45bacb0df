import {
  entryForm,
  eventsAllowedIn,
  liveAssessment,
  type Difference,
  type EntryValues,
  type FourEyesEnv,
  type FourEyesEventType,
  type FourEyesState,
  type LocalizedMessage,
} from '../../../election/index.ts';
import type { OfficeOperator } from '../../intake/types.ts';

/** Which part of a phoned-in entry an operator plays. */
export type EntryRole = 'first' | 'second' | 'other';

/**
 * What one operator sees of a phoned-in entry. Blind: the second operator never sees the first
 * entry's figures (nor findings computed on them) before both are finished, and nobody else
 * sees an entry's figures while it is typed; only differences show both figures, as at the
 * kit's table (docs/four-eyes.md).
 */
export type PhoneEntryView = {
  readonly precinctId: string;
  readonly contestId: string;
  readonly status: FourEyesState['status'];
  readonly first: OfficeOperator | null;
  readonly second: OfficeOperator | null;
  readonly role: EntryRole;
  readonly fields: readonly { key: string; label: LocalizedMessage }[];
  /** the figures this operator may see: their own entry, the agreed ones, or the prefill */
  readonly values: EntryValues;
  readonly differences: readonly Difference[];
  readonly findings: readonly {
    code: string;
    severity: 'error' | 'warning';
    message: LocalizedMessage;
    fields: readonly string[];
  }[];
  readonly unacknowledged: readonly string[];
  readonly acknowledgements: readonly { code: string; reason: string }[];
  /** the events this operator may send now */
  readonly allowed: readonly FourEyesEventType[];
};

const person = (p: { id: string; name: string } | undefined): OfficeOperator | null =>
  p === undefined ? null : { id: p.id, name: p.name };

export function roleOf(state: FourEyesState, operatorId: string): EntryRole {
  if ('first' in state && state.first.person.id === operatorId) return 'first';
  if ('second' in state && state.second.person.id === operatorId) return 'second';
  return 'other';
}

/** The events `role` may send in `state` (the machine still checks each one). */
export function allowedFor(state: FourEyesState, role: EntryRole): readonly FourEyesEventType[] {
  const all = eventsAllowedIn(state.status);
  switch (state.status) {
    case 'EMPTY':
    case 'CORRECTION':
      return all.filter((e) => e === 'START_FIRST_ENTRY');
    case 'FIRST_ENTRY_IN_PROGRESS':
      return role === 'first' ? all : [];
    case 'FIRST_ENTRY_DONE':
      if (role === 'first') return ['REOPEN_FIRST_ENTRY', 'DISCARD'];
      return role === 'other' ? ['START_SECOND_ENTRY'] : [];
    case 'SECOND_ENTRY_IN_PROGRESS':
      return role === 'second' ? all : role === 'first' ? ['DISCARD'] : [];
    case 'ENTRIES_DIFFER':
    case 'READY_TO_SIGN':
      return role === 'other' ? [] : all;
    case 'SIGNED':
      return [];
  }
}

function visibleValues(state: FourEyesState, role: EntryRole): EntryValues {
  switch (state.status) {
    case 'FIRST_ENTRY_IN_PROGRESS':
    case 'FIRST_ENTRY_DONE':
      return role === 'first' ? state.first.values : state.prefill;
    case 'SECOND_ENTRY_IN_PROGRESS':
      return role === 'second'
        ? state.second.values
        : role === 'first'
          ? state.first.values
          : state.prefill;
    case 'READY_TO_SIGN':
      return role === 'other' ? state.prefill : state.values;
    case 'SIGNED':
      return state.report.counts;
    default:
      return state.prefill;
  }
}

/** Findings only on figures the operator may see, and only where they are the ones typing. */
function showsFindings(state: FourEyesState, role: EntryRole): boolean {
  switch (state.status) {
    case 'FIRST_ENTRY_IN_PROGRESS':
    case 'FIRST_ENTRY_DONE':
      return role === 'first';
    case 'SECOND_ENTRY_IN_PROGRESS':
      return role === 'second';
    case 'ENTRIES_DIFFER':
    case 'READY_TO_SIGN':
      return role !== 'other';
    default:
      return false;
  }
}

export function phoneEntryView(
  state: FourEyesState,
  operatorId: string,
  env: FourEyesEnv,
): PhoneEntryView {
  const role = roleOf(state, operatorId);
  const form = entryForm(state.target, env);
  const assessment = showsFindings(state, role) ? liveAssessment(state, env) : undefined;
  return {
    precinctId: state.target.precinctId,
    contestId: state.target.contestId,
    status: state.status,
    first: 'first' in state ? person(state.first.person) : null,
    second: 'second' in state ? person(state.second.person) : null,
    role,
    fields: (form?.fields ?? []).map((f) => ({ key: f.key, label: { ...f.label } })),
    values: { ...visibleValues(state, role) },
    differences:
      state.status === 'ENTRIES_DIFFER' && role !== 'other' ? [...state.differences] : [],
    findings: (assessment?.findings ?? []).map((f) => ({
      code: f.code,
      severity: f.severity,
      message: { ...f.message },
      fields: [...f.fields],
    })),
    unacknowledged: (assessment?.unacknowledgedWarnings ?? []).map((w) => w.code),
    acknowledgements: state.status === 'READY_TO_SIGN' ? [...state.acknowledgements] : [],
    allowed: allowedFor(state, role),
  };
}
