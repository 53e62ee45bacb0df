import { assertNever } from '../error.ts';
import type { Assessment } from '../plausibility/index.ts';
import type { Schnellmeldung } from '../schnellmeldung.ts';
import {
  finishEntry,
  reopenFirstEntry,
  setValue,
  startFirstEntry,
  startSecondEntry,
} from './entry-phase.ts';
import type { FourEyesEvent, FourEyesEventType } from './events.ts';
import { assessValues, entryForm, type FourEyesEnv } from './form.ts';
import { refusal, type FourEyesRefusal } from './refusal.ts';
import { agreedValues, finishResolution, resolveDifference } from './resolution-phase.ts';
import type { Transition } from './result.ts';
import {
  acknowledgeWarning,
  discard,
  sign,
  startCorrection,
  withdrawAcknowledgement,
} from './sign-phase.ts';
import type { Entry, EntryTarget, EntryValues, FourEyesState } from './state.ts';

/**
 * The four-eyes reducer: `transition(state, event, env)` is the only way a state changes.
 * It is total: any event in any state yields the next state or a coded refusal, never an
 * exception, and the property tests in tests/election/four-eyes check that no sequence of
 * events reaches SIGNED with an unsettled difference, an error or a warning without a reason.
 */
export function transition(
  state: FourEyesState,
  event: FourEyesEvent,
  env: FourEyesEnv,
): Transition {
  switch (event.type) {
    case 'START_FIRST_ENTRY':
      return startFirstEntry(state, event.person);
    case 'START_SECOND_ENTRY':
      return startSecondEntry(state, event.person);
    case 'SET_VALUE':
      return setValue(state, event.key, event.value, env);
    case 'FINISH_ENTRY':
      return finishEntry(state, env);
    case 'REOPEN_FIRST_ENTRY':
      return reopenFirstEntry(state);
    case 'RESOLVE_DIFFERENCE':
      return resolveDifference(state, event.key, { kind: event.choice });
    case 'ENTER_AGAIN':
      return resolveDifference(
        state,
        event.key,
        event.value === null ? undefined : { kind: 'ENTERED_AGAIN', value: event.value },
      );
    case 'FINISH_RESOLUTION':
      return finishResolution(state, env);
    case 'ACKNOWLEDGE_WARNING':
      return acknowledgeWarning(state, event.code, event.reason, env);
    case 'WITHDRAW_ACKNOWLEDGEMENT':
      return withdrawAcknowledgement(state, event.code);
    case 'SIGN':
      return sign(state, env);
    case 'START_CORRECTION':
      return startCorrection(state, event.reason);
    case 'DISCARD':
      return discard(state);
    default:
      return assertNever(event);
  }
}

/**
 * A new, empty entry for one precinct and contest. `prefill` (usually `registerPrefill`) must
 * hold only fields of the form with whole numbers; both entries start from it.
 */
export function startFourEyes(
  target: EntryTarget,
  env: FourEyesEnv,
  prefill: EntryValues = {},
): { ok: true; state: FourEyesState } | { ok: false; refusal: FourEyesRefusal } {
  const form = entryForm(target, env);
  if (form === undefined) return { ok: false, refusal: refusal('TARGET_UNKNOWN') };
  const bad = Object.entries(prefill).find(
    ([key, value]) => !form.keys.has(key) || !Number.isInteger(value) || value < 0,
  );
  if (bad !== undefined) {
    return { ok: false, refusal: refusal('UNKNOWN_FIELD', { fields: [`counts.${bad[0]}`] }) };
  }
  return {
    ok: true,
    state: {
      status: 'EMPTY',
      target: { ...target },
      cycle: { revision: 1 },
      prefill: { ...prefill },
    },
  };
}

/** The state after a report was signed earlier (e.g. read back from the kit's outbox after a restart). */
export function signedState(report: Schnellmeldung, prefill: EntryValues = {}): FourEyesState {
  const { electionId, precinctId, contestId, revision, correctionReason } = report;
  return {
    status: 'SIGNED',
    target: { electionId, precinctId, contestId },
    cycle: { revision, ...(correctionReason === undefined ? {} : { correctionReason }) },
    prefill: { ...prefill },
    report,
  };
}

/** The entry being typed right now, if any (the form shows its values). */
export function currentEntry(state: FourEyesState): Entry | undefined {
  switch (state.status) {
    case 'FIRST_ENTRY_IN_PROGRESS':
      return state.first;
    case 'SECOND_ENTRY_IN_PROGRESS':
      return state.second;
    default:
      return undefined;
  }
}

/**
 * The live plausibility of what is on screen: the entry being typed, the figures as settled
 * so far, the agreed figures with their reasons, or the signed report.
 */
export function liveAssessment(state: FourEyesState, env: FourEyesEnv): Assessment | undefined {
  switch (state.status) {
    case 'EMPTY':
    case 'CORRECTION':
      return undefined;
    case 'FIRST_ENTRY_IN_PROGRESS':
    case 'FIRST_ENTRY_DONE':
      return assessValues(state, state.first.values, [], env);
    case 'SECOND_ENTRY_IN_PROGRESS':
      return assessValues(state, state.second.values, [], env);
    case 'ENTRIES_DIFFER':
      return assessValues(state, agreedValues(state), [], env);
    case 'READY_TO_SIGN':
      return assessValues(state, state.values, state.acknowledgements, env);
    case 'SIGNED':
      return assessValues(state, state.report.counts, state.report.acknowledgements, env);
    default:
      return assertNever(state);
  }
}

const EVENTS_BY_STATUS: { readonly [S in FourEyesState['status']]: readonly FourEyesEventType[] } =
  {
    EMPTY: ['START_FIRST_ENTRY', 'DISCARD'],
    CORRECTION: ['START_FIRST_ENTRY', 'DISCARD'],
    FIRST_ENTRY_IN_PROGRESS: ['SET_VALUE', 'FINISH_ENTRY', 'DISCARD'],
    FIRST_ENTRY_DONE: ['START_SECOND_ENTRY', 'REOPEN_FIRST_ENTRY', 'DISCARD'],
    SECOND_ENTRY_IN_PROGRESS: ['SET_VALUE', 'FINISH_ENTRY', 'DISCARD'],
    ENTRIES_DIFFER: ['RESOLVE_DIFFERENCE', 'ENTER_AGAIN', 'FINISH_RESOLUTION', 'DISCARD'],
    READY_TO_SIGN: ['ACKNOWLEDGE_WARNING', 'WITHDRAW_ACKNOWLEDGEMENT', 'SIGN', 'DISCARD'],
    SIGNED: ['START_CORRECTION'],
  };

/** The event types a state can take at all (a UI enables its buttons from this). */
export function eventsAllowedIn(status: FourEyesState['status']): readonly FourEyesEventType[] {
  return EVENTS_BY_STATUS[status];
}
