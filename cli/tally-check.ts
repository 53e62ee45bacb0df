import {
  assessSchnellmeldung,
  indexElection,
  resultKey,
  SchnellmeldungSchema,
  type Assessment,
  type ElectionDefinition,
  type Finding,
  type Schnellmeldung,
} from '../election/index.ts';
import { CliError } from './cli-error.ts';
import { describeZodError } from './io.ts';

export type CheckedReport = { readonly report: Schnellmeldung; readonly assessment: Assessment };

/** One Schnellmeldung or an array of them; a schema failure is unreadable input (exit 2). */
export function parseTallyFile(json: unknown, file: string): Schnellmeldung[] {
  const items = Array.isArray(json) ? json : [json];
  if (items.length === 0) {
    throw new CliError(
      'UNREADABLE_INPUT',
      {
        de: `${file} enthält keine Schnellmeldung (leere Liste).`,
        en: `${file} contains no Schnellmeldung (empty array).`,
      },
      2,
    );
  }
  return items.map((item, i) => {
    const parsed = SchnellmeldungSchema.safeParse(item);
    if (!parsed.success) {
      const where = Array.isArray(json) ? `[${i}]` : '';
      const issues = describeZodError(parsed.error, '');
      throw new CliError(
        'UNREADABLE_INPUT',
        {
          de: `${file}${where} ist keine Schnellmeldung: ${issues}`,
          en: `${file}${where} is not a Schnellmeldung: ${issues}`,
        },
        2,
        { cause: parsed.error },
      );
    }
    return parsed.data;
  });
}

/**
 * Assesses every report of a file. Within the file, identical results of different precincts
 * warn (W.301), and several revisions of one precinct and contest are checked as a sequence:
 * each against the one before it (F.011, W.302).
 */
export function checkReports(
  definition: ElectionDefinition,
  reports: readonly Schnellmeldung[],
): CheckedReport[] {
  const index = indexElection(definition);
  const byKey = new Map<string, string[]>();
  for (const r of reports) {
    const key = resultKey(r);
    if (key === undefined) continue;
    const ids = byKey.get(key);
    if (ids === undefined) byKey.set(key, [r.precinctId]);
    else if (!ids.includes(r.precinctId)) ids.push(r.precinctId);
  }
  const latest = new Map<string, Schnellmeldung>();
  const order = reports
    .map((r, i) => ({ r, i }))
    .sort((a, b) => a.r.revision - b.r.revision || a.i - b.i);
  const results: CheckedReport[] = new Array<CheckedReport>(reports.length);
  for (const { r, i } of order) {
    const slot = `${r.precinctId}\u0000${r.contestId}`;
    const previous = latest.get(slot);
    const assessment = assessSchnellmeldung(r, {
      index,
      ...(previous === undefined ? {} : { previous }),
      identicalTo: (key) => byKey.get(key) ?? [],
    });
    latest.set(slot, r);
    results[i] = { report: r, assessment };
  }
  return results;
}

function hasProblems(a: Assessment): boolean {
  return !a.sendable || a.findings.length > 0 || a.acknowledgementsWithoutWarning.length > 0;
}

function findingLines(f: Finding, acknowledged: boolean): string[] {
  const label =
    f.severity === 'error' ? 'FEHLER ' : acknowledged ? 'WARNUNG (bestätigt)' : 'WARNUNG';
  const lines = [`  ${label} ${f.code}: ${f.message.de}`, `      Felder: ${f.fields.join(', ')}`];
  if (f.detail !== undefined) lines.push(`      ${f.detail.de}`);
  return lines;
}

function reportBlock({ report, assessment }: CheckedReport): string {
  const status = assessment.sendable ? 'sendebereit' : 'NICHT sendebereit';
  const head = `Stimmbezirk ${report.precinctId}, ${report.contestId}, Revision ${report.revision}: ${status}`;
  const unacknowledged = new Set(assessment.unacknowledgedWarnings);
  const lines = [head];
  for (const f of assessment.findings)
    lines.push(...findingLines(f, f.severity === 'warning' && !unacknowledged.has(f)));
  for (const a of assessment.acknowledgementsWithoutWarning) {
    lines.push(`  HINWEIS: Bestätigung für ${a.code}, aber diese Warnung tritt nicht (mehr) auf.`);
  }
  return lines.join('\n');
}

const MAX_LISTED = 200;

/** Human-readable result (German, with codes and field paths). */
export function formatHuman(results: readonly CheckedReport[]): string {
  if (results.length === 1 && results[0] !== undefined) {
    const only = results[0];
    return `${reportBlock(only)}${only.assessment.findings.length === 0 ? '\n  keine Befunde' : ''}\n`;
  }
  const problems = results.filter((r) => hasProblems(r.assessment));
  const sendable = results.filter((r) => r.assessment.sendable).length;
  const blocks = problems.slice(0, MAX_LISTED).map(reportBlock);
  if (problems.length > MAX_LISTED)
    blocks.push(`… und ${problems.length - MAX_LISTED} weitere Meldungen mit Befunden`);
  const summary = `${results.length} Schnellmeldungen geprüft: ${sendable} sendebereit, ${results.length - sendable} nicht sendebereit, ${problems.length} mit Befunden.`;
  return [...blocks, summary].join('\n\n') + '\n';
}

/** Machine-readable result: totals and every report with findings (clean reports are only counted). */
export function formatJson(results: readonly CheckedReport[]): string {
  const problems = results.filter((r) => hasProblems(r.assessment));
  return `${JSON.stringify(
    {
      sendable: results.every((r) => r.assessment.sendable),
      checked: results.length,
      sendableCount: results.filter((r) => r.assessment.sendable).length,
      reports: problems.map(({ report, assessment }) => ({
        precinctId: report.precinctId,
        contestId: report.contestId,
        revision: report.revision,
        sendable: assessment.sendable,
        findings: assessment.findings,
        unacknowledgedWarnings: assessment.unacknowledgedWarnings.map((f) => f.code),
        acknowledgementsWithoutWarning: assessment.acknowledgementsWithoutWarning.map(
          (a) => a.code,
        ),
      })),
    },
    null,
    2,
  )}\n`;
}
