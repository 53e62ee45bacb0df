import {
  assessSchnellmeldung,
  type ElectionIndex,
  type Schnellmeldung,
} from '../../election/index.ts';
import { ServerError } from '../errors.ts';
import type { Ledger } from './ledger.ts';
import { identityOfKey, type ResultIdentity } from './result-identity.ts';
import type { IntakeRefusal } from './types.ts';

/** What the rules judge: the report and the hashes the revision rules compare. */
export type Decidable = {
  readonly schnellmeldung: Schnellmeldung;
  readonly envelopeHash: string;
  readonly contentHash: string;
};

/** The domain decision on one verified report, before anything is numbered, signed or stored. */
export type ReportDecision =
  | {
      readonly kind: 'NEW';
      /**
       * the report's result identity, when the identical-result rule (W.301) looked it up: the
       * ledger indexes the report by it and the live board keys by it, without a second digest
       */
      readonly resultIdentity?: ResultIdentity;
    }
  | { readonly kind: 'REPEAT'; readonly sequence: number; readonly revision: number }
  | { readonly kind: 'REFUSED'; readonly refusal: IntakeRefusal };

/**
 * Revision rules (election/revisions.ts) against the ledger, then plausibility (the same
 * election/ rules the kit ran). Pure apart from reading the ledger, which holds every report
 * accepted so far, including those decided earlier in the same batch.
 */
export function decideReport(
  report: Decidable,
  context: { readonly ledger: Ledger; readonly index: ElectionIndex },
): ReportDecision {
  const { ledger, index } = context;
  const t = report.schnellmeldung;
  const revision = ledger.decide(t.precinctId, t.contestId, {
    revision: t.revision,
    envelopeHash: report.envelopeHash,
    contentHash: report.contentHash,
  });
  switch (revision.kind) {
    case 'REPEAT':
      return {
        kind: 'REPEAT',
        sequence: revision.original.sequence,
        revision: revision.original.revision,
      };
    case 'REVISION_CONFLICT':
    case 'REVISION_OUTDATED':
      return {
        kind: 'REFUSED',
        refusal: new ServerError(revision.kind, { acceptedRevision: revision.current.revision }),
      };
    case 'NEW':
      break;
  }
  const previous = ledger.current(t.precinctId, t.contestId);
  // the rule asks with this report's own resultKey: its digest is the report's result identity
  let resultIdentity: string | undefined;
  const assessment = assessSchnellmeldung(t, {
    index,
    ...(previous === undefined ? {} : { previous: previous.schnellmeldung }),
    identicalTo: (key) => ledger.holding((resultIdentity = identityOfKey(key))),
  });
  if (assessment.errors.length > 0) {
    return {
      kind: 'REFUSED',
      refusal: new ServerError('PLAUSIBILITY_ERROR', { findings: assessment.errors }),
    };
  }
  if (assessment.unacknowledgedWarnings.length > 0) {
    return {
      kind: 'REFUSED',
      refusal: new ServerError('UNACKNOWLEDGED_WARNING', {
        findings: assessment.unacknowledgedWarnings,
      }),
    };
  }
  return resultIdentity === undefined ? { kind: 'NEW' } : { kind: 'NEW', resultIdentity };
}

/**
 * A phoned-in result is taken only for a district and contest that has no counted report yet
 * (its kit failed): it never replaces a kit's signed figures. Then the same rules as a kit's
 * report (decisions/0089); the same result submitted again (its answer was lost) is a repeat.
 */
export function decidePhonedIn(
  report: Decidable,
  context: { readonly ledger: Ledger; readonly index: ElectionIndex },
): ReportDecision {
  const t = report.schnellmeldung;
  const current = context.ledger.current(t.precinctId, t.contestId);
  if (current !== undefined && current.contentHash !== report.contentHash) {
    return {
      kind: 'REFUSED',
      refusal: new ServerError('PHONED_RESULT_ALREADY_REPORTED', {
        acceptedRevision: current.revision,
        source: current.source,
      }),
    };
  }
  return decideReport(report, context);
}
