import {
  ReasonSchema,
  SCHNELLMELDUNG_FORMAT,
  SchnellmeldungSchema,
  initialsOf,
  type EntrySignature,
  type Schnellmeldung,
} from '../schnellmeldung.ts';
import { assessValues, type FourEyesEnv } from './form.ts';
import { refusal } from './refusal.ts';
import { next, refused, type Transition } from './result.ts';
import type { FourEyesState, Person, StateOf } from './state.ts';

/**
 * The agreed figures are fixed. Every warning still firing needs a written reason (SPEC §4:
 * 3–500 characters); then both poll workers sign. After signing the report never changes: a
 * correction is a new round with a higher revision and a reason.
 */

const MAX_REVISION = 999;

export function acknowledgeWarning(
  state: FourEyesState,
  code: string,
  reason: string,
  env: FourEyesEnv,
): Transition {
  if (state.status !== 'READY_TO_SIGN') return refused(refusal('EVENT_NOT_ALLOWED'));
  const { warnings } = assessValues(state, state.values, [], env);
  if (!warnings.some((w) => w.code === code)) return refused(refusal('NOT_A_WARNING'));
  const parsed = ReasonSchema.safeParse(reason);
  if (!parsed.success) return refused(refusal('REASON_INVALID'));
  const others = state.acknowledgements.filter((a) => a.code !== code);
  return next({ ...state, acknowledgements: [...others, { code, reason: parsed.data }] });
}

export function withdrawAcknowledgement(state: FourEyesState, code: string): Transition {
  if (state.status !== 'READY_TO_SIGN') return refused(refusal('EVENT_NOT_ALLOWED'));
  return next({
    ...state,
    acknowledgements: state.acknowledgements.filter((a) => a.code !== code),
  });
}

export function sign(state: FourEyesState, env: FourEyesEnv): Transition {
  if (state.status !== 'READY_TO_SIGN') return refused(refusal('EVENT_NOT_ALLOWED'));
  const assessment = assessValues(state, state.values, state.acknowledgements, env);
  if (assessment.errors.length > 0) {
    return refused(refusal('REPORT_HAS_ERRORS', { findings: assessment.errors }));
  }
  if (assessment.unacknowledgedWarnings.length > 0) {
    return refused(
      refusal('WARNINGS_UNACKNOWLEDGED', { findings: assessment.unacknowledgedWarnings }),
    );
  }
  const first = signature(state.first.person);
  const second = signature(state.second.person);
  if (first === undefined || second === undefined) return refused(refusal('ROLE_MISSING'));
  const report = SchnellmeldungSchema.parse(
    buildReport(state, assessment.warnings, [first, second]),
  );
  const { target, cycle, prefill } = state;
  return next({
    status: 'SIGNED',
    target,
    cycle,
    prefill,
    report,
    entries: { first: state.first, second: state.second, differences: state.differences },
  });
}

function buildReport(
  state: StateOf<'READY_TO_SIGN'>,
  warnings: readonly { code: string }[],
  enteredBy: [EntrySignature, EntrySignature],
): Schnellmeldung {
  const fired = new Set(warnings.map((w) => w.code));
  const { target, cycle } = state;
  return {
    format: SCHNELLMELDUNG_FORMAT,
    electionId: target.electionId,
    precinctId: target.precinctId,
    contestId: target.contestId,
    revision: cycle.revision,
    ...(cycle.correctionReason === undefined ? {} : { correctionReason: cycle.correctionReason }),
    counts: { ...state.values },
    // only reasons for warnings that fire on the signed figures go into the report
    acknowledgements: state.acknowledgements.filter((a) => fired.has(a.code)),
    enteredBy,
  };
}

function signature(person: Person): EntrySignature | undefined {
  if (person.role === undefined) return undefined;
  return { role: person.role, initials: initialsOf(person.name), name: person.name };
}

export function startCorrection(state: FourEyesState, reason: string): Transition {
  if (state.status !== 'SIGNED') return refused(refusal('EVENT_NOT_ALLOWED'));
  const parsed = ReasonSchema.safeParse(reason);
  if (!parsed.success) return refused(refusal('REASON_INVALID'));
  const revision = state.report.revision + 1;
  if (revision > MAX_REVISION) return refused(refusal('REVISION_LIMIT'));
  return next({
    status: 'CORRECTION',
    target: state.target,
    cycle: { revision, correctionReason: parsed.data, previous: state.report },
    prefill: state.prefill,
  });
}

/** Throw away this round's entries; a correction keeps its revision and reason. */
export function discard(state: FourEyesState): Transition {
  if (state.status === 'SIGNED') return refused(refusal('EVENT_NOT_ALLOWED'));
  const { target, cycle, prefill } = state;
  return next({ status: cycle.revision > 1 ? 'CORRECTION' : 'EMPTY', target, cycle, prefill });
}
