import { EXPORT_PATHS, EnvelopeEntrySchema, type EnvelopeEntry } from '../format.ts';
import type { Finding } from '../findings.ts';
import type { KitResult } from './kit-batch.ts';
import type { KitChecker } from './kit-pool.ts';
import { readLines } from './lines.ts';
import { crlAt, type AuditContext } from './load.ts';
import { expectedLeaf, type LogCheck } from './log.ts';
import { phoneTallyProblems, type PhoneReport } from './phone.ts';
import type { Recount } from './recount.ts';
import { kitJob, opensslCommand, readPhoneTally, type AcceptedEnvelope } from './reports.ts';
import { SequenceColumn, type Interned } from './sequences.ts';

/** What the envelope stream found, beyond its findings. */
export type EnvelopeCounts = {
  envelopes: number;
  kitReports: number;
  signaturesValid: number;
  phoneReports: number;
  refused: number;
  repeated: number;
};

/** `kind` column of the accepted reports by sequence number */
export const KIT = 1;
export const PHONE = 2;

/** Lines read before their kit reports go to the checker; two chunks are in flight at most. */
const CHUNK = 512;
/** Kit reports per message to a worker. */
const BATCH = 64;

type Line = { readonly line: string; readonly lineNo: number };
type Item =
  | { readonly kind: 'malformed'; readonly lineNo: number; readonly detail: string }
  | { readonly kind: 'entry'; readonly entry: EnvelopeEntry };
/** A chunk's kit results, or why they could not be had (never a rejected promise left waiting). */
type Checked = { ok: true; results: KitResult[] } | { ok: false; error: unknown };

/**
 * The envelope stream (decisions/0097): every line of envelopes.jsonl in order — refused and
 * repeated ones counted, each accepted report checked (a kit's by the checker, possibly in
 * worker threads; a phoned-in one here), recounted and expected in the transparency log. The
 * kit checks of one chunk run while the next chunk is read; results are applied strictly in
 * the stream's order, so the findings and the recount are those of a single-threaded run.
 */
export class EnvelopeStream {
  readonly counts: EnvelopeCounts = {
    envelopes: 0,
    kitReports: 0,
    signaturesValid: 0,
    phoneReports: 0,
    refused: 0,
    repeated: 0,
  };
  readonly refusedByCode: Record<string, number> = {};
  readonly phoneReports: PhoneReport[] = [];
  /** accepted reports by sequence number: district (interned) and KIT or PHONE */
  readonly precinct: SequenceColumn;
  readonly kind: SequenceColumn;
  example: { readonly precinctId: string; readonly openssl: string } | undefined;

  constructor(
    private readonly ctx: AuditContext,
    private readonly parts: {
      readonly names: Interned;
      readonly denseLimit: number;
      readonly recount: Recount;
      readonly log: LogCheck;
      readonly findings: Finding[];
      readonly onEnvelopes: (n: number) => void;
    },
  ) {
    this.precinct = new SequenceColumn(parts.denseLimit);
    this.kind = new SequenceColumn(parts.denseLimit);
  }

  /** Streams the file through `checker`; false when envelopes.jsonl does not exist. */
  async run(checker: KitChecker): Promise<boolean> {
    let lines: Line[] = [];
    let inFlight: { items: Item[]; checked: Promise<Checked> } | undefined;
    const flush = async () => {
      const items = lines.map(parseLine);
      lines = [];
      const next = { items, checked: this.dispatch(items, checker) };
      if (inFlight !== undefined) this.apply(inFlight.items, await inFlight.checked);
      inFlight = next;
    };
    const found = await readLines(this.ctx.dir, EXPORT_PATHS.envelopes, async (line, lineNo) => {
      lines.push({ line, lineNo });
      if (lines.length >= CHUNK) await flush();
    });
    if (!found) return false;
    await flush();
    if (inFlight !== undefined) this.apply(inFlight.items, await inFlight.checked);
    return true;
  }

  private dispatch(items: readonly Item[], checker: KitChecker): Promise<Checked> {
    const kits = items.flatMap((i) =>
      i.kind === 'entry' && isKit(i.entry) ? [kitJob(i.entry)] : [],
    );
    const batches: Promise<KitResult[]>[] = [];
    for (let at = 0; at < kits.length; at += BATCH) {
      batches.push(checker.check(kits.slice(at, at + BATCH)));
    }
    return Promise.all(batches).then(
      (done): Checked => ({ ok: true, results: done.flat() }),
      (error: unknown): Checked => ({ ok: false, error }),
    );
  }

  private apply(items: readonly Item[], checked: Checked): void {
    if (!checked.ok) throw checked.error;
    let k = 0;
    for (const item of items) {
      if (item.kind === 'malformed') {
        this.parts.findings.push({
          code: 'ENTRY_MALFORMED',
          file: `${EXPORT_PATHS.envelopes}:${item.lineNo}`,
          detail: item.detail,
        });
        continue;
      }
      const entry = item.entry;
      this.counts.envelopes += 1;
      if (this.counts.envelopes % 1000 === 0) this.parts.onEnvelopes(this.counts.envelopes);
      if (entry.verdict === 'REJECTED') {
        this.counts.refused += 1;
        const code = entry.code ?? 'UNKNOWN';
        this.refusedByCode[code] = (this.refusedByCode[code] ?? 0) + 1;
        continue;
      }
      if (!isAccepted(entry)) {
        this.counts.repeated += 1;
        continue;
      }
      if (isKit(entry)) this.kitReport(entry, checked.results[k++]!);
      else this.phoneReport(entry);
    }
  }

  /** The sequence number once, and the district it belongs to. */
  private remember(a: AcceptedEnvelope['accepted'], kind: number): void {
    const earlier = this.precinct.get(a.sequence);
    if (earlier !== 0) {
      this.parts.findings.push({
        code: 'REPORT_METADATA_MISMATCH',
        precinctId: a.precinctId,
        sequence: a.sequence,
        detail: `sequence ${a.sequence} given twice (also ${this.parts.names.name(earlier)})`,
      });
    }
    this.precinct.set(a.sequence, this.parts.names.id(a.precinctId));
    this.kind.set(a.sequence, kind);
  }

  private kitReport(entry: AcceptedEnvelope, result: KitResult): void {
    const a = entry.accepted;
    this.remember(a, KIT);
    this.counts.kitReports += 1;
    this.parts.findings.push(...result.findings);
    if (result.tally !== undefined) {
      this.counts.signaturesValid += 1;
      this.parts.recount.add(result.tally, a.sequence, a.current);
    }
    if (result.signedDataHash !== undefined) {
      this.parts.log.expect(
        a.sequence,
        expectedLeaf(this.ctx.election.id, a, result.signedDataHash),
        a,
      );
    }
    if (
      this.example === undefined &&
      result.findings.length === 0 &&
      entry.p7s !== null &&
      entry.tally !== null
    ) {
      const signingTime = new Date(a.signingTime);
      this.example = {
        precinctId: a.precinctId,
        openssl: opensslCommand(
          entry.p7s,
          entry.tally,
          crlAt(this.ctx.crls, signingTime),
          signingTime,
        ),
      };
    }
  }

  /** A result taken by phone: its figures against what the server stored, then into the recount. */
  private phoneReport(entry: AcceptedEnvelope): void {
    const a = entry.accepted;
    const findings = this.parts.findings;
    this.remember(a, PHONE);
    const where = {
      precinctId: a.precinctId,
      contestId: a.contestId,
      revision: a.revision,
      sequence: a.sequence,
      envelopeId: entry.envelopeId,
    };
    const figures = readPhoneTally(this.ctx, entry);
    if (figures?.tally === undefined) {
      findings.push({
        ...where,
        code: figures === undefined ? 'REPORT_FILE_MISSING' : 'REPORT_TALLY_ALTERED',
        ...(entry.tally === null ? {} : { file: entry.tally }),
        detail:
          figures === undefined
            ? 'the figures of a result taken by phone are missing'
            : 'the figures of a result taken by phone are not a Schnellmeldung',
      });
    } else {
      const problems = phoneTallyProblems(a, figures.bytes, figures.tally);
      for (const p of problems) {
        findings.push({ ...where, ...(entry.tally === null ? {} : { file: entry.tally }), ...p });
      }
      // only figures that are what the server stored (and logged) are recounted
      if (problems.length === 0) this.parts.recount.add(figures.tally, a.sequence, a.current);
    }
    this.counts.phoneReports += 1;
    this.phoneReports.push({
      precinctId: a.precinctId,
      contestId: a.contestId,
      revision: a.revision,
      sequence: a.sequence,
    });
    this.parts.log.expect(a.sequence, expectedLeaf(this.ctx.election.id, a, undefined), a);
  }
}

function parseLine({ line, lineNo }: Line): Item {
  const parsed = EnvelopeEntrySchema.safeParse(safeJson(line));
  return parsed.success
    ? { kind: 'entry', entry: parsed.data }
    : { kind: 'malformed', lineNo, detail: parsed.error.issues[0]?.message ?? 'unreadable' };
}

const isAccepted = (entry: EnvelopeEntry): entry is AcceptedEnvelope =>
  entry.verdict === 'ACCEPTED' && entry.accepted !== null;

const isKit = (entry: EnvelopeEntry): entry is AcceptedEnvelope =>
  isAccepted(entry) && entry.accepted.source !== 'telefonisch';

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
