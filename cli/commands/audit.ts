import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { ElectionDefinitionSchema } from '../../election/index.ts';
import { parseServerConfig, publishDirOf } from '../../central-server/index.ts';
import { CliError } from '../cli-error.ts';
import { markRequired } from '../help-style.ts';
import { FILE_KINDS, readJsonFile } from '../io.ts';
import { wahlkofferVersion } from '../main.ts';
import { exportAudit, type ExportPhase } from '../audit/export.ts';
import { renderHtml, renderText, summaryLine } from '../audit/render.ts';
import { verifyExport, type Phase } from '../audit/verify/run.ts';
import { EXPORT_PATHS } from '../audit/format.ts';
import { readLines } from '../audit/verify/lines.ts';
import { EnvelopeEntrySchema } from '../audit/format.ts';
import { crlAt, loadContext } from '../audit/verify/load.ts';
import { opensslCommand } from '../audit/verify/reports.ts';

type ExportFlags = {
  pki: string;
  election: string;
  db?: string;
  publication?: string;
  out: string;
};

const option = (flags: string, description: string, env?: string) => {
  const o = new Option(flags, description);
  return env === undefined ? o : o.env(env);
};

/** A progress bar on stderr, only on a terminal (pipes and tests get the report alone). */
/**
 * The progress bar on a terminal. Elsewhere nothing, unless WAHLKOFFER_PROGRESS=lines asks for
 * one plain line per step (`wahlkoffer progress: <phase> <done>/<total>`), as the audit benchmark
 * does to relate memory to the reports done (bench/audit/measure.ts).
 */
function progressBar(label: string) {
  if (process.stderr.isTTY !== true) {
    if (process.env.WAHLKOFFER_PROGRESS !== 'lines') {
      return { update: () => undefined, stop: () => undefined };
    }
    return {
      update: (name: string, done: number, total: number) =>
        void process.stderr.write(`wahlkoffer progress: ${name} ${done}/${total}\n`),
      stop: () => undefined,
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} {phase} {bar} {value}/{total}`, stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let phase = '';
  return {
    update: (name: string, done: number, total: number) => {
      if (!started) {
        bar.start(total, done, { phase: name });
        started = true;
      } else if (name !== phase) bar.setTotal(total);
      phase = name;
      bar.update(done, { phase: name });
    },
    stop: () => {
      if (started) bar.stop();
    },
  };
}

async function runExport(flags: ExportFlags): Promise<void> {
  // the same settings and defaults as `wahlkoffer server` (database, publication folder)
  const config = parseServerConfig({
    pkiDir: flags.pki,
    electionFile: flags.election,
    ...(flags.db === undefined ? {} : { db: flags.db }),
    ...(flags.publication === undefined ? {} : { publishDir: flags.publication }),
  });
  const election = ElectionDefinitionSchema.safeParse(
    await readJsonFile(flags.election, FILE_KINDS.election),
  );
  if (!election.success) {
    throw new CliError(
      'UNREADABLE_INPUT',
      {
        de: `Die Wahldefinition ${flags.election} ist ungültig.`,
        en: `invalid election definition ${flags.election}.`,
      },
      2,
    );
  }
  const existing = await readdir(flags.out).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  });
  if (existing.length > 0) {
    throw new CliError(
      'USAGE',
      {
        de: `Der Ordner ${flags.out} ist nicht leer; bitte einen leeren oder neuen Ordner angeben.`,
        en: `${flags.out} is not empty; give an empty or new folder.`,
      },
      2,
    );
  }
  const publicationDir = publishDirOf(config);
  const bar = progressBar('Export');
  try {
    const manifest = await exportAudit({
      pkiDir: config.pkiDir,
      electionFile: config.electionFile,
      db: config.db,
      publicationDir,
      outDir: flags.out,
      now: new Date(),
      tool: `wahlkoffer ${wahlkofferVersion()}`,
      onProgress: (phase: ExportPhase, done: number) => bar.update(phase, done, Math.max(done, 1)),
    });
    bar.stop();
    if (manifest.electionId !== election.data.id) {
      throw new CliError(
        'USAGE',
        {
          de: `Die Wahldefinition (${election.data.id}) gehört nicht zur PKI (${manifest.electionId}).`,
          en: `the election definition (${election.data.id}) is not the PKI's (${manifest.electionId}).`,
        },
        2,
      );
    }
    const c = manifest.counts;
    process.stdout.write(
      `Audit-Export in ${flags.out}: ${c.accepted} angenommene, ${c.refused} abgelehnte, ${c.repeated} wiederholte Einsendungen; ` +
        `${c.auditEvents} Protokolleinträge; ${c.crls} Sperrlisten; ` +
        `${c.leaves === null ? 'kein Transparenzlog' : `${c.leaves} Log-Einträge, ${c.checkpoints} Checkpoints`}; ` +
        `${manifest.publication ? 'veröffentlichte Ergebnisse' : 'keine veröffentlichten Ergebnisse'}.\n` +
        `Audit export in ${flags.out}: ${c.accepted} accepted, ${c.refused} refused, ${c.repeated} repeated submissions; ` +
        `${c.auditEvents} audit events; ${c.crls} CRLs; ` +
        `${c.leaves === null ? 'no transparency log' : `${c.leaves} log leaves, ${c.checkpoints} checkpoints`}; ` +
        `${manifest.publication ? 'published results' : 'no published results'}.\n` +
        `${JSON.stringify(manifest)}\n`,
    );
  } finally {
    bar.stop();
  }
}

type VerifyFlags = { json?: boolean; reportDir?: string; show?: string; threads?: number };

/** `--threads <n>`: 0 (every check on the main thread) to 64. */
function threadCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 64) {
    throw new CliError(
      'USAGE',
      {
        de: `--threads erwartet eine ganze Zahl von 0 bis 64: ${value}`,
        en: `--threads takes a whole number from 0 to 64: ${value}`,
      },
      2,
    );
  }
  return n;
}

async function runVerify(dir: string, flags: VerifyFlags): Promise<void> {
  const bar = progressBar('Prüfung / verify');
  const labels: Record<Phase, string> = {
    reports: 'Meldungen / reports',
    log: 'Transparenzlog / log',
    'audit-log': 'Protokoll / audit log',
    results: 'Ergebnisse / results',
  };
  let report;
  try {
    report = await verifyExport(dir, {
      now: new Date(),
      onProgress: (phase, done, total) => bar.update(labels[phase], done, total),
      ...(flags.threads === undefined ? {} : { threads: flags.threads }),
    });
  } finally {
    bar.stop();
  }
  const reportDir = flags.reportDir ?? dir;
  await mkdir(reportDir, { recursive: true });
  const files = {
    html: path.join(reportDir, 'audit-report.html'),
    json: path.join(reportDir, 'audit-report.json'),
  };
  await writeFile(files.html, renderHtml(report));
  await writeFile(files.json, `${JSON.stringify(report, null, 1)}\n`);
  if (flags.json !== true) process.stdout.write(renderText(report, files));
  if (flags.show !== undefined) process.stdout.write(await showCommands(dir, flags.show));
  process.stdout.write(`${summaryLine(report)}\n`);
  process.exitCode = report.findings.length === 0 ? 0 : 1;
}

/** `--show <precinct>`: the openssl command for each report of one district. */
async function showCommands(dir: string, precinctId: string): Promise<string> {
  const ctx = await loadContext(dir, []);
  const lines: string[] = [];
  await readLines(dir, EXPORT_PATHS.envelopes, (line) => {
    const entry = EnvelopeEntrySchema.safeParse(JSON.parse(line));
    if (!entry.success || entry.data.precinctId !== precinctId) return;
    const e = entry.data;
    if (e.p7s === null || e.tally === null) return;
    const signingTime = new Date(e.accepted?.signingTime ?? e.receivedAt);
    lines.push(
      `# ${e.verdict} ${e.contestId ?? ''} ${e.revision === null ? '' : `rev ${e.revision}`} (${e.envelopeId})`,
      opensslCommand(e.p7s, e.tally, crlAt(ctx.crls, signingTime), signingTime),
    );
  });
  return lines.length === 0
    ? `Keine Meldung von ${precinctId} im Export. / No report of ${precinctId} in the export.\n`
    : `${lines.join('\n')}\n`;
}

/**
 * `wahlkoffer audit export` and `audit verify` (issue 9, decisions/0096–0099): everything an
 * auditor needs in one folder, and its offline verification. verify exits 0 without findings,
 * 1 with findings, 2 when the export cannot be read; its last stdout line is one JSON object.
 */
export function registerAuditCommands(program: Command): void {
  const audit = program
    .command('audit')
    .description('export everything an auditor needs, and verify such an export offline');
  audit
    .command('export')
    .description('write the audit export from the server database and the PKI directory')
    .addOption(
      markRequired(
        option('--pki <dir>', 'PKI directory from `wahlkoffer pki init`', 'WAHLKOFFER_PKI'),
      ),
    )
    .addOption(
      markRequired(option('--election <file>', 'election definition JSON', 'WAHLKOFFER_ELECTION')),
    )
    .addOption(
      option(
        '--db <path|url>',
        'SQLite database file, or PostgreSQL URL (as for `wahlkoffer server`)',
        'WAHLKOFFER_DB',
      ),
    )
    .addOption(
      option(
        '--publication <dir>',
        'the server’s --publish-dir (default: as the server’s)',
        'WAHLKOFFER_PUBLISH_DIR',
      ),
    )
    .requiredOption('--out <dir>', 'new or empty folder for the export')
    .action(runExport);
  audit
    .command('verify')
    .description('verify an audit export offline: exit 0 no finding, 1 findings, 2 unreadable')
    .argument('<dir>', 'the export folder')
    .option('--json', 'print only the JSON summary line')
    .option(
      '--report-dir <dir>',
      'where audit-report.html and .json go (default: the export folder)',
    )
    .option(
      '--show <precinctId>',
      'also print the openssl command for each report of this district',
    )
    .option(
      '--threads <n>',
      'worker threads for the signature checks (default: one per core for a large export; 0: none)',
      threadCount,
    )
    .action(runVerify);
}
