import { z } from 'zod';
import type { ElectionDefinition } from '../../election/index.ts';
import type { ContestVotes, VotesByContest } from './totals.ts';

/** The part of GET /api/v1/results the demo reads: each contest's totals at the root of the area tree. */
const PublishedSchema = z.object({
  contests: z.array(
    z.object({
      contestId: z.string(),
      root: z.object({
        reported: z.number(),
        expected: z.number(),
        candidates: z.record(z.string(), z.number()),
        lists: z.record(z.string(), z.number()),
      }),
    }),
  ),
});

/** Parses the public results into votes per contest (only contests of the definition). */
export function publishedTotals(body: unknown, definition: ElectionDefinition): VotesByContest {
  const parsed = PublishedSchema.parse(body);
  const known = new Set(definition.contests.map((c) => c.id));
  const out: Record<string, ContestVotes> = {};
  for (const c of parsed.contests) {
    if (!known.has(c.contestId)) continue;
    out[c.contestId] = {
      reported: c.root.reported,
      expected: c.root.expected,
      candidates: c.root.candidates,
      lists: c.root.lists,
    };
  }
  return out;
}

/** Reads the published totals from a running server, as any member of the public would. */
export async function fetchPublishedTotals(
  serverUrl: string,
  definition: ElectionDefinition,
): Promise<VotesByContest> {
  const response = await fetch(`${serverUrl}/api/v1/results`, {
    headers: { accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`GET /api/v1/results: HTTP ${response.status}`);
  return publishedTotals(await response.json(), definition);
}
