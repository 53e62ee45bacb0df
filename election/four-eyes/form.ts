import type { Contest, Precinct } from '../definition.ts';
import type { ElectionIndex } from '../election-index.ts';
import { formFields, type FormField } from '../form-fields.ts';
import { assessSchnellmeldung, type Assessment } from '../plausibility/index.ts';
import {
  SCHNELLMELDUNG_FORMAT,
  type Acknowledgement,
  type SchnellmeldungDraft,
} from '../schnellmeldung.ts';
import type { Cycle, EntryTarget, EntryValues } from './state.ts';

/**
 * What the reducer needs besides the state: the election (for the form and the rules) and,
 * where the caller knows other precincts' results (the office), the identical-result lookup.
 */
export type FourEyesEnv = {
  readonly index: ElectionIndex;
  readonly identicalTo?: (key: string) => readonly string[];
};

export type EntryForm = {
  readonly precinct: Precinct;
  readonly contest: Contest;
  /** the fields of Anlage 28 in form order: the order Enter moves through */
  readonly fields: readonly FormField[];
  readonly keys: ReadonlySet<string>;
};

const formCache = new WeakMap<ElectionIndex, Map<string, EntryForm>>();

/** The form for the target, or undefined when precinct and contest do not belong together. */
export function entryForm(target: EntryTarget, env: FourEyesEnv): EntryForm | undefined {
  if (env.index.definition.id !== target.electionId) return undefined;
  let perIndex = formCache.get(env.index);
  if (perIndex === undefined) {
    perIndex = new Map();
    formCache.set(env.index, perIndex);
  }
  const cacheKey = `${target.precinctId}|${target.contestId}`;
  const cached = perIndex.get(cacheKey);
  if (cached !== undefined) return cached;
  const precinct = env.index.precinct(target.precinctId);
  const contest = env.index.contest(target.contestId);
  if (precinct === undefined || contest === undefined) return undefined;
  if (!env.index.votesIn(precinct.id, contest.id)) return undefined;
  const fields = formFields(contest, precinct.kind);
  const form = { precinct, contest, fields, keys: new Set(fields.map((f) => f.key)) };
  perIndex.set(cacheKey, form);
  return form;
}

/** The figures a form starts with for an Urnenwahlbezirk: A1–A3 from the voter register. */
export function registerPrefill(precinct: Precinct): EntryValues {
  if (precinct.kind !== 'URNE' || precinct.register === undefined) return {};
  return { ...precinct.register };
}

/** The fields of the form that have no value yet, as field paths. */
export function missingFields(form: EntryForm, values: EntryValues): string[] {
  return form.fields.filter((f) => !Object.hasOwn(values, f.key)).map((f) => f.path);
}

/** Runs the plausibility rules on the figures as they stand, in the cycle's revision. */
export function assessValues(
  where: { readonly target: EntryTarget; readonly cycle: Cycle },
  values: EntryValues,
  acknowledgements: readonly Acknowledgement[],
  env: FourEyesEnv,
): Assessment {
  const { target, cycle } = where;
  const draft: SchnellmeldungDraft = {
    format: SCHNELLMELDUNG_FORMAT,
    ...target,
    revision: cycle.revision,
    ...(cycle.correctionReason === undefined ? {} : { correctionReason: cycle.correctionReason }),
    counts: values,
    acknowledgements: [...acknowledgements],
  };
  return assessSchnellmeldung(draft, {
    index: env.index,
    ...(cycle.previous === undefined ? {} : { previous: cycle.previous }),
    ...(env.identicalTo === undefined ? {} : { identicalTo: env.identicalTo }),
  });
}
