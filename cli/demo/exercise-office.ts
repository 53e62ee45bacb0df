import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  firstUrnenwahlbezirke,
  generateElection,
  onDate,
  parseElectionDefinition,
} from '../../election/index.ts';
import type { ElectionDefinition, Schnellmeldung, ShapeName } from '../../election/index.ts';
import { mustRunWahlkoffer } from './run-cli.ts';
import { writeCaPassphrase } from './workspace.ts';
import { readSecrets } from '../simulate/inputs.ts';
import type { StationSecrets } from '../simulate/inputs.ts';

export type ExerciseOffice = {
  readonly dir: string;
  readonly definition: ElectionDefinition;
  readonly truth: Schnellmeldung[];
  readonly electionFile: string;
  readonly pkiDir: string;
  readonly bundlesDir: string;
  readonly secrets: StationSecrets;
};

/**
 * The generated election of a shape, held on `date`; with `urnen`, cut down to that many
 * Urnenwahlbezirke, their Briefwahlbezirke and the contests they vote in. Deterministic: the
 * same arguments give the same definition and truth (a benchmark's cached office relies on it).
 */
export function exerciseElection(
  shape: ShapeName,
  seed: number,
  urnen: number | undefined,
  date: string,
): { definition: ElectionDefinition; truth: Schnellmeldung[] } {
  const full = generateElection(shape, seed);
  const cut = urnen === undefined ? full : firstUrnenwahlbezirke(full, urnen);
  const generated = onDate(cut, date);
  return {
    definition: parseElectionDefinition(generated.definition),
    truth: [...generated.tallies()],
  };
}

/**
 * An election office for exercises, benchmarks and end-to-end tests: the generated election of
 * a shape, held today (exerciseElection). Then the PKI ceremony and every station issued through
 * the `wahlkoffer pki` commands (test KDF: these runs measure intake, not key unlocking).
 */
export async function setUpExerciseOffice(
  dir: string,
  shape: ShapeName,
  seed: number,
  urnen: number | undefined,
  options: {
    readonly issueConcurrency?: number;
    /** issue only these precincts (the truth then holds only theirs); default: every precinct */
    readonly precincts?: readonly string[];
  } = {},
): Promise<ExerciseOffice> {
  const { definition, truth: every } = exerciseElection(
    shape,
    seed,
    urnen,
    new Date().toISOString().slice(0, 10),
  );
  const only = options.precincts === undefined ? undefined : new Set(options.precincts);
  const truth = only === undefined ? every : every.filter((t) => only.has(t.precinctId));
  const office = {
    dir,
    definition,
    truth,
    electionFile: path.join(dir, 'election.json'),
    pkiDir: path.join(dir, 'pki'),
    bundlesDir: path.join(dir, 'bundles'),
  };
  const passphraseFile = path.join(dir, 'ca-passphrase.txt');
  const secretsFile = path.join(dir, 'station-secrets.json');
  await writeFile(office.electionFile, JSON.stringify(definition));
  await writeCaPassphrase(passphraseFile);
  const ca = ['--dir', office.pkiDir, '--ca-passphrase-file', passphraseFile];
  await mustRunWahlkoffer([
    'pki',
    'init',
    ...ca,
    '--election',
    office.electionFile,
    '--insecure-test-kdf',
  ]);
  await mustRunWahlkoffer([
    'pki',
    'issue',
    ...ca,
    ...(options.precincts === undefined
      ? ['--all']
      : options.precincts.flatMap((id) => ['--precinct', id])),
    '--out',
    office.bundlesDir,
    '--letters',
    path.join(dir, 'letters'),
    '--reveal-secrets',
    secretsFile,
    ...(options.issueConcurrency === undefined
      ? []
      : ['--concurrency', String(options.issueConcurrency)]),
  ]);
  return { ...office, secrets: await readSecrets(secretsFile) };
}
