/**
 * Which revision of a precinct's report for one contest is current — decided here and nowhere
 * else (SPEC §4: a correction is a new signed report with a higher revision; nothing is
 * overwritten, and an older revision can never replace a newer one). The server's intake, its
 * ledger, the aggregator and plausibility rule F.011 all ask these two functions.
 */

/** true when a report with revision `incoming` may become current over `current` (none yet = true). */
export function supersedes(incoming: number, current: number | undefined): boolean {
  return current === undefined || incoming > current;
}

/** An accepted revision of one precinct and contest, as the revision rules need it. */
export type AcceptedRevision = {
  readonly revision: number;
  readonly sequence: number;
  /** SHA-256 (hex) of the sealed envelope as received */
  readonly envelopeHash: string;
  /** SHA-256 (hex) of the signed Schnellmeldung bytes */
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

/** The current one of the accepted revisions: the highest (they are distinct). */
export function currentRevision<T extends { readonly revision: number }>(
  accepted: readonly T[],
): T | undefined {
  let current: T | undefined;
  for (const a of accepted) if (supersedes(a.revision, current?.revision)) current = a;
  return current;
}

/**
 * Decides an incoming report against the revisions already accepted for the same precinct and
 * contest: a repeat (idempotent), a new current revision, or a refusal.
 */
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
  const current = currentRevision(accepted);
  if (current !== undefined && !supersedes(incoming.revision, current.revision)) {
    return { kind: 'REVISION_OUTDATED', current };
  }
  return { kind: 'NEW', supersedes: current ?? null };
}
