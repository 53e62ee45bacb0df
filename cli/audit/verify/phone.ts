import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Schnellmeldung } from '../../../election/index.ts';
import type { AcceptedEntry, AuditLine } from '../format.ts';
import type { Finding } from '../findings.ts';
import { SequenceColumn } from './sequences.ts';

/**
 * Results taken by phone (Report.source telefonisch, decisions/0089) carry no station signature:
 * what vouches for them is the office's own four-eyes entry, recorded in the hash-chained audit
 * log. This module reads that record while the audit log streams and then checks every phoned-in
 * result against it (decisions/0098):
 *   - a REPORT_PHONED_IN event names the result's sequence number and two different operators;
 *   - before it, PHONE_ENTRY events of the same district and contest show the first entry by the
 *     first operator and the blind second entry by the second (the last ones since a DISCARD);
 *   - the sequence number was not logged as a kit's report (REPORT_ACCEPTED), nor the other way.
 * It also checks the exported figures against what the server stored (hash, district, revision).
 */

const PhonedInData = z.object({
  sequence: z.number().int(),
  contestId: z.string().nullable(),
  operators: z.array(z.object({ id: z.string(), name: z.string() })),
});
const AcceptedData = z.object({ sequence: z.number().int() });
const EntryData = z.object({
  by: z.string(),
  contestId: z.string(),
  events: z.array(z.string()),
});

type Trail = { firstBy?: string; secondBy?: string };

type PhonedIn = {
  readonly precinctId: string | null;
  readonly contestId: string | null;
  readonly operators: readonly string[];
  readonly trail: Trail;
};

export class PhoneRecord {
  /** the entry in progress per district and contest */
  private readonly trails = new Map<string, Trail>();
  /** REPORT_PHONED_IN by sequence number */
  private readonly phonedIn = new Map<number, PhonedIn>();
  /** sequence numbers the audit log records as a kit's report (REPORT_ACCEPTED): 1 */
  private readonly loggedKit: SequenceColumn;

  constructor(denseLimit: number) {
    this.loggedKit = new SequenceColumn(denseLimit);
  }

  /** Called for every audit event, in order (its `data` already parsed). */
  onEvent(row: AuditLine, data: unknown): void {
    if (row.kind === 'REPORT_ACCEPTED') {
      const accepted = AcceptedData.safeParse(data);
      if (accepted.success) this.loggedKit.set(accepted.data.sequence, 1);
    } else if (row.kind === 'PHONE_ENTRY') {
      const entry = EntryData.safeParse(data);
      if (!entry.success || row.precinctId === null) return;
      const key = `${row.precinctId}\u0000${entry.data.contestId}`;
      if (entry.data.events.includes('DISCARD')) this.trails.delete(key);
      const trail = this.trails.get(key) ?? {};
      for (const event of entry.data.events) {
        if (event === 'START_FIRST_ENTRY') trail.firstBy = entry.data.by;
        if (event === 'START_SECOND_ENTRY') trail.secondBy = entry.data.by;
      }
      this.trails.set(key, trail);
    } else if (row.kind === 'REPORT_PHONED_IN') {
      const phoned = PhonedInData.safeParse(data);
      if (!phoned.success) return;
      const key = `${row.precinctId}\u0000${phoned.data.contestId}`;
      this.phonedIn.set(phoned.data.sequence, {
        precinctId: row.precinctId,
        contestId: phoned.data.contestId,
        operators: phoned.data.operators.map((o) => o.id),
        trail: { ...this.trails.get(key) },
      });
      this.trails.delete(key);
    }
  }

  /** Every result in the audit log's record that was taken by phone, by sequence number. */
  loggedSequences(): ReadonlyMap<number, string | null> {
    return new Map([...this.phonedIn].map(([s, p]) => [s, p.precinctId]));
  }

  /**
   * The exported phoned-in results against the record; and every sequence number the record
   * calls phoned in but the export calls a kit's (or the other way round).
   */
  check(
    phoned: readonly PhoneReport[],
    exportedAsKit: (sequence: number) => boolean,
    findings: Finding[],
  ): void {
    for (const p of phoned) {
      const problem = this.problemOf(p);
      if (problem === undefined) continue;
      findings.push({
        code: 'PHONE_ENTRY_UNDOCUMENTED',
        precinctId: p.precinctId,
        contestId: p.contestId,
        revision: p.revision,
        sequence: p.sequence,
        detail: problem,
      });
    }
    for (const [sequence, logged] of this.phonedIn) {
      if (!exportedAsKit(sequence)) continue;
      findings.push({
        code: 'REPORT_METADATA_MISMATCH',
        ...(logged.precinctId === null ? {} : { precinctId: logged.precinctId }),
        sequence,
        detail: `report ${sequence} is exported as a kit's report; the audit log records it as taken by phone`,
      });
    }
  }

  private problemOf(p: PhoneReport): string | undefined {
    if (this.loggedKit.get(p.sequence) !== 0) {
      return `report ${p.sequence} is exported as taken by phone; the audit log records it as a kit's report`;
    }
    const logged = this.phonedIn.get(p.sequence);
    if (logged === undefined) {
      return `no REPORT_PHONED_IN event for report ${p.sequence} in the audit log`;
    }
    if (logged.precinctId !== p.precinctId || logged.contestId !== p.contestId) {
      return `the audit log records report ${p.sequence} for ${logged.precinctId}/${logged.contestId}`;
    }
    const [first, second] = logged.operators;
    if (logged.operators.length !== 2 || first === undefined || first === second) {
      return `entered by ${logged.operators.length === 0 ? 'nobody' : logged.operators.join(' and ')}, not by two different operators`;
    }
    if (logged.trail.firstBy !== first || logged.trail.secondBy !== second) {
      return (
        `no double entry on record: first entry by ${logged.trail.firstBy ?? 'nobody'}, ` +
        `second entry by ${logged.trail.secondBy ?? 'nobody'}; the result names ${first} and ${second}`
      );
    }
    return undefined;
  }
}

/** One exported phoned-in result, as the envelope stream saw it. */
export type PhoneReport = {
  readonly precinctId: string;
  readonly contestId: string;
  readonly revision: number;
  readonly sequence: number;
};

/**
 * The figures of a phoned-in result against what the server stored about it: the hash of the
 * exact bytes (the receipt and the log leaf carry the same hash) and district, contest, revision.
 */
export function phoneTallyProblems(
  a: AcceptedEntry,
  bytes: Uint8Array,
  tally: Schnellmeldung,
): { code: 'REPORT_TALLY_ALTERED' | 'REPORT_METADATA_MISMATCH'; detail: string }[] {
  const problems: { code: 'REPORT_TALLY_ALTERED' | 'REPORT_METADATA_MISMATCH'; detail: string }[] =
    [];
  const hash = createHash('sha256').update(bytes).digest('hex');
  if (hash !== a.contentHash) {
    problems.push({
      code: 'REPORT_TALLY_ALTERED',
      detail: `the figures hash to ${hash}; the server stored ${a.contentHash}`,
    });
  }
  const stored = [
    ['precinctId', a.precinctId, tally.precinctId],
    ['contestId', a.contestId, tally.contestId],
    ['revision', a.revision, tally.revision],
  ] as const;
  const differing = stored.filter(([, s, t]) => s !== t);
  if (differing.length > 0) {
    problems.push({
      code: 'REPORT_METADATA_MISMATCH',
      detail: differing.map(([k, s, t]) => `${k}: stored ${s}, figures ${t}`).join('; '),
    });
  }
  return problems;
}
