import type { LocalizedMessage } from '../../election/index.ts';
import { findingMessage, type Finding } from './findings.ts';
import type { AuditReport, Checked } from './verify/run.ts';

/**
 * The verification report for people (German, then English, as every message of the CLI,
 * decisions/0034) — as text on the terminal and as a self-contained HTML page — and for
 * machines (JSON). All three say the same; only the text shortens a long list of findings.
 */

type Line = { readonly count: number | null; readonly text: LocalizedMessage };

function checkedLines(c: Checked): Line[] {
  return [
    {
      count: c.kitReports,
      text: {
        de: `Meldungen von Wahlkoffern: Signatur, Zertifikatskette und Sperrstatus zur Signaturzeit (${c.signaturesValid} gültig)`,
        en: `reports from kits: signature, certificate chain and revocation at the signing time (${c.signaturesValid} valid)`,
      },
    },
    {
      count: c.phoneReports,
      text: {
        de: 'telefonisch übernommene Ergebnisse (ohne Signatur des Wahlkoffers; mit Nachweis im Protokoll)',
        en: 'results taken by phone (no kit signature; with their record in the audit log)',
      },
    },
    {
      count: c.refused,
      text: {
        de: 'abgelehnte Einsendungen (exportiert, nicht gezählt)',
        en: 'refused submissions (exported, not counted)',
      },
    },
    {
      count: c.repeated,
      text: {
        de: 'wiederholte Einsendungen (nicht doppelt gezählt)',
        en: 'repeated submissions (not counted twice)',
      },
    },
    {
      count: c.crls,
      text: { de: 'Sperrlisten (CRL-Historie)', en: 'revocation lists (CRL history)' },
    },
    {
      count: c.auditEvents,
      text: {
        de: 'Protokolleinträge (Hash-Kette nachgerechnet)',
        en: 'audit log entries (hash chain recomputed)',
      },
    },
    {
      count: c.logLeaves,
      text: {
        de: 'Einträge des Transparenzlogs (Merkle-Baum nachgerechnet)',
        en: 'transparency log entries (Merkle tree recomputed)',
      },
    },
    {
      count: c.checkpoints,
      text: {
        de: 'signierte Checkpoints (Signatur, Wurzel, Konsistenz)',
        en: 'signed checkpoints (signature, root, consistency)',
      },
    },
    {
      count: c.resultsCompared,
      text: {
        de: 'veröffentlichte Ergebnisse (Gebiet × Wahl) mit der Nachzählung verglichen',
        en: 'published results (area × contest) compared with the recount',
      },
    },
    {
      count: c.manifestFiles,
      text: {
        de: 'veröffentlichte Dateien gegen das signierte Manifest geprüft',
        en: 'published files checked against the signed manifest',
      },
    },
  ];
}

const NOT_IN_EXPORT: LocalizedMessage = {
  de: 'nicht im Export, nicht geprüft',
  en: 'not in the export, not checked',
};

/** "Stimmbezirk 0101, Wahl OB, Revision 2, Meldung 17" — where a finding is. */
export function findingPlace(f: Finding): LocalizedMessage {
  const de: string[] = [];
  const en: string[] = [];
  if (f.precinctId !== undefined) {
    de.push(`Stimmbezirk ${f.precinctId}`);
    en.push(`district ${f.precinctId}`);
  }
  if (f.areaId !== undefined) {
    de.push(`Gebiet ${f.areaId}`);
    en.push(`area ${f.areaId}`);
  }
  if (f.contestId !== undefined) {
    de.push(`Wahl ${f.contestId}`);
    en.push(`contest ${f.contestId}`);
  }
  if (f.revision !== undefined) {
    de.push(`Revision ${f.revision}`);
    en.push(`revision ${f.revision}`);
  }
  if (f.sequence !== undefined) {
    de.push(`Meldung Nr. ${f.sequence}`);
    en.push(`report no. ${f.sequence}`);
  }
  if (de.length === 0 && f.file !== undefined) {
    de.push(`Datei ${f.file}`);
    en.push(`file ${f.file}`);
  }
  return { de: de.join(', ') || 'Export', en: en.join(', ') || 'export' };
}

/** Findings shown in full on the terminal; the files hold all of them. */
const TEXT_LIMIT = 50;

export function renderText(report: AuditReport, files: { html: string; json: string }): string {
  const out: string[] = [];
  out.push(`Prüfbericht / Audit report: ${report.electionName} (${report.electionId})`);
  out.push(`Export vom / exported ${report.exportedAt} · geprüft / verified ${report.verifiedAt}`);
  out.push('');
  out.push('Geprüft / Checked:');
  for (const line of checkedLines(report.checked)) {
    const count = line.count === null ? '–' : String(line.count);
    const note = line.count === null ? ` (${NOT_IN_EXPORT.de} / ${NOT_IN_EXPORT.en})` : '';
    out.push(`  ${count.padStart(7)}  ${line.text.de}`);
    out.push(`  ${''.padStart(7)}  ${line.text.en}${note}`);
  }
  const refused = Object.entries(report.refusedByCode);
  if (refused.length > 0) {
    out.push(
      `  Ablehnungsgründe / refusal codes: ${refused.map(([c, n]) => `${c} ${n}`).join(', ')}`,
    );
  }
  out.push('');
  if (report.findings.length === 0) {
    out.push('Ergebnis: keine Befunde. Alle Signaturen, Ketten, Summen und Protokolle stimmen.');
    out.push('Result: no findings. Every signature, chain, total and log checks out.');
  } else {
    out.push(
      `Ergebnis: ${report.findings.length} Befund(e) / Result: ${report.findings.length} finding(s):`,
    );
    report.findings.slice(0, TEXT_LIMIT).forEach((f, i) => {
      const place = findingPlace(f);
      const message = findingMessage(f);
      out.push('');
      out.push(`  ${i + 1}. [${f.code}] ${place.de} / ${place.en}`);
      out.push(`     ${message.de}`);
      out.push(`     ${message.en}`);
      out.push(`     Detail: ${f.detail}`);
      if (f.openssl !== undefined) out.push(`     openssl: ${f.openssl}`);
    });
    if (report.findings.length > TEXT_LIMIT) {
      const more = report.findings.length - TEXT_LIMIT;
      out.push('');
      out.push(
        `  … und ${more} weitere (siehe ${files.html}) / … and ${more} more (see ${files.html})`,
      );
    }
  }
  if (report.example !== undefined) {
    out.push('');
    out.push(
      `Von Hand prüfen, z. B. Stimmbezirk ${report.example.precinctId} (im Exportordner) / Check by hand, e.g. district ${report.example.precinctId} (in the export folder):`,
    );
    out.push(`  ${report.example.openssl}`);
  }
  out.push('');
  out.push(`Bericht / report: ${files.html}, ${files.json}`);
  return `${out.join('\n')}\n`;
}

const escape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );

export function renderHtml(report: AuditReport): string {
  const rows = checkedLines(report.checked)
    .map(
      (l) =>
        `<tr><td class="n">${l.count ?? '–'}</td><td lang="de">${escape(l.text.de)}${l.count === null ? ` (${NOT_IN_EXPORT.de})` : ''}</td><td lang="en">${escape(l.text.en)}${l.count === null ? ` (${NOT_IN_EXPORT.en})` : ''}</td></tr>`,
    )
    .join('\n');
  const findings = report.findings
    .map((f) => {
      const place = findingPlace(f);
      const m = findingMessage(f);
      return `<li><p><code>${f.code}</code> <strong>${escape(place.de)}</strong> / ${escape(place.en)}</p>
<p lang="de">${escape(m.de)}</p><p lang="en">${escape(m.en)}</p>
<p class="detail">${escape(f.detail)}</p>${f.openssl === undefined ? '' : `<pre>${escape(f.openssl)}</pre>`}</li>`;
    })
    .join('\n');
  const verdict =
    report.findings.length === 0
      ? '<p class="ok">Keine Befunde. Alle Signaturen, Ketten, Summen und Protokolle stimmen. / No findings. Every signature, chain, total and log checks out.</p>'
      : `<p class="bad">${report.findings.length} Befund(e) / finding(s)</p><ol>${findings}</ol>`;
  return `<!doctype html>
<html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Prüfbericht / Audit report – ${escape(report.electionName)}</title>
<style>
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
table{border-collapse:collapse;width:100%}td{border-bottom:1px solid #ddd;padding:.3rem .5rem;vertical-align:top}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.ok{background:#e6f4ea;padding:.75rem;border-left:4px solid #1e7b34}
.bad{background:#fdecea;padding:.75rem;border-left:4px solid #b3261e;font-weight:bold}
li{margin-bottom:1rem}li p{margin:.2rem 0}.detail{color:#555;font-size:.9em}
pre{white-space:pre-wrap;word-break:break-all;background:#f5f5f5;padding:.5rem;font-size:.85em}
</style></head><body>
<h1>Prüfbericht / Audit report</h1>
<p>${escape(report.electionName)} (${escape(report.electionId)}) · Export vom / exported ${escape(report.exportedAt)} · geprüft / verified ${escape(report.verifiedAt)}</p>
<h2>Geprüft / Checked</h2>
<table>${rows}</table>
<h2>Ergebnis / Result</h2>
${verdict}
${report.example === undefined ? '' : `<h2>Von Hand prüfen / Check by hand</h2><p>Stimmbezirk / district ${escape(report.example.precinctId)}, im Exportordner / in the export folder:</p><pre>${escape(report.example.openssl)}</pre>`}
</body></html>
`;
}

/** The last line of standard output: one JSON object (issue 9). */
export function summaryLine(report: AuditReport): string {
  return JSON.stringify({
    reports: report.reports,
    checked: report.checked,
    findings: report.findings,
  });
}
