import { readFile, writeFile } from 'node:fs/promises';
import type { ElectionDefinition, Schnellmeldung } from '../../../election/index.ts';
import { mustRunWahlkoffer } from '../../../cli/demo/run-cli.ts';
import { prepareStolenKit } from '../../../cli/demo/stolen-kit.ts';
import { createWorkspace, writeCaPassphrase } from '../../../cli/demo/workspace.ts';
import type { DemoWorkspace } from '../../../cli/demo/workspace.ts';
import { readSecrets } from '../../../cli/simulate/inputs.ts';
import { createPkiStationSource } from '../../../cli/simulate/pki-station.ts';
import type { StationSource } from '../../../cli/simulate/station.ts';
import { smallMunichElection } from './election-subset.ts';

export type ElectionFixture = {
  readonly ws: DemoWorkspace;
  readonly definition: ElectionDefinition;
  readonly truth: Schnellmeldung[];
  readonly stolen: string[];
  readonly stations: () => Promise<StationSource>;
};

/**
 * A real, small election office in a directory: a cut-down Munich election held today, the
 * PKI ceremony and station issuing through the `wahlkoffer pki` commands (cheap test KDF),
 * and optionally stolen kits (revoked, with replacements issued) — the demo's steps at test size.
 */
export async function buildElectionFixture(
  dir: string,
  options: { urnen: number; stolen: number; seed?: number },
): Promise<ElectionFixture> {
  const ws = await createWorkspace(dir);
  const { definition: full, truth } = smallMunichElection(options.urnen, options.seed);
  const definition = { ...full, date: new Date().toISOString().slice(0, 10) };
  await writeFile(ws.electionFile, JSON.stringify(definition));
  await writeFile(ws.truthFile, JSON.stringify(truth));
  await writeCaPassphrase(ws.caPassphraseFile);
  const office = ['--dir', ws.pkiDir, '--ca-passphrase-file', ws.caPassphraseFile];
  await mustRunWahlkoffer([
    'pki',
    'init',
    ...office.slice(0, 2),
    '--election',
    ws.electionFile,
    ...office.slice(2),
    '--server-url',
    'http://127.0.0.1:1',
    '--insecure-test-kdf',
  ]);
  await mustRunWahlkoffer([
    'pki',
    'issue',
    ...office,
    '--all',
    '--out',
    ws.bundlesDir,
    '--letters',
    ws.lettersDir,
    '--reveal-secrets',
    ws.secretsFile,
  ]);
  const stolen = options.stolen > 0 ? await prepareStolenKit(ws, options.stolen, 'fixture') : [];
  return {
    ws,
    definition,
    truth,
    stolen,
    stations: async () =>
      createPkiStationSource({
        bundlesDir: ws.bundlesDir,
        secrets: await readSecrets(ws.secretsFile),
        revokedDir: ws.revokedDir,
        revokedSecrets: stolen.length > 0 ? await readSecrets(ws.revokedSecretsFile) : {},
        rootCaPem: await readFile(`${ws.pkiDir}/root-ca.pem`, 'utf8'),
      }),
  };
}
