import { Command, CommanderError } from 'commander';
import { CliError } from './cli-error.ts';

type Register = (program: Command) => void;

/**
 * The subcommand groups, loaded on demand: `wahlkoffer tally check` should not pay for loading
 * the server, Prisma and the PKI libraries (about half a second). Keys are the first word of a
 * command line; `seal` and `open` belong to the pki group.
 */
const GROUPS: Record<string, () => Promise<Register>> = {
  server: async () => (await import('./commands/server.ts')).registerServerCommands,
  db: async () => (await import('./commands/db.ts')).registerDbCommands,
  election: async () => (await import('./commands/election.ts')).registerElectionCommands,
  tally: async () => (await import('./commands/tally.ts')).registerTallyCommands,
  pki: async () => (await import('./commands/pki.ts')).registerPkiCommands,
  simulate: async () => (await import('./commands/simulate.ts')).registerSimulateCommands,
  demo: async () => (await import('./commands/demo.ts')).registerDemoCommands,
};
const GROUP_OF: Record<string, string> = { seal: 'pki', open: 'pki' };

/** The groups a command line needs: its own, or all of them for help and unknown commands. */
function groupsFor(argv: readonly string[]): string[] {
  const first = argv[2];
  if (first === undefined) return Object.keys(GROUPS);
  const group = Object.hasOwn(GROUP_OF, first) ? (GROUP_OF[first] as string) : first;
  return Object.hasOwn(GROUPS, group) ? [group] : Object.keys(GROUPS);
}

/**
 * `wahlkoffer` — the election office's command-line program. This file only wires the
 * subcommand groups together; each group lives in its own module under cli/commands/.
 */
export async function buildProgram(argv: readonly string[] = []): Promise<Command> {
  const program = new Command('wahlkoffer')
    .description(
      'Wahlkoffer: signed, encrypted Schnellmeldungen from every Stimmbezirk to the Wahlamt',
    )
    .showHelpAfterError()
    .exitOverride();
  for (const name of groupsFor(argv)) {
    const load = GROUPS[name];
    if (load !== undefined) (await load())(program);
  }
  return program;
}

/** Runs the program and returns the process exit code (never calls process.exit itself). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = await buildProgram(argv);
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
