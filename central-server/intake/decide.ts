import { assessSchnellmeldung, type ElectionIndex } from '../../election/index.ts';
import { ServerError } from '../errors.ts';
import type { Ledger } from './ledger.ts';
import type { Candidate, IntakeRefusal } from './types.ts';

/** The domain decision on one verified report, before anything is numbered, signed or stored. */
export type ReportDecision =
  | { readonly kind: 'NEW' }
  | { readonly kind: 'REPEAT'; readonly sequence: number; readonly revision: number }
  | { readonly kind: 'REFUSED'; readonly refusal: IntakeRefusal };

/**
 * Revision rules (election/revisions.ts) against the ledger, then plausibility (the same
 * election/ rules the kit ran). Pure apart from reading the ledger, which holds every report
 * accepted so far, including those decided earlier in the same batch.
 */
export function decideReport(
  candidate: Candidate,
  context: { readonly ledger: Ledger; readonly index: ElectionIndex },
): ReportDecision {
  const { ledger, index } = context;
  const { opened } = candidate;
  const t = opened.schnellmeldung;
  const revision = ledger.decide(t.precinctId, t.contestId, {
    revision: t.revision,
    envelopeHash: opened.envelopeHash,
    contentHash: opened.contentHash,
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
  const assessment = assessSchnellmeldung(t, {
    index,
    ...(previous === undefined ? {} : { previous: previous.schnellmeldung }),
    identicalTo: (key) => ledger.identicalTo(key),
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
  return { kind: 'NEW' };
}
