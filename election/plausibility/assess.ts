import { requiredKennbuchstaben } from '../contest-kinds.ts';
import type { Contest, PrecinctKind } from '../definition.ts';
import type { ElectionIndex } from '../election-index.ts';
import type { Acknowledgement, SchnellmeldungDraft } from '../schnellmeldung.ts';
import { resolvePlausibility } from './config.ts';
import { checkContext } from './context-rules.ts';
import { CountView } from './count-view.ts';
import { checkArithmetic, checkValues } from './count-rules.ts';
import type { Finding } from './finding.ts';
import { checkIdentical, checkLargeChange } from './history-rules.ts';
import { checkFigures } from './warning-rules.ts';

/**
 * What the rules read of the previous revision (F.011, W.302): which report it was, its revision
 * and its counts. A server keeps no more than this of every current report.
 */
export type PreviousReport = Pick<
  SchnellmeldungDraft,
  'precinctId' | 'contestId' | 'revision' | 'counts'
>;

/** What the rules may know beyond the report itself; all of it is passed in (pure core). */
export type AssessmentContext = {
  readonly index: ElectionIndex;
  /** the highest revision already accepted for the same precinct and contest, if any */
  readonly previous?: PreviousReport;
  /** precinct ids that reported a result with this `resultKey` (the report's own id may be included) */
  readonly identicalTo?: (key: string) => readonly string[];
};

export type Assessment = {
  readonly findings: readonly Finding[];
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
  /** warnings without an acknowledgement carrying a 3–500 character reason */
  readonly unacknowledgedWarnings: readonly Finding[];
  /** acknowledgements of warnings that did not fire (stale after an edit); reported, not blocking */
  readonly acknowledgementsWithoutWarning: readonly Acknowledgement[];
  /** no errors, and every warning acknowledged with a reason */
  readonly sendable: boolean;
};

const requiredCache = new WeakMap<Contest, Record<PrecinctKind, readonly string[]>>();

function required(contest: Contest, kind: PrecinctKind): readonly string[] {
  let entry = requiredCache.get(contest);
  if (entry === undefined) {
    entry = {
      URNE: requiredKennbuchstaben(contest, 'URNE'),
      BRIEF: requiredKennbuchstaben(contest, 'BRIEF'),
    };
    requiredCache.set(contest, entry);
  }
  return entry[kind];
}

/**
 * Runs every plausibility rule on one Schnellmeldung, in order: context (does it belong
 * here), values (present, whole numbers), arithmetic, then warnings. Follow-on findings are
 * suppressed: rules over missing or malformed values are skipped, a warning about a field that
 * already has an error is dropped, and the cross-report warnings (W.301, W.302) only run on a
 * report without errors.
 */
export function assessSchnellmeldung(t: SchnellmeldungDraft, ctx: AssessmentContext): Assessment {
  const previous =
    ctx.previous !== undefined &&
    ctx.previous.precinctId === t.precinctId &&
    ctx.previous.contestId === t.contestId
      ? ctx.previous
      : undefined;
  const config = resolvePlausibility(ctx.index.definition.plausibility);
  const context = checkContext(t, ctx.index, previous);
  const errors: Finding[] = [...context.findings];
  let warnings: Finding[] = [];
  if (context.target !== undefined) {
    const { precinct, contest } = context.target;
    const keys = required(contest, precinct.kind);
    const view = new CountView(t.counts, keys);
    errors.push(...checkValues(view, keys, precinct), ...checkArithmetic(view, precinct, contest));
    const errorFields = new Set(errors.flatMap((f) => f.fields));
    warnings = checkFigures(view, precinct, contest, config).filter(
      (w) => !w.fields.some((field) => errorFields.has(field)),
    );
    if (errors.length === 0) {
      warnings.push(
        ...checkIdentical(t, ctx.identicalTo),
        ...checkLargeChange(t, previous, config),
      );
    }
  }
  return summarise(t, errors, warnings);
}

function summarise(t: SchnellmeldungDraft, errors: Finding[], warnings: Finding[]): Assessment {
  const acknowledged = new Set(
    t.acknowledgements
      .filter((a) => {
        const length = a.reason.trim().length;
        return length >= 3 && length <= 500;
      })
      .map((a) => a.code),
  );
  const fired = new Set<string>(warnings.map((w) => w.code));
  const unacknowledgedWarnings = warnings.filter((w) => !acknowledged.has(w.code));
  return {
    findings: [...errors, ...warnings],
    errors,
    warnings,
    unacknowledgedWarnings,
    acknowledgementsWithoutWarning: t.acknowledgements.filter((a) => !fired.has(a.code)),
    sendable: errors.length === 0 && unacknowledgedWarnings.length === 0,
  };
}
