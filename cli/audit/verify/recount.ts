import { z } from 'zod';
import {
  Aggregator,
  ballotSections,
  type ContestTotals,
  type ElectionIndex,
  type Schnellmeldung,
} from '../../../election/index.ts';
import { EXPORT_PATHS } from '../format.ts';
import type { Finding } from '../findings.ts';
import type { AuditContext } from './load.ts';
import { readOptional } from './load.ts';

/** The parts of results.json (wahlkoffer.results/1, docs/publication.md) the recount compares. */
const SectionSchema = z.object({
  stimme: z.number(),
  invalid: z.number(),
  valid: z.number(),
  votes: z.record(z.string(), z.number()),
});
const BallotSchema = z.object({
  kind: z.enum(['contest', 'combined']),
  id: z.string(),
  contestIds: z.array(z.string()),
  districts: z.object({ expected: z.number(), reported: z.number() }),
  electorate: z.number(),
  voters: z.number(),
  sections: z.array(SectionSchema),
});
const ResultsSchema = z.object({
  format: z.literal('wahlkoffer.results/1'),
  election: z.object({ id: z.string() }),
  lastSequence: z.number().int().nullable(),
  areas: z.array(z.object({ id: z.string(), ballots: z.array(BallotSchema) })),
});
type Results = z.infer<typeof ResultsSchema>;
type Ballot = z.infer<typeof BallotSchema>;

export const RESULTS_FILE = `${EXPORT_PATHS.publication}/results.json`;

/**
 * The recount: every accepted, verified tally goes into the election package's own Aggregator
 * (election/aggregation.ts), which keeps the highest revision per precinct and contest — the
 * rule of SPEC §4, decided in election/revisions.ts. Only reports up to the published snapshot's
 * last sequence number are counted, so a snapshot made before later reports still compares.
 * It also checks that the server's own "current" pointer names that highest revision.
 */
export class Recount {
  private readonly aggregator: Aggregator;
  private readonly newest = new Map<string, { revision: number; sequence: number }>();
  private readonly current = new Map<string, number>();
  counted = 0;

  constructor(
    index: ElectionIndex,
    private readonly upTo: number | null,
  ) {
    this.aggregator = new Aggregator(index);
  }

  add(tally: Schnellmeldung, sequence: number, current: boolean): void {
    const key = `${tally.precinctId}\u0000${tally.contestId}`;
    const newest = this.newest.get(key);
    if (newest === undefined || tally.revision > newest.revision) {
      this.newest.set(key, { revision: tally.revision, sequence });
    }
    if (current) this.current.set(key, sequence);
    if (this.upTo !== null && sequence > this.upTo) return;
    if (this.aggregator.apply(tally).ok) this.counted += 1;
  }

  /** The server counts the newest revision of every precinct and contest. */
  checkCurrent(findings: Finding[]): void {
    for (const [key, newest] of this.newest) {
      const current = this.current.get(key);
      if (current === newest.sequence) continue;
      const [precinctId, contestId] = key.split('\u0000') as [string, string];
      findings.push({
        code: 'CURRENT_REVISION_WRONG',
        precinctId,
        contestId,
        revision: newest.revision,
        sequence: newest.sequence,
        detail:
          current === undefined
            ? `no revision marked as counted; newest is ${newest.revision} (report ${newest.sequence})`
            : `report ${current} is counted; the newest revision ${newest.revision} is report ${newest.sequence}`,
      });
    }
  }

  /** Compares every ballot of every area of results.json with the recount. */
  compare(ctx: AuditContext, results: Results, findings: Finding[]): number {
    let compared = 0;
    for (const area of results.areas) {
      for (const ballot of area.ballots) {
        const expected = this.expectedBallot(ctx, area.id, ballot);
        if (expected === undefined) {
          findings.push({
            code: 'RESULT_MISMATCH',
            areaId: area.id,
            contestId: ballot.id,
            file: RESULTS_FILE,
            detail: `ballot ${ballot.id} is not in the election definition for area ${area.id}`,
          });
          continue;
        }
        const differences = diff(ballot, expected);
        compared += 1;
        if (differences.length > 0) {
          findings.push({
            code: 'RESULT_MISMATCH',
            areaId: area.id,
            contestId: ballot.id,
            file: RESULTS_FILE,
            detail: differences.slice(0, 8).join('; '),
          });
        }
      }
    }
    return compared;
  }

  private expectedBallot(ctx: AuditContext, areaId: string, ballot: Ballot): Flat | undefined {
    if (ballot.kind === 'contest') {
      const contest = ctx.index.contest(ballot.id);
      const totals = this.aggregator.totals(ballot.id, areaId);
      if (contest === undefined || totals === undefined) return undefined;
      const sections = ballotSections(contest).map((s) => ({
        invalid: totals.counts[s.invalid] ?? 0,
        valid: totals.counts[s.valid] ?? 0,
        votes: Object.fromEntries(
          s.choices.map((c) => [
            c.id,
            (s.choiceKind === 'candidate' ? totals.candidates : totals.lists)[c.id] ?? 0,
          ]),
        ),
      }));
      return flat(totals, sections);
    }
    const totals = this.aggregator.combinedTotals(areaId, ballot.contestIds);
    const first: Record<string, number> = {};
    const second: Record<string, number> = {};
    const add = (into: Record<string, number>, party: string | undefined, votes: number) => {
      const id = party ?? 'einzelbewerber';
      into[id] = (into[id] ?? 0) + votes;
    };
    for (const id of ballot.contestIds) {
      const contest = ctx.index.contest(id);
      const t = this.aggregator.totals(id, areaId);
      if (contest?.kind !== 'BUNDESTAG' || t === undefined) continue;
      for (const c of contest.candidates) add(first, c.party, t.candidates[c.id] ?? 0);
      for (const l of contest.lists) add(second, l.party, t.lists[l.id] ?? 0);
    }
    return flat(totals, [
      { invalid: totals.counts.C ?? 0, valid: totals.counts.D ?? 0, votes: first },
      { invalid: totals.counts.E ?? 0, valid: totals.counts.F ?? 0, votes: second },
    ]);
  }
}

type Flat = ReadonlyMap<string, number>;

function flat(
  totals: ContestTotals,
  sections: readonly { invalid: number; valid: number; votes: Record<string, number> }[],
): Flat {
  const m = new Map<string, number>([
    ['reported', totals.reported],
    ['voters', totals.counts.B ?? 0],
    ['electorate', totals.counts.A ?? 0],
  ]);
  sections.forEach((s, i) => {
    m.set(`stimme${i + 1}.invalid`, s.invalid);
    m.set(`stimme${i + 1}.valid`, s.valid);
    for (const [id, votes] of Object.entries(s.votes)) m.set(`stimme${i + 1}.${id}`, votes);
  });
  return m;
}

function diff(ballot: Ballot, expected: Flat): string[] {
  const published = new Map<string, number>([
    ['reported', ballot.districts.reported],
    ['voters', ballot.voters],
    ['electorate', ballot.electorate],
  ]);
  ballot.sections.forEach((s, i) => {
    published.set(`stimme${i + 1}.invalid`, s.invalid);
    published.set(`stimme${i + 1}.valid`, s.valid);
    for (const [id, votes] of Object.entries(s.votes)) published.set(`stimme${i + 1}.${id}`, votes);
  });
  const out: string[] = [];
  for (const key of new Set([...published.keys(), ...expected.keys()])) {
    const p = published.get(key);
    const e = expected.get(key) ?? 0;
    if (p !== e) out.push(`${key}: published ${p ?? 'nothing'}, recounted ${e}`);
  }
  return out;
}

/** results.json of the exported snapshot; undefined when the export has no publication. */
export async function readResults(
  ctx: AuditContext,
  findings: Finding[],
): Promise<Results | undefined> {
  if (!ctx.manifest.publication) return undefined;
  const text = await readOptional(ctx.dir, RESULTS_FILE);
  const parsed = ResultsSchema.safeParse(text === undefined ? undefined : safeJson(text));
  if (!parsed.success || parsed.data.election.id !== ctx.election.id) {
    findings.push({
      code: 'RESULTS_UNREADABLE',
      file: RESULTS_FILE,
      detail:
        text === undefined
          ? 'missing'
          : parsed.success
            ? 'another election'
            : parsed.error.message.slice(0, 300),
    });
    return undefined;
  }
  return parsed.data;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
