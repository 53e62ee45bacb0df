/**
 * The revision rules, pure (SPEC §4: nothing is ever overwritten, and an older revision can never
 * replace a newer one). `accepted` are the revisions already accepted for the same precinct and
 * contest.
 */
export type AcceptedRevision = {
  readonly revision: number;
  readonly sequence: number;
  readonly envelopeHash: string;
  readonly contentHash: string;
};

export type RevisionDecision =
  /** the same report again (same envelope, or same signed content for that revision): answer
   * with the original receipt, count nothing */
  | { readonly kind: 'REPEAT'; readonly original: AcceptedRevision }
  | { readonly kind: 'NEW'; readonly supersedes: AcceptedRevision | null }
  | {
      readonly kind: 'REVISION_CONFLICT' | 'REVISION_OUTDATED';
      readonly current: AcceptedRevision;
    };

export function decideRevision(
  accepted: readonly AcceptedRevision[],
  incoming: { revision: number; envelopeHash: string; contentHash: string },
): RevisionDecision {
  for (const a of accepted) {
    if (a.envelopeHash === incoming.envelopeHash) return { kind: 'REPEAT', original: a };
  }
  const sameRevision = accepted.find((a) => a.revision === incoming.revision);
  if (sameRevision !== undefined) {
    return sameRevision.contentHash === incoming.contentHash
      ? { kind: 'REPEAT', original: sameRevision }
      : { kind: 'REVISION_CONFLICT', current: sameRevision };
  }
  let current: AcceptedRevision | null = null;
  for (const a of accepted) if (current === null || a.revision > current.revision) current = a;
  if (current !== null && incoming.revision < current.revision) {
    return { kind: 'REVISION_OUTDATED', current };
  }
  return { kind: 'NEW', supersedes: current };
}
