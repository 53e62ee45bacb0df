import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import {
  ElectionError,
  generateElection,
  isShapeName,
  parseElectionDefinition,
  SHAPE_NAMES,
  type ElectionDefinition,
} from '../../election/index.ts';
import { CliError } from '../cli-error.ts';
import { jsonArrayLines, readJsonFile, writeChunks } from '../io.ts';

/** election.json, pretty at the top level and one area / precinct / contest per line. */
function* definitionChunks(definition: ElectionDefinition): Generator<string> {
  const entries = Object.entries(definition);
  yield '{';
  for (const [i, [key, value]] of entries.entries()) {
    yield `\n  ${JSON.stringify(key)}: `;
    if (Array.isArray(value)) yield* jsonArrayLines(value, '    ');
    else yield JSON.stringify(value);
    if (i < entries.length - 1) yield ',';
  }
  yield '\n}\n';
}

function parseSeed(value: string): number {
  const seed = Number(value);
  if (!Number.isSafeInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new CliError(
      'USAGE',
      `--seed must be an integer from 0 to 4294967295, got "${value}"`,
      2,
    );
  }
  return seed;
}

async function generate(flags: { shape: string; seed: string; out: string }): Promise<void> {
  if (!isShapeName(flags.shape)) {
    throw new CliError(
      'USAGE',
      `unknown shape "${flags.shape}"; shapes: ${SHAPE_NAMES.join(', ')}`,
      2,
    );
  }
  const started = performance.now();
  const election = generateElection(flags.shape, parseSeed(flags.seed));
  const electionFile = path.join(flags.out, 'election.json');
  const truthFile = path.join(flags.out, 'truth.json');
  let reports = 0;
  function* counted(): Generator<unknown> {
    for (const t of election.tallies()) {
      reports++;
      yield t;
    }
  }
  try {
    await mkdir(flags.out, { recursive: true });
    await writeChunks(electionFile, definitionChunks(election.definition));
    await writeChunks(
      truthFile,
      (function* () {
        yield* jsonArrayLines(counted());
        yield '\n';
      })(),
    );
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError('FAILED', `cannot write to ${flags.out}: ${reason}`, 1, { cause: error });
  }
  const { precincts, contests } = election.definition;
  const urne = precincts.filter((p) => p.kind === 'URNE').length;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `wrote ${electionFile} (${precincts.length} Stimmbezirke: ${urne} URNE + ${precincts.length - urne} BRIEF, ${contests.length} contest${contests.length === 1 ? '' : 's'})\n` +
      `wrote ${truthFile} (${reports} Schnellmeldungen) in ${seconds} s\n`,
  );
}

/** Reads and validates an election definition; exit code 2 with every issue listed if unusable. */
export async function readElectionDefinition(file: string): Promise<ElectionDefinition> {
  const json = await readJsonFile(file, 'election definition');
  try {
    return parseElectionDefinition(json);
  } catch (error) {
    if (error instanceof ElectionError) {
      const lines = error.issues.map((i) => `  ${i.code} ${i.path}: ${i.message}`).join('\n');
      throw new CliError(
        'UNREADABLE_INPUT',
        `election definition ${file} is not valid:\n${lines}`,
        2,
        {
          cause: error,
        },
      );
    }
    throw error;
  }
}

export function registerElectionCommands(program: Command): void {
  const election = program
    .command('election')
    .description('election definitions: generate, validate');
  election
    .command('generate')
    .description(
      'write a realistic, seeded election.json and truth.json (one rule-clean Schnellmeldung per precinct and contest)',
    )
    .requiredOption('--shape <shape>', `one of ${SHAPE_NAMES.join(', ')}`)
    .requiredOption('--seed <n>', 'seed of the random generator (same seed, same files)')
    .requiredOption('--out <dir>', 'output directory (created if missing)')
    .action(generate);
  election
    .command('validate')
    .description('check an election definition (schema and all cross-references)')
    .argument('<file>', 'election.json')
    .action(async (file: string) => {
      const def = await readElectionDefinition(file);
      process.stdout.write(
        `${file}: valid (${def.areas.length} areas, ${def.precincts.length} Stimmbezirke, ${def.contests.length} contests)\n`,
      );
    });
}
