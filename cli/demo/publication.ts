import { z } from 'zod';
import type { ElectionDefinition } from '../../election/index.ts';
import type { ContestVotes, VotesByContest } from './totals.ts';

/** The part of the published results.json (docs/publication.md) the demo checks. */
const SnapshotSchema = z.object({
  reportsCounted: z.number().int(),
  lastSequence: z.number().int(),
  areas: z.array(
    z.object({
      id: z.string(),
      ballots: z.array(
        z.object({
          kind: z.string(),
          id: z.string(),
          districts: z.object({ expected: z.number().int(), reported: z.number().int() }),
          sections: z.array(z.object({ votes: z.record(z.string(), z.number()) })),
        }),
      ),
    }),
  ),
});
type Snapshot = z.infer<typeof SnapshotSchema>;

/** Each contest's totals at its own area, as the public snapshot shows them. */
export function snapshotTotals(doc: Snapshot, definition: ElectionDefinition): VotesByContest {
  const out: Record<string, ContestVotes> = {};
  for (const contest of definition.contests) {
    const ballot = doc.areas
      .find((a) => a.id === contest.areaId)
      ?.ballots.find((b) => b.kind === 'contest' && b.id === contest.id);
    if (ballot === undefined) continue;
    out[contest.id] = {
      reported: ballot.districts.reported,
      expected: ballot.districts.expected,
      candidates: ballot.sections[0]?.votes ?? {},
      lists: ballot.sections[1]?.votes ?? {},
    };
  }
  return out;
}

/**
 * Reads `<resultsUrl>results.json` as a newsroom would, until it counts `reports` reports and
 * shows every report up to sequence number `lastSequence` — a correction arrives after its
 * district has reported, so the count alone can be reached one snapshot early (publication
 * follows acceptance within about a second) — or `timeoutMs` passes.
 */
export async function fetchPublication(
  resultsUrl: string,
  reports: number,
  timeoutMs = 15_000,
  lastSequence = 0,
): Promise<Snapshot> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${resultsUrl}results.json`);
    if (!response.ok) throw new Error(`GET ${resultsUrl}results.json: HTTP ${response.status}`);
    const doc = SnapshotSchema.parse(await response.json());
    const complete = doc.reportsCounted >= reports && doc.lastSequence >= lastSequence;
    if (complete || Date.now() > until) return doc;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
