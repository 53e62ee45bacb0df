import { describe, expect, it } from 'vitest';
import {
  FourEyesEventSchema,
  FourEyesViewSchema,
  fourEyesView,
  FourEyesStateSchema,
  REFUSAL_MESSAGES,
  SchnellmeldungSchema,
  assessSchnellmeldung,
  eventsAllowedIn,
  liveAssessment,
  signedState,
  startFourEyes,
  transition,
  type FourEyesEvent,
  type FourEyesState,
} from '../../../election/index.ts';
import {
  CLEAN,
  MANY_INVALID,
  empty,
  env,
  jonas,
  maria,
  run,
  target,
  twoEntries,
  typeAll,
} from './fixtures.ts';

function refusalOf(state: FourEyesState, event: FourEyesEvent) {
  const result = transition(state, event, env);
  if (result.ok) throw new Error(`expected a refusal, got ${result.state.status}`);
  return result.refusal;
}

describe('four-eyes entry: when both entries agree', () => {
  it('goes from empty through both entries to ready-to-sign and signs a valid report', () => {
    const ready = twoEntries(CLEAN, CLEAN);
    expect(ready.status).toBe('READY_TO_SIGN');
    const signed = run(ready, [{ type: 'SIGN' }]);
    if (signed.status !== 'SIGNED') throw new Error(signed.status);
    const report = SchnellmeldungSchema.parse(signed.report);
    expect(report.counts).toEqual({ A1: 1200, A2: 500, A3: 3, ...CLEAN });
    expect(report.revision).toBe(1);
    expect(report.enteredBy).toEqual([
      { role: 'WAHLVORSTEHER', initials: 'MM', name: 'Maria Müller' },
      { role: 'SCHRIFTFUEHRER', initials: 'JB', name: 'Jonas Becker' },
    ]);
    expect(assessSchnellmeldung(report, { index: env.index }).sendable).toBe(true);
  });

  it('keeps every state as plain JSON that its schema parses back', () => {
    const signed = run(twoEntries(CLEAN, CLEAN), [{ type: 'SIGN' }]);
    const roundTrip = FourEyesStateSchema.parse(JSON.parse(JSON.stringify(signed)));
    expect(roundTrip).toEqual(signed);
  });
});

describe('four-eyes entry: the second entry', () => {
  it('starts blind, from the register prefill only, never from the first entry', () => {
    const second = run(empty(), [
      { type: 'START_FIRST_ENTRY', person: maria },
      ...typeAll(CLEAN),
      { type: 'FINISH_ENTRY' },
      { type: 'START_SECOND_ENTRY', person: jonas },
    ]);
    if (second.status !== 'SECOND_ENTRY_IN_PROGRESS') throw new Error(second.status);
    expect(second.second.values).toEqual({ A1: 1200, A2: 500, A3: 3 });
    expect(second.second.person).toEqual(jonas);
  });

  it('must be made by a different person: same id, or the same name written differently', () => {
    const done = run(empty(), [
      { type: 'START_FIRST_ENTRY', person: maria },
      ...typeAll(CLEAN),
      { type: 'FINISH_ENTRY' },
    ]);
    expect(refusalOf(done, { type: 'START_SECOND_ENTRY', person: maria }).code).toBe('SAME_PERSON');
    const renamed = { id: 'other-id', name: 'MARIA MÜLLER', role: 'BEISITZER' } as const;
    expect(refusalOf(done, { type: 'START_SECOND_ENTRY', person: renamed }).code).toBe(
      'SAME_PERSON',
    );
  });

  it('refuses a name that is not a name', () => {
    const bad = { id: 'x', name: '  ', role: 'BEISITZER' } as const;
    expect(refusalOf(empty(), { type: 'START_FIRST_ENTRY', person: bad }).code).toBe(
      'INVALID_PERSON',
    );
  });
});

describe('four-eyes entry: finishing an entry', () => {
  const typing = () => run(empty(), [{ type: 'START_FIRST_ENTRY', person: maria }]);

  it('needs every field filled and names the missing ones', () => {
    const partly = run(typing(), typeAll({ A: 1703, B: 520 }));
    const refused = refusalOf(partly, { type: 'FINISH_ENTRY' });
    expect(refused.code).toBe('ENTRY_INCOMPLETE');
    expect(refused.fields).toEqual([
      'counts.B1',
      'counts.C',
      'counts.D',
      'counts.D1',
      'counts.D2',
      'counts.D3',
    ]);
  });

  it('is blocked by a plausibility error, with the findings to show', () => {
    const wrong = run(typing(), typeAll({ ...CLEAN, C: 7 }));
    const refused = refusalOf(wrong, { type: 'FINISH_ENTRY' });
    expect(refused.code).toBe('ENTRY_HAS_ERRORS');
    expect(refused.findings?.map((f) => f.code)).toEqual(['F.301']);
    expect(liveAssessment(wrong, env)?.errors.map((f) => f.code)).toEqual(['F.301']);
  });

  it('accepts only whole numbers of fields on the form', () => {
    const state = typing();
    for (const value of [-1, 1.5, 1e12, Number.NaN]) {
      expect(refusalOf(state, { type: 'SET_VALUE', key: 'B', value }).code).toBe('INVALID_VALUE');
    }
    expect(refusalOf(state, { type: 'SET_VALUE', key: 'D9', value: 1 }).code).toBe('UNKNOWN_FIELD');
    const cleared = run(state, [{ type: 'SET_VALUE', key: 'A1', value: null }]);
    expect(cleared.status === 'FIRST_ENTRY_IN_PROGRESS' && cleared.first.values).not.toHaveProperty(
      'A1',
    );
  });

  it('lets the first person reopen the entry until the second one starts', () => {
    const done = run(typing(), [...typeAll(CLEAN), { type: 'FINISH_ENTRY' }]);
    expect(run(done, [{ type: 'REOPEN_FIRST_ENTRY' }]).status).toBe('FIRST_ENTRY_IN_PROGRESS');
  });
});

describe('four-eyes entry: when the entries differ', () => {
  // Jonas read 141 for D2 and 125 for D3 where Maria read 140 and 124; his D, C, B differ too.
  const jonasReads = { ...CLEAN, B: 522, D: 516, D2: 141, D3: 125 };

  it('lists each differing field with both figures', () => {
    const differ = twoEntries(CLEAN, jonasReads);
    if (differ.status !== 'ENTRIES_DIFFER') throw new Error(differ.status);
    expect(differ.differences).toEqual([
      { key: 'B', first: 520, second: 522 },
      { key: 'D', first: 514, second: 516 },
      { key: 'D2', first: 140, second: 141 },
      { key: 'D3', first: 124, second: 125 },
    ]);
  });

  it('needs every difference settled before the checks', () => {
    const differ = run(twoEntries(CLEAN, jonasReads), [
      { type: 'RESOLVE_DIFFERENCE', key: 'B', choice: 'KEEP_FIRST' },
    ]);
    const refused = refusalOf(differ, { type: 'FINISH_RESOLUTION' });
    expect(refused.code).toBe('DIFFERENCES_UNRESOLVED');
    expect(refused.fields).toEqual(['counts.D', 'counts.D2', 'counts.D3']);
  });

  it('refuses a mix of choices that does not add up, and accepts one that does', () => {
    const mixed = run(twoEntries(CLEAN, jonasReads), [
      { type: 'RESOLVE_DIFFERENCE', key: 'B', choice: 'KEEP_FIRST' },
      { type: 'RESOLVE_DIFFERENCE', key: 'D', choice: 'KEEP_FIRST' },
      { type: 'RESOLVE_DIFFERENCE', key: 'D2', choice: 'KEEP_SECOND' },
      { type: 'RESOLVE_DIFFERENCE', key: 'D3', choice: 'KEEP_FIRST' },
    ]);
    expect(refusalOf(mixed, { type: 'FINISH_RESOLUTION' }).code).toBe('RESOLUTION_HAS_ERRORS');
    const settled = run(mixed, [
      { type: 'ENTER_AGAIN', key: 'D3', value: 123 },
      { type: 'FINISH_RESOLUTION' },
    ]);
    if (settled.status !== 'READY_TO_SIGN') throw new Error(settled.status);
    expect(settled.values).toMatchObject({ B: 520, D: 514, D2: 141, D3: 123 });
  });

  it('cannot touch a field on which both entries agree', () => {
    const differ = twoEntries(CLEAN, jonasReads);
    expect(refusalOf(differ, { type: 'ENTER_AGAIN', key: 'D1', value: 1 }).code).toBe(
      'NOT_A_DIFFERENCE',
    );
  });
});

describe('four-eyes entry: warnings', () => {
  it('block signing until each has a written reason of 3–500 characters', () => {
    const ready = twoEntries(MANY_INVALID, MANY_INVALID);
    const blocked = refusalOf(ready, { type: 'SIGN' });
    expect(blocked.code).toBe('WARNINGS_UNACKNOWLEDGED');
    expect(blocked.findings?.map((f) => f.code)).toEqual(['W.203']);
    const ack = (reason: string): FourEyesEvent => ({
      type: 'ACKNOWLEDGE_WARNING',
      code: 'W.203',
      reason,
    });
    expect(refusalOf(ready, ack('  ok ')).code).toBe('REASON_INVALID');
    expect(refusalOf(ready, ack('x'.repeat(501))).code).toBe('REASON_INVALID');
    expect(
      refusalOf(ready, { type: 'ACKNOWLEDGE_WARNING', code: 'W.202', reason: 'stimmt so' }).code,
    ).toBe('NOT_A_WARNING');
    const signed = run(ready, [ack('  Nachgezählt: 30 leere Stimmzettel.  '), { type: 'SIGN' }]);
    if (signed.status !== 'SIGNED') throw new Error(signed.status);
    expect(signed.report.acknowledgements).toEqual([
      { code: 'W.203', reason: 'Nachgezählt: 30 leere Stimmzettel.' },
    ]);
  });

  it('block signing again when a reason is withdrawn', () => {
    const ready = run(twoEntries(MANY_INVALID, MANY_INVALID), [
      { type: 'ACKNOWLEDGE_WARNING', code: 'W.203', reason: 'nachgezählt' },
      { type: 'WITHDRAW_ACKNOWLEDGEMENT', code: 'W.203' },
    ]);
    expect(refusalOf(ready, { type: 'SIGN' }).code).toBe('WARNINGS_UNACKNOWLEDGED');
  });
});

describe('four-eyes entry: signing and correcting', () => {
  it('needs both persons to have a role in the Wahlvorstand', () => {
    const noRole = { id: 'op-2', name: 'Jonas Becker' };
    const ready = run(empty(), [
      { type: 'START_FIRST_ENTRY', person: maria },
      ...typeAll(CLEAN),
      { type: 'FINISH_ENTRY' },
      { type: 'START_SECOND_ENTRY', person: noRole },
      ...typeAll(CLEAN),
      { type: 'FINISH_ENTRY' },
    ]);
    expect(refusalOf(ready, { type: 'SIGN' }).code).toBe('ROLE_MISSING');
  });

  it('makes a correction a new round with revision 2 and the reason in the report', () => {
    const signed = run(twoEntries(CLEAN, CLEAN), [{ type: 'SIGN' }]);
    expect(refusalOf(signed, { type: 'DISCARD' }).code).toBe('EVENT_NOT_ALLOWED');
    expect(refusalOf(signed, { type: 'START_CORRECTION', reason: 'x' }).code).toBe(
      'REASON_INVALID',
    );
    const correction = run(signed, [
      { type: 'START_CORRECTION', reason: 'D2 und D3 beim Übertragen vertauscht' },
    ]);
    expect(correction.status).toBe('CORRECTION');
    const fixed = { ...CLEAN, D2: 124, D3: 140 };
    const ready = run(correction, [
      { type: 'START_FIRST_ENTRY', person: jonas },
      ...typeAll(fixed),
      { type: 'FINISH_ENTRY' },
      { type: 'START_SECOND_ENTRY', person: maria },
      ...typeAll(fixed),
      { type: 'FINISH_ENTRY' },
      { type: 'SIGN' },
    ]);
    if (ready.status !== 'SIGNED') throw new Error(ready.status);
    expect(ready.report.revision).toBe(2);
    expect(ready.report.correctionReason).toBe('D2 und D3 beim Übertragen vertauscht');
    expect(ready.report.counts.D2).toBe(124);
  });

  it('warns (W.302) when a correction moves a figure a lot, and wants a reason', () => {
    const correction = run(twoEntries(CLEAN, CLEAN), [
      { type: 'SIGN' },
      { type: 'START_CORRECTION', reason: 'Stapel von Reiter doppelt gezählt' },
    ]);
    const moved = { ...CLEAN, B: 470, D: 464, D1: 200 };
    const ready = run(correction, [
      { type: 'START_FIRST_ENTRY', person: maria },
      ...typeAll(moved),
      { type: 'FINISH_ENTRY' },
      { type: 'START_SECOND_ENTRY', person: jonas },
      ...typeAll(moved),
      { type: 'FINISH_ENTRY' },
    ]);
    expect(refusalOf(ready, { type: 'SIGN' }).findings?.map((f) => f.code)).toEqual(['W.302']);
  });

  it('restores the signed state from a report and corrects from there', () => {
    const signed = run(twoEntries(CLEAN, CLEAN), [{ type: 'SIGN' }]);
    if (signed.status !== 'SIGNED') throw new Error(signed.status);
    const restored = signedState(signed.report, signed.prefill);
    const correction = run(restored, [{ type: 'START_CORRECTION', reason: 'neu gezählt' }]);
    expect(correction.status === 'CORRECTION' && correction.cycle.revision).toBe(2);
  });

  it('discards a round back to its start, keeping a correction a correction', () => {
    const typing = run(empty(), [{ type: 'START_FIRST_ENTRY', person: maria }]);
    expect(run(typing, [{ type: 'DISCARD' }]).status).toBe('EMPTY');
  });
});

describe('four-eyes entry: the contract', () => {
  it('refuses a target that is not in the election', () => {
    const started = startFourEyes({ ...target, precinctId: 'nowhere' }, env);
    expect(started.ok || started.refusal.code).toBe('TARGET_UNKNOWN');
  });

  it('refuses every event a state does not list, with EVENT_NOT_ALLOWED', () => {
    const states: FourEyesState[] = [empty(), twoEntries(CLEAN, CLEAN)];
    const probes: FourEyesEvent[] = [
      { type: 'FINISH_ENTRY' },
      { type: 'SIGN' },
      { type: 'START_SECOND_ENTRY', person: jonas },
      { type: 'FINISH_RESOLUTION' },
    ];
    for (const state of states) {
      for (const event of probes) {
        if (eventsAllowedIn(state.status).includes(event.type)) continue;
        expect(refusalOf(state, event).code).toBe('EVENT_NOT_ALLOWED');
      }
    }
  });

  it('parses events at a process boundary and rejects unknown shapes', () => {
    expect(FourEyesEventSchema.safeParse({ type: 'SIGN' }).success).toBe(true);
    expect(FourEyesEventSchema.safeParse({ type: 'SIGN', force: true }).success).toBe(false);
    expect(FourEyesEventSchema.safeParse({ type: 'SET_VALUE', key: 'B', value: '5' }).success).toBe(
      false,
    );
  });

  it('has a German and an English message for every refusal', () => {
    for (const message of Object.values(REFUSAL_MESSAGES)) {
      expect(message.de.length).toBeGreaterThan(10);
      expect(message.en.length).toBeGreaterThan(10);
    }
  });
});

describe('four-eyes entry: the view a form gets', () => {
  it('carries the fields in form order, the live findings and the allowed events, and parses', () => {
    const typing = run(empty(), [
      { type: 'START_FIRST_ENTRY', person: maria },
      ...typeAll({ ...CLEAN, C: 7 }),
    ]);
    const view = fourEyesView(typing, env);
    expect(view.fields.map((f) => f.key)).toEqual([
      'A1',
      'A2',
      'A3',
      'A',
      'B',
      'B1',
      'C',
      'D',
      'D1',
      'D2',
      'D3',
    ]);
    expect(view.findings.map((f) => f.code)).toEqual(['F.301']);
    expect(view.allowed).toEqual(['SET_VALUE', 'FINISH_ENTRY', 'DISCARD']);
    expect(FourEyesViewSchema.parse(JSON.parse(JSON.stringify(view)))).toEqual(view);
    const ready = fourEyesView(twoEntries(MANY_INVALID, MANY_INVALID), env);
    expect(ready.unacknowledged).toEqual(['W.203']);
  });
});
