import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { z } from 'zod';
import { CliError, errorLine } from './cli-error.ts';
import { helpConfiguration } from './help-style.ts';
import { describeSystemError } from './system-error.ts';
import { usageMessage } from './usage-error.ts';

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
  kit: async () => (await import('./commands/kit.ts')).registerKitCommands,
  audit: async () => (await import('./commands/audit.ts')).registerAuditCommands,
  users: async () => (await import('./commands/users.ts')).registerUsersCommands,
};
const GROUP_OF: Record<string, string> = { seal: 'pki', open: 'pki' };

/** The version of this checkout (package.json), for `wahlkoffer --version`. */
export function wahlkofferVersion(): string {
  const text = readFileSync(new URL('../package.json', import.meta.url), 'utf8');
  return z.object({ version: z.string() }).parse(JSON.parse(text)).version;
}

const VERSION_FLAGS = new Set(['--version', '-V']);

/** The groups a command line needs: its own, none for --version, all for help and unknown ones. */
function groupsFor(argv: readonly string[]): string[] {
  const first = argv[2];
  if (first === undefined) return Object.keys(GROUPS);
  if (VERSION_FLAGS.has(first)) return [];
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
    .version(`wahlkoffer ${wahlkofferVersion()}`, '-V, --version', 'print the version and exit')
    .helpOption('-h, --help', 'show help for a command')
    .configureHelp(helpConfiguration)
    .configureOutput({
      outputError: (text, write) => write(`${errorLine(usageMessage(text))}\n`),
    })
    .exitOverride();
  for (const name of groupsFor(argv)) {
    const load = GROUPS[name];
    if (load !== undefined) (await load())(program);
  }
  return program;
}

/**
 * Runs the program and returns the process exit code (never calls process.exit itself).
 * Every expected failure ends as one line on stderr, German then English, never as a stack
 * trace: coded CLI errors, commander's usage errors, and file-system errors (a missing
 * folder, no permission, a full disk). Only a real bug still shows its stack.
 */
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
      process.stderr.write(`${errorLine(error.messages)}\n`);
      return error.exitCode;
    }
    const system = describeSystemError(error);
    if (system !== undefined) {
      process.stderr.write(`${errorLine(system)}\n`);
      return 1;
    }
    throw error;
  }
}
