import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import {
  ElectionError,
  firstUrnenwahlbezirke,
  generateElection,
  isShapeName,
  onDate,
  parseElectionDefinition,
  SHAPE_NAMES,
  type ElectionDefinition,
} from '../../election/index.ts';
import { CliError } from '../cli-error.ts';
import { FILE_KINDS, jsonArrayLines, readJsonFile, writeChunks } from '../io.ts';
import { describeSystemError } from '../system-error.ts';

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
      {
        de: `--seed muss eine ganze Zahl von 0 bis 4294967295 sein, nicht "${value}".`,
        en: `--seed must be an integer from 0 to 4294967295, got "${value}".`,
      },
      2,
    );
  }
  return seed;
}

/**
 * `--date today` is the local calendar day of the machine (what a clerk means by today);
 * otherwise a real date YYYY-MM-DD.
 */
export function resolveElectionDate(value: string, now: Date): string {
  if (value === 'today') {
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
  }
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const parsed = match === null ? undefined : new Date(`${value}T00:00:00Z`);
  if (
    parsed === undefined ||
    Number.isNaN(parsed.getTime()) ||
    parsed.toISOString().slice(0, 10) !== value
  ) {
    throw new CliError(
      'USAGE',
      {
        de: `--date braucht ein Datum JJJJ-MM-TT oder "today", nicht "${value}".`,
        en: `--date needs a date YYYY-MM-DD or "today", got "${value}".`,
      },
      2,
    );
  }
  return value;
}

function parseCount(value: string, option: string): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 1) {
    throw new CliError(
      'USAGE',
      {
        de: `${option} muss eine ganze Zahl ab 1 sein, nicht "${value}".`,
        en: `${option} must be an integer of at least 1, got "${value}".`,
      },
      2,
    );
  }
  return n;
}

type GenerateFlags = {
  shape: string;
  seed: string;
  out: string;
  date?: string;
  urnenwahlbezirke?: string;
};

function generated(flags: GenerateFlags) {
  if (!isShapeName(flags.shape)) {
    throw new CliError(
      'USAGE',
      {
        de: `Unbekannte Form "${flags.shape}"; möglich: ${SHAPE_NAMES.join(', ')}.`,
        en: `unknown shape "${flags.shape}"; shapes: ${SHAPE_NAMES.join(', ')}.`,
      },
      2,
    );
  }
  let election = generateElection(flags.shape, parseSeed(flags.seed));
  if (flags.urnenwahlbezirke !== undefined) {
    const n = parseCount(flags.urnenwahlbezirke, '--urnenwahlbezirke');
    election = firstUrnenwahlbezirke(election, n);
  }
  if (flags.date !== undefined)
    election = onDate(election, resolveElectionDate(flags.date, new Date()));
  return election;
}

async function generate(flags: GenerateFlags): Promise<void> {
  const started = performance.now();
  const election = generated(flags);
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
    const system = describeSystemError(error);
    const reason = error instanceof Error ? error.message : String(error);
    throw new CliError(
      'CANNOT_WRITE',
      {
        de: `Kann nicht nach ${flags.out} schreiben: ${system?.de ?? reason}`,
        en: `cannot write to ${flags.out}: ${system?.en ?? reason}`,
      },
      1,
      { cause: error },
    );
  }
  const { precincts, contests, date } = election.definition;
  const urne = precincts.filter((p) => p.kind === 'URNE').length;
  const brief = precincts.length - urne;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `${electionFile}: ${precincts.length} Stimmbezirke (${urne} URNE + ${brief} BRIEF), ${contests.length} Wahl(en) / contest(s), Wahltag / election day ${date}\n` +
      `${truthFile}: ${reports} Schnellmeldungen (${seconds} s)\n`,
  );
}

/** Reads and validates an election definition; exit code 2 with every issue listed if unusable. */
export async function readElectionDefinition(file: string): Promise<ElectionDefinition> {
  const json = await readJsonFile(file, FILE_KINDS.election);
  try {
    return parseElectionDefinition(json);
  } catch (error) {
    if (error instanceof ElectionError) {
      const issues = error.issues.map((i) => `${i.code} ${i.path}: ${i.message}`).join('; ');
      throw new CliError(
        'UNREADABLE_INPUT',
        {
          de: `Die Wahldefinition ${file} ist ungültig: ${issues}`,
          en: `election definition ${file} is not valid: ${issues}`,
        },
        2,
        { cause: error },
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
    .option(
      '--date <date>',
      'election day YYYY-MM-DD, or "today" for a rehearsal (certificates and session tokens are valid around it; default: the historical date)',
    )
    .option(
      '--urnenwahlbezirke <n>',
      'keep only the first n Urnenwahlbezirke and their Briefwahlbezirke (a small rehearsal)',
    )
    .action(generate);
  election
    .command('validate')
    .description('check an election definition (schema and all cross-references)')
    .argument('<file>', 'election.json')
    .action(async (file: string) => {
      const def = await readElectionDefinition(file);
      process.stdout.write(
        `${file}: gültig / valid (${def.areas.length} Gebiete / areas, ${def.precincts.length} Stimmbezirke, ${def.contests.length} Wahl(en) / contest(s))\n`,
      );
    });
}
