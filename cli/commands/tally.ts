import type { Command } from 'commander';
import { FILE_KINDS, readJsonFile } from '../io.ts';
import { checkReports, formatHuman, formatJson, parseTallyFile } from '../tally-check.ts';
import { readElectionDefinition } from './election.ts';

/**
 * `tally check`: runs the plausibility rules on one Schnellmeldung or an array of them.
 * Exit 0 when every report is sendable, 1 when any has an error or an unacknowledged
 * warning, 2 when an input cannot be read (missing file, bad JSON, schema failure).
 */
async function check(flags: { election: string; tally: string; json?: boolean }): Promise<void> {
  const definition = await readElectionDefinition(flags.election);
  const reports = parseTallyFile(await readJsonFile(flags.tally, FILE_KINDS.tally), flags.tally);
  const results = checkReports(definition, reports);
  process.stdout.write(flags.json === true ? formatJson(results) : formatHuman(results));
  process.exitCode = results.every((r) => r.assessment.sendable) ? 0 : 1;
}

export function registerTallyCommands(program: Command): void {
  const tally = program.command('tally').description('Schnellmeldungen: plausibility checks');
  tally
    .command('check')
    .description(
      'check Schnellmeldungen against the election and its rules (exit 0 sendable, 1 not, 2 unreadable)',
    )
    .requiredOption('--election <file>', 'election.json')
    .requiredOption(
      '--tally <file>',
      'one Schnellmeldung or a JSON array of them (e.g. truth.json)',
    )
    .option('--json', 'machine-readable output')
    .action(check);
}
