import os from 'node:os';
import { EXPORT_PATHS } from '../format.ts';
import type { Finding } from '../findings.ts';
import { checkAuditLog } from './audit-log.ts';
import { EnvelopeStream, KIT } from './envelopes.ts';
import { inlineChecker, startKitPool } from './kit-pool.ts';
import { loadContext, unreadable } from './load.ts';
import { LogCheck } from './log.ts';
import { checkManifest, checkPublicationLogged } from './manifest.ts';
import { PhoneRecord } from './phone.ts';
import { Recount, readResults } from './recount.ts';
import { Interned, NO_DISTRICT, SequenceColumn, denseLimitFor } from './sequences.ts';

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

/** Below this many envelopes the kit checks run on the calling thread (starting workers costs more). */
const THREADS_FROM = 2000;
/** More threads than this would only wait for the envelope stream on the main thread. */
const MAX_THREADS = 8;

/** Worker threads for an export of `envelopes` lines on this machine (0: check on this thread). */
export function defaultThreads(envelopes: number): number {
  return envelopes < THREADS_FROM ? 0 : Math.min(MAX_THREADS, os.availableParallelism());
}

/**
 * `wahlkoffer audit verify`: every check of decisions/0097, streaming over the export. Offline,
 * with the export's public material only (no private key). Throws the CliError of an unreadable
 * export (exit 2); everything else is a finding in the report. The kit reports' signature checks
 * run in `threads` worker threads (default: defaultThreads); the findings are the same either way.
 */
export async function verifyExport(
  dir: string,
  options: { now: Date; onProgress?: Progress; threads?: number },
): Promise<AuditReport> {
  const findings: Finding[] = [];
  const ctx = await loadContext(dir, findings);
  const progress = options.onProgress ?? (() => undefined);
  const results = await readResults(ctx, findings);
  const recount = new Recount(ctx.index, results?.lastSequence ?? null);
  const total = ctx.manifest.counts.envelopes;
  const names = new Interned();
  const denseLimit = denseLimitFor(total);
  const log = new LogCheck(names, denseLimit);
  const stream = new EnvelopeStream(ctx, {
    names,
    denseLimit,
    recount,
    log,
    findings,
    onEnvelopes: (n) => progress('reports', n, total),
  });
  const threads = options.threads ?? defaultThreads(total);
  const checker = threads > 0 ? await startKitPool(dir, threads) : inlineChecker(ctx);
  try {
    if (!(await stream.run(checker))) throw unreadable(EXPORT_PATHS.envelopes);
  } finally {
    await checker.close();
  }
  const counts = stream.counts;
  progress('reports', counts.envelopes, total);
  recount.checkCurrent(findings);

  const checked: Checked = {
    ...counts,
    crls: ctx.crls.length,
    auditEvents: 0,
    logLeaves: null,
    checkpoints: null,
    resultsCompared: null,
    manifestFiles: null,
  };
  const logResult = await log.run(ctx, findings, (n) =>
    progress('log', n, ctx.manifest.counts.leaves ?? n),
  );
  if (logResult !== undefined) {
    checked.logLeaves = logResult.leaves;
    checked.checkpoints = logResult.checkpoints;
  }
  const phone = new PhoneRecord(denseLimit);
  const logged = new SequenceColumn(denseLimit);
  const audit = await checkAuditLog(dir, findings, phone, { names, logged }, (n) =>
    progress('audit-log', n, ctx.manifest.counts.auditEvents),
  );
  checked.auditEvents = audit.events;
  missingReports(stream.precinct, logged, names, findings);
  phone.check(stream.phoneReports, (sequence) => stream.kind.get(sequence) === KIT, findings);
  if (results !== undefined) {
    progress('results', 0, 1);
    checked.resultsCompared = recount.compare(ctx, results, findings);
    checked.manifestFiles = await checkManifest(ctx, findings);
    checkPublicationLogged(ctx, audit.publishedManifests, findings);
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
    refusedByCode: stream.refusedByCode,
    example: stream.example,
    findings,
  };
}

/** A run of missing numbers longer than this is one finding, not one per number. */
const GAP_RUN_LIMIT = 100;

/**
 * Accepted reports get sequence numbers 1, 2, 3, … without gaps, and each one has its
 * REPORT_ACCEPTED event in the audit log: a number that is missing, or logged but not exported,
 * is a dropped report. Walks only the numbers that occur (ascending), so a forged number of two
 * billion costs one finding for the run before it, not two billion.
 */
function missingReports(
  exported: SequenceColumn,
  logged: SequenceColumn,
  names: Interned,
  findings: Finding[],
): void {
  const gap = (from: number, to: number) => {
    if (to - from + 1 > GAP_RUN_LIMIT) {
      findings.push({
        code: 'REPORT_MISSING',
        sequence: from,
        detail: `no report numbers ${from} to ${to} (${to - from + 1} numbers; the numbers have a gap)`,
      });
      return;
    }
    for (let sequence = from; sequence <= to; sequence++) {
      findings.push({
        code: 'REPORT_MISSING',
        sequence,
        detail: `no report number ${sequence} (the numbers have a gap)`,
      });
    }
  };
  let next = 1;
  for (const sequence of ascendingUnion(exported.entries(), logged.entries())) {
    if (sequence > next) gap(next, sequence - 1);
    next = sequence + 1;
    if (exported.get(sequence) !== 0) continue;
    const loggedAs = logged.get(sequence);
    const precinctId = loggedAs === NO_DISTRICT ? undefined : names.name(loggedAs);
    findings.push({
      code: 'REPORT_MISSING',
      ...(precinctId === undefined ? {} : { precinctId }),
      sequence,
      detail: `the audit log records report ${sequence} as accepted; the export lacks it`,
    });
  }
}

/** The numbers of two ascending sequences of [number, value], ascending, each once. */
function* ascendingUnion(
  a: Iterator<[number, number]>,
  b: Iterator<[number, number]>,
): Generator<number> {
  let x = a.next();
  let y = b.next();
  while (x.done !== true || y.done !== true) {
    const nx = x.done === true ? Infinity : x.value[0];
    const ny = y.done === true ? Infinity : y.value[0];
    const n = Math.min(nx, ny);
    yield n;
    if (nx === n) x = a.next();
    if (ny === n) y = b.next();
  }
}
