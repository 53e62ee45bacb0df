import { isCount } from './entry-phase.ts';
import { assessValues, type FourEyesEnv } from './form.ts';
import { refusal } from './refusal.ts';
import { next, refused, type Transition } from './result.ts';
import type { Difference, EntryValues, FourEyesState, Resolution, StateOf } from './state.ts';

/**
 * The two entries differ: both poll workers look at the paper together and settle each
 * differing field on its own: keep the first figure, keep the second, or read the paper again
 * and type the figure anew. Only the differing fields can be touched; the agreed ones stand.
 */

export function resolveDifference(
  state: FourEyesState,
  key: string,
  resolution: Resolution | undefined,
): Transition {
  if (state.status !== 'ENTRIES_DIFFER') return refused(refusal('EVENT_NOT_ALLOWED'));
  const index = state.differences.findIndex((d) => d.key === key);
  if (index < 0) return refused(refusal('NOT_A_DIFFERENCE', { fields: [`counts.${key}`] }));
  if (resolution?.kind === 'ENTERED_AGAIN' && !isCount(resolution.value)) {
    return refused(refusal('INVALID_VALUE', { fields: [`counts.${key}`] }));
  }
  const differences = state.differences.map((d, i) => (i === index ? settle(d, resolution) : d));
  return next({ ...state, differences });
}

function settle(difference: Difference, resolution: Resolution | undefined): Difference {
  const { resolution: _old, ...rest } = difference;
  return resolution === undefined ? rest : { ...rest, resolution };
}

export function finishResolution(state: FourEyesState, env: FourEyesEnv): Transition {
  if (state.status !== 'ENTRIES_DIFFER') return refused(refusal('EVENT_NOT_ALLOWED'));
  const open = state.differences.filter((d) => d.resolution === undefined);
  if (open.length > 0) {
    return refused(
      refusal('DIFFERENCES_UNRESOLVED', { fields: open.map((d) => `counts.${d.key}`) }),
    );
  }
  const values = agreedValues(state);
  const { errors } = assessValues(state, values, [], env);
  if (errors.length > 0) return refused(refusal('RESOLUTION_HAS_ERRORS', { findings: errors }));
  const { target, cycle, prefill, first, second, differences } = state;
  return next({
    status: 'READY_TO_SIGN',
    target,
    cycle,
    prefill,
    first,
    second,
    differences,
    values,
    acknowledgements: [],
  });
}

/**
 * The figures as settled so far: agreed fields from the first entry, differing fields by their
 * resolution. An unsettled field is left out, so the figures are incomplete until all are settled.
 */
export function agreedValues(state: StateOf<'ENTRIES_DIFFER' | 'READY_TO_SIGN'>): EntryValues {
  const values: Record<string, number> = { ...state.first.values };
  for (const d of state.differences) {
    delete values[d.key];
    const value = resolvedValue(d);
    if (value !== undefined) values[d.key] = value;
  }
  return values;
}

/** The figure a settled difference stands for (undefined: unsettled, or the chosen entry left it empty). */
export function resolvedValue(d: Difference): number | undefined {
  switch (d.resolution?.kind) {
    case undefined:
      return undefined;
    case 'KEEP_FIRST':
      return d.first;
    case 'KEEP_SECOND':
      return d.second;
    case 'ENTERED_AGAIN':
      return d.resolution.value;
  }
}
