import { EXPORT_PATHS, EnvelopeEntrySchema, type EnvelopeEntry } from '../format.ts';
import type { Finding } from '../findings.ts';
import { checkAuditLog } from './audit-log.ts';
import { readLines } from './lines.ts';
import { crlAt, loadContext, unreadable, type AuditContext } from './load.ts';
import { LogCheck, expectedLeaf } from './log.ts';
import { checkManifest } from './manifest.ts';
import { PhoneRecord, phoneTallyProblems, type PhoneReport } from './phone.ts';
import { Recount, readResults } from './recount.ts';
import { checkKitReport, opensslCommand, readPhoneTally } from './reports.ts';

export const AUDIT_REPORT_FORMAT = 'wahlkoffer.audit-report/1';

export type Checked = {
  /** every line of envelopes.jsonl */
  envelopes: number;
  /** accepted reports signed by a kit, every one verified */
  kitReports: number;
  /** of those, signature, chain and revocation held */
  signaturesValid: number;
  /** accepted results taken by phone: no station signature, checked against the audit log */
  phoneReports: number;
  refused: number;
  repeated: number;
  crls: number;
  auditEvents: number;
  /** null: the export has no transparency log (a database made before the log) */
  logLeaves: number | null;
  checkpoints: number | null;
  /** ballots of results.json compared with the recount (null: no publication in the export) */
  resultsCompared: number | null;
  manifestFiles: number | null;
};

export type AuditReport = {
  readonly format: typeof AUDIT_REPORT_FORMAT;
  readonly electionId: string;
  readonly electionName: string;
  readonly exportedAt: string;
  readonly verifiedAt: string;
  /** accepted reports (kit and phone) */
  readonly reports: number;
  readonly checked: Checked;
  readonly refusedByCode: Readonly<Record<string, number>>;
  /** one report's openssl command, for whoever wants to check by hand */
  readonly example: { readonly precinctId: string; readonly openssl: string } | undefined;
  readonly findings: readonly Finding[];
};

export type Phase = 'reports' | 'log' | 'audit-log' | 'results';
export type Progress = (phase: Phase, done: number, total: number) => void;

/** Station certificates are seen once or twice each: a cache of 90,000 would only cost memory. */
const CACHE_FLUSH_EVERY = 1000;

/**
 * `wahlkoffer audit verify`: every check of decisions/0097, streaming over the export. Offline,
 * with the export's public material only (no private key). Throws the CliError of an unreadable
 * export (exit 2); everything else is a finding in the report.
 */
export async function verifyExport(
  dir: string,
  options: { now: Date; onProgress?: Progress },
): Promise<AuditReport> {
  const findings: Finding[] = [];
  const ctx = await loadContext(dir, findings);
  const progress = options.onProgress ?? (() => undefined);
  const results = await readResults(ctx, findings);
  const recount = new Recount(ctx.index, results?.lastSequence ?? null);
  const log = new LogCheck();
  const checked: Checked = {
    envelopes: 0,
    kitReports: 0,
    signaturesValid: 0,
    phoneReports: 0,
    refused: 0,
    repeated: 0,
    crls: ctx.crls.length,
    auditEvents: 0,
    logLeaves: null,
    checkpoints: null,
    resultsCompared: null,
    manifestFiles: null,
  };
  const refusedByCode: Record<string, number> = {};
  const sequences = new Map<number, string>();
  const phoneReports: PhoneReport[] = [];
  const kitSequences = new Set<number>();
  let example: AuditReport['example'];
  const total = ctx.manifest.counts.envelopes;

  const found = await readLines(dir, EXPORT_PATHS.envelopes, async (line, lineNo) => {
    const parsed = EnvelopeEntrySchema.safeParse(safeJson(line));
    if (!parsed.success) {
      findings.push({
        code: 'ENTRY_MALFORMED',
        file: `${EXPORT_PATHS.envelopes}:${lineNo}`,
        detail: parsed.error.issues[0]?.message ?? 'unreadable',
      });
      return;
    }
    const entry = parsed.data;
    checked.envelopes += 1;
    if (checked.envelopes % CACHE_FLUSH_EVERY === 0) {
      ctx.trust.cache.clear();
      ctx.trust.paths.clear();
      progress('reports', checked.envelopes, total);
    }
    if (entry.verdict === 'REJECTED') {
      checked.refused += 1;
      refusedByCode[entry.code ?? 'UNKNOWN'] = (refusedByCode[entry.code ?? 'UNKNOWN'] ?? 0) + 1;
      return;
    }
    if (entry.verdict === 'REPEATED' || entry.accepted === null) {
      checked.repeated += 1;
      return;
    }
    const accepted = { ...entry, accepted: entry.accepted };
    const a = accepted.accepted;
    if (sequences.has(a.sequence)) {
      findings.push({
        code: 'REPORT_METADATA_MISMATCH',
        precinctId: a.precinctId,
        sequence: a.sequence,
        detail: `sequence ${a.sequence} given twice (also ${sequences.get(a.sequence)})`,
      });
    }
    sequences.set(a.sequence, a.precinctId);
    if (a.source === 'telefonisch') {
      await phoneReport(ctx, accepted, recount, findings);
      checked.phoneReports += 1;
      phoneReports.push({
        precinctId: a.precinctId,
        contestId: a.contestId,
        revision: a.revision,
        sequence: a.sequence,
      });
      log.expect(a.sequence, expectedLeaf(ctx.election.id, a, undefined), a);
      return;
    }
    checked.kitReports += 1;
    kitSequences.add(a.sequence);
    const before = findings.length;
    const report = await checkKitReport(ctx, accepted, findings);
    if (report.tally !== undefined) {
      checked.signaturesValid += 1;
      recount.add(report.tally, a.sequence, a.current);
    }
    if (report.signedDataHash !== undefined) {
      log.expect(a.sequence, expectedLeaf(ctx.election.id, a, report.signedDataHash), a);
    }
    if (
      example === undefined &&
      findings.length === before &&
      entry.p7s !== null &&
      entry.tally !== null
    ) {
      example = { precinctId: a.precinctId, openssl: exampleCommand(ctx, entry) };
    }
  });
  if (!found) throw unreadable(EXPORT_PATHS.envelopes);
  progress('reports', checked.envelopes, total);
  recount.checkCurrent(findings);

  const logResult = await log.run(ctx, findings, (n) =>
    progress('log', n, ctx.manifest.counts.leaves ?? n),
  );
  if (logResult !== undefined) {
    checked.logLeaves = logResult.leaves;
    checked.checkpoints = logResult.checkpoints;
  }
  const phone = new PhoneRecord();
  const audit = await checkAuditLog(dir, findings, phone, (n) =>
    progress('audit-log', n, ctx.manifest.counts.auditEvents),
  );
  checked.auditEvents = audit.events;
  missingReports(sequences, audit.accepted, findings);
  phone.check(phoneReports, kitSequences, findings);
  if (results !== undefined) {
    progress('results', 0, 1);
    checked.resultsCompared = recount.compare(ctx, results, findings);
    checked.manifestFiles = await checkManifest(ctx, findings);
    progress('results', 1, 1);
  }
  return {
    format: AUDIT_REPORT_FORMAT,
    electionId: ctx.election.id,
    electionName: ctx.election.name,
    exportedAt: ctx.manifest.exportedAt,
    verifiedAt: options.now.toISOString(),
    reports: checked.kitReports + checked.phoneReports,
    checked,
    refusedByCode,
    example,
    findings,
  };
}

/**
 * Accepted reports get sequence numbers 1, 2, 3, … without gaps, and each one has its
 * REPORT_ACCEPTED event in the audit log: a number that is missing, or logged but not exported,
 * is a dropped report.
 */
function missingReports(
  exported: ReadonlyMap<number, string>,
  logged: ReadonlyMap<number, string | null>,
  findings: Finding[],
): void {
  let highest = 0;
  for (const n of exported.keys()) highest = Math.max(highest, n);
  for (const n of logged.keys()) highest = Math.max(highest, n);
  for (let sequence = 1; sequence <= highest; sequence++) {
    if (exported.has(sequence)) continue;
    const precinctId = logged.get(sequence);
    findings.push({
      code: 'REPORT_MISSING',
      ...(precinctId === undefined || precinctId === null ? {} : { precinctId }),
      sequence,
      detail:
        precinctId === undefined
          ? `no report number ${sequence} (the numbers have a gap)`
          : `the audit log records report ${sequence} as accepted; the export lacks it`,
    });
  }
}

/** A result taken by phone: its figures against what the server stored, then into the recount. */
async function phoneReport(
  ctx: AuditContext,
  entry: EnvelopeEntry & { accepted: NonNullable<EnvelopeEntry['accepted']> },
  recount: Recount,
  findings: Finding[],
): Promise<void> {
  const a = entry.accepted;
  const where = {
    precinctId: a.precinctId,
    contestId: a.contestId,
    revision: a.revision,
    sequence: a.sequence,
    envelopeId: entry.envelopeId,
  };
  const figures = await readPhoneTally(ctx, entry);
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
    return;
  }
  const problems = phoneTallyProblems(a, figures.bytes, figures.tally);
  for (const p of problems) {
    findings.push({ ...where, ...(entry.tally === null ? {} : { file: entry.tally }), ...p });
  }
  // only figures that are what the server stored (and logged) are recounted
  if (problems.length === 0) recount.add(figures.tally, a.sequence, a.current);
}

function exampleCommand(ctx: AuditContext, entry: EnvelopeEntry): string {
  const signingTime = new Date(entry.accepted!.signingTime);
  return opensslCommand(entry.p7s!, entry.tally!, crlAt(ctx.crls, signingTime), signingTime);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
