import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FourEyesStateSchema,
  assessSchnellmeldung,
  entryForm,
  samePerson,
  transition,
  type FourEyesEvent,
  type FourEyesState,
  type Person,
  type StateOf,
} from '../../../election/index.ts';
import { CLEAN, MANY_INVALID, empty, env, jonas, maria, target, typeAll } from './fixtures.ts';

/**
 * The safety properties of the four-eyes entry, over arbitrary event sequences:
 * no sequence reaches SIGNED with an unsettled difference, an error or a warning without a
 * written reason, nor with one person behind both entries; the reducer never throws, never
 * mutates its input, and every state it returns parses with the state schema.
 *
 * Purely random events rarely get far, so most sequences are a plausible evening (two
 * entries, a few typos, settling, reasons, signing, a correction) with random events mixed in.
 */

const form = entryForm(target, env)!;
const KEYS = form.fields.map((f) => f.key);

const persons: Person[] = [
  maria,
  jonas,
  { id: 'p-maria-2', name: 'MARIA MÜLLER', role: 'BEISITZER' },
  { id: 'p-no-role', name: 'Ola Nordmann' },
  { id: 'p-bad', name: '1337', role: 'BEISITZER' },
];
const reasons = [
  '',
  'ok',
  '  ab ',
  'Nachgezählt, stimmt so.',
  'x'.repeat(501),
  ' Zweimal gezählt ',
];
const truths = [CLEAN, MANY_INVALID];

const keyArb = fc.oneof(fc.constantFrom(...KEYS), fc.constantFrom('D9', 'X', 'A'));
const valueArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 2000 }) },
  { weight: 1, arbitrary: fc.constantFrom(null, -1, 1.5, 1e12) },
);

const randomEvent: fc.Arbitrary<FourEyesEvent[]> = fc.oneof(
  fc.constantFrom(...persons).map((person) => [{ type: 'START_FIRST_ENTRY', person } as const]),
  fc.constantFrom(...persons).map((person) => [{ type: 'START_SECOND_ENTRY', person } as const]),
  fc.tuple(keyArb, valueArb).map(([key, value]) => [{ type: 'SET_VALUE', key, value } as const]),
  fc.constantFrom(...truths).map((t) => typeAll(t)),
  fc.constantFrom<FourEyesEvent[]>(
    [{ type: 'FINISH_ENTRY' }],
    [{ type: 'REOPEN_FIRST_ENTRY' }],
    [{ type: 'FINISH_RESOLUTION' }],
    [{ type: 'SIGN' }],
    [{ type: 'DISCARD' }],
  ),
  fc
    .tuple(
      keyArb,
      fc.constantFrom('KEEP_FIRST', 'KEEP_SECOND') as fc.Arbitrary<'KEEP_FIRST' | 'KEEP_SECOND'>,
    )
    .map(([key, choice]) => [{ type: 'RESOLVE_DIFFERENCE', key, choice } as const]),
  fc.tuple(keyArb, valueArb).map(([key, value]) => [{ type: 'ENTER_AGAIN', key, value } as const]),
  fc
    .tuple(fc.constantFrom('W.203', 'W.202', 'W.302', 'W.999'), fc.constantFrom(...reasons))
    .map(([code, reason]) => [{ type: 'ACKNOWLEDGE_WARNING', code, reason } as const]),
  fc
    .constantFrom('W.203', 'W.302')
    .map((code) => [{ type: 'WITHDRAW_ACKNOWLEDGEMENT', code } as const]),
  fc.constantFrom(...reasons).map((reason) => [{ type: 'START_CORRECTION', reason } as const]),
);

/** One entry of a truth, with up to two fields typed differently (typos). */
const typedEntry = fc
  .tuple(
    fc.constantFrom(...truths),
    fc.oneof(
      { weight: 2, arbitrary: fc.constant([]) },
      fc.array(fc.tuple(fc.constantFrom(...KEYS), fc.integer({ min: 0, max: 600 })), {
        maxLength: 2,
      }),
    ),
  )
  .map(([truth, typos]) => typeAll({ ...truth, ...Object.fromEntries(typos) }));

/**
 * Settling: per field keep the first, keep the second, type it again or leave it unsettled
 * (events for agreed fields are refused and change nothing).
 */
type Choice = 'KEEP_FIRST' | 'KEEP_SECOND' | 'SKIP' | number;
const keepAll = (choice: Choice): Choice[] => KEYS.map(() => choice);
const settling = fc
  .oneof(
    fc.constant(keepAll('KEEP_FIRST')),
    fc.constant(keepAll('KEEP_SECOND')),
    fc.array(
      fc.oneof(
        fc.constantFrom<Choice>('KEEP_FIRST', 'KEEP_SECOND'),
        { weight: 1, arbitrary: fc.constant<Choice>('SKIP') },
        fc.integer({ min: 0, max: 600 }),
      ),
      { minLength: KEYS.length, maxLength: KEYS.length },
    ),
  )
  .map((choices) =>
    choices.flatMap((choice, i): FourEyesEvent[] => {
      const key = KEYS[i]!;
      if (choice === 'SKIP') return [];
      return typeof choice === 'number'
        ? [{ type: 'ENTER_AGAIN', key, value: choice }]
        : [{ type: 'RESOLVE_DIFFERENCE', key, choice }];
    }),
  );

const evening: fc.Arbitrary<FourEyesEvent[]> = fc
  .tuple(
    fc.oneof({ weight: 4, arbitrary: fc.constant(maria) }, fc.constantFrom(...persons)),
    fc.oneof({ weight: 4, arbitrary: fc.constant(jonas) }, fc.constantFrom(...persons)),
    typedEntry,
    typedEntry,
    settling,
    fc.oneof(
      { weight: 3, arbitrary: fc.constant('Nachgezählt, stimmt so.') },
      fc.constantFrom(...reasons),
    ),
  )
  .map(([a, b, first, second, settle, reason]) => [
    { type: 'START_FIRST_ENTRY', person: a },
    ...first,
    { type: 'FINISH_ENTRY' },
    { type: 'START_SECOND_ENTRY', person: b },
    ...second,
    { type: 'FINISH_ENTRY' },
    ...settle,
    { type: 'FINISH_RESOLUTION' },
    { type: 'ACKNOWLEDGE_WARNING', code: 'W.203', reason },
    { type: 'ACKNOWLEDGE_WARNING', code: 'W.302', reason },
    { type: 'SIGN' },
  ]);

/** Evenings (including corrections) with random events mixed in at random places. */
const sequences = fc
  .tuple(
    fc.array(evening, { minLength: 1, maxLength: 3 }),
    fc.array(fc.tuple(fc.nat(), randomEvent), { maxLength: 8 }),
    fc.constantFrom(...reasons),
  )
  .map(([evenings, noise, reason]) => {
    const events: FourEyesEvent[] = evenings.flatMap((e, i) =>
      i === 0 ? e : [{ type: 'START_CORRECTION', reason } as const, ...e],
    );
    for (const [at, inserted] of noise) events.splice(at % (events.length + 1), 0, ...inserted);
    return events;
  });

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** The oracle: what the signed figures must be, computed without the machine's own helpers. */
function checkSigned(before: StateOf<'READY_TO_SIGN'>, after: StateOf<'SIGNED'>): void {
  const { report, entries } = after;
  expect(entries).toBeDefined();
  const { first, second, differences } = entries!;
  expect(samePerson(first.person, second.person)).toBe(false);
  expect(report.enteredBy.map((s) => s.name)).toEqual([first.person.name, second.person.name]);
  for (const key of KEYS) {
    const a = first.values[key];
    const b = second.values[key];
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    if (a === b) {
      expect(report.counts[key]).toBe(a);
      continue;
    }
    const d = differences.find((x) => x.key === key);
    expect(d?.resolution).toBeDefined();
    const expected =
      d!.resolution!.kind === 'KEEP_FIRST'
        ? a
        : d!.resolution!.kind === 'KEEP_SECOND'
          ? b
          : d!.resolution!.value;
    expect(report.counts[key]).toBe(expected);
  }
  expect(Object.keys(report.counts).sort()).toEqual([...KEYS].sort());
  const assessment = assessSchnellmeldung(report, {
    index: env.index,
    ...(before.cycle.previous === undefined ? {} : { previous: before.cycle.previous }),
  });
  expect(assessment.errors).toEqual([]);
  expect(assessment.unacknowledgedWarnings).toEqual([]);
  for (const ack of report.acknowledgements) {
    expect(ack.reason.trim().length).toBeGreaterThanOrEqual(3);
    expect(ack.reason.trim().length).toBeLessThanOrEqual(500);
  }
  expect(report.revision).toBe(before.cycle.revision);
  if (report.revision > 1) expect(report.correctionReason?.trim().length).toBeGreaterThanOrEqual(3);
}

function replay(events: readonly FourEyesEvent[], stats: { signed: number; corrections: number }) {
  let state: FourEyesState = deepFreeze(empty());
  for (const event of events) {
    const snapshot = JSON.stringify(state);
    const result = transition(state, event, env);
    expect(JSON.stringify(state)).toBe(snapshot);
    if (!result.ok) continue;
    const nextState = deepFreeze(result.state);
    expect(FourEyesStateSchema.safeParse(nextState).success).toBe(true);
    if (nextState.status === 'SIGNED') {
      expect(event.type === 'SIGN' || state.status === 'SIGNED').toBe(true);
      if (state.status === 'READY_TO_SIGN') {
        checkSigned(state, nextState);
        stats.signed += 1;
        if (nextState.report.revision > 1) stats.corrections += 1;
      }
    }
    if (event.type === 'START_SECOND_ENTRY' && nextState.status === 'SECOND_ENTRY_IN_PROGRESS') {
      expect(nextState.second.values).toEqual(nextState.prefill);
    }
    state = nextState;
  }
}

describe('property: the four-eyes entry never signs what was not checked', () => {
  it('over evenings with random events mixed in', () => {
    const stats = { signed: 0, corrections: 0 };
    fc.assert(
      fc.property(sequences, (events) => replay(events, stats)),
      { numRuns: 400 },
    );
    // the property must not hold vacuously: many runs really reach SIGNED, some as corrections
    expect(stats.signed).toBeGreaterThan(60);
    expect(stats.corrections).toBeGreaterThan(3);
  });

  it('over purely random event sequences', () => {
    const stats = { signed: 0, corrections: 0 };
    fc.assert(
      fc.property(fc.array(randomEvent, { maxLength: 40 }), (chunks) =>
        replay(chunks.flat(), stats),
      ),
      { numRuns: 300 },
    );
  });
});
