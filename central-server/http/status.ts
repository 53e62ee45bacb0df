import type { ServerRepository } from '../storage/repository.ts';
import type { PrecinctStatus } from '../../api/index.ts';

/** How many of a station's latest refusals its status shows. */
export const STATUS_REJECTIONS = 20;

/** A station's accepted revisions per contest (with receipt codes) and its latest refusals. */
export async function precinctStatus(
  repository: ServerRepository,
  precinctId: string,
): Promise<PrecinctStatus> {
  const history = await repository.precinctHistory(precinctId, STATUS_REJECTIONS);
  const contests = new Map<string, PrecinctStatus['contests'][number]>();
  for (const r of history.reports) {
    let entry = contests.get(r.contestId);
    if (entry === undefined) {
      entry = { contestId: r.contestId, currentRevision: null, revisions: [] };
      contests.set(r.contestId, entry);
    }
    entry.revisions.push({
      revision: r.revision,
      sequence: r.sequence,
      receiptCode: r.receiptCode,
      acceptedAt: r.acceptedAt.toISOString(),
    });
    entry.currentRevision = Math.max(entry.currentRevision ?? 0, r.revision);
  }
  return {
    precinctId,
    contests: [...contests.values()],
    rejections: history.rejections.map((r) => ({
      receivedAt: r.receivedAt.toISOString(),
      contestId: r.contestId,
      revision: r.revision,
      code: r.code ?? 'UNKNOWN',
    })),
  };
}
