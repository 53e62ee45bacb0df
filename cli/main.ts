import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.ts';
import { registerElectionCommands } from './commands/election.ts';
import { registerTallyCommands } from './commands/tally.ts';
import { registerServerCommands } from './commands/server.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerPkiCommands } from './commands/pki.ts';
import { registerSimulateCommands } from './commands/simulate.ts';
import { registerDemoCommands } from './commands/demo.ts';

/**
 * `wahlkoffer` — the election office's command-line program. This file only wires the
 * subcommand groups together; each group lives in its own module under cli/commands/.
 */
export function buildProgram(): Command {
  const program = new Command('wahlkoffer')
    .description(
      'Wahlkoffer: signed, encrypted Schnellmeldungen from every Stimmbezirk to the Wahlamt',
    )
    .showHelpAfterError()
    .exitOverride();
  registerServerCommands(program);
  registerDbCommands(program);
  registerElectionCommands(program);
  registerTallyCommands(program);
  registerPkiCommands(program);
  registerSimulateCommands(program);
  registerDemoCommands(program);
  return program;
}

/** Runs the program and returns the process exit code (never calls process.exit itself). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.exitCode === 0 ? 0 : 2;
    }
    if (error instanceof CliError) {
      process.stderr.write(`wahlkoffer: ${error.message}\n`);
      return error.exitCode;
    }
    throw error;
  }
}
