import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateElection, parseElectionDefinition } from '../../election/index.ts';
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
 * An election office for exercises, benchmarks and end-to-end tests: the generated election of
 * a shape, held today; with `urnen`, cut down to that many
 * Urnenwahlbezirke, their Briefwahlbezirke and the contests they vote in. Then the PKI
 * ceremony and every station issued through the `wahlkoffer pki` commands (test KDF: these
 * runs measure intake, not key unlocking).
 */
export async function setUpExerciseOffice(
  dir: string,
  shape: ShapeName,
  seed: number,
  urnen: number | undefined,
): Promise<ExerciseOffice> {
  const generated = generateElection(shape, seed);
  const full = generated.definition;
  let keep: Set<string> | undefined;
  if (urnen !== undefined) {
    const urne = full.precincts.filter((p) => p.kind === 'URNE').slice(0, urnen);
    keep = new Set(
      urne.flatMap((p) => [
        p.id,
        ...(p.briefwahlbezirkId === undefined ? [] : [p.briefwahlbezirkId]),
      ]),
    );
  }
  const truth = [...generated.tallies()].filter(
    (t) => keep === undefined || keep.has(t.precinctId),
  );
  const contests = new Set(truth.map((t) => t.contestId));
  const definition = parseElectionDefinition({
    ...full,
    date: new Date().toISOString().slice(0, 10),
    precincts: keep === undefined ? full.precincts : full.precincts.filter((p) => keep.has(p.id)),
    contests: full.contests.filter((c) => contests.has(c.id)),
  });
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
    '--all',
    '--out',
    office.bundlesDir,
    '--reveal-secrets',
    secretsFile,
  ]);
  return { ...office, secrets: await readSecrets(secretsFile) };
}
