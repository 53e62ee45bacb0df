import path from 'node:path';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import {
  alreadyIssued,
  issueStations,
  openCa,
  writeSecretFile,
  type CaContext,
  type IssueResult,
} from '../../pki/index.ts';
import { CliError } from '../cli-error.ts';
import { caPassphrase } from './pki-passphrase.ts';
import { reportPkiError } from './pki-io.ts';

type IssueFlags = {
  dir: string;
  caPassphraseFile: string;
  precinct: string[];
  all?: boolean;
  reissue?: boolean;
  out: string;
  letters: string;
  revealSecrets?: string;
  concurrency?: number;
};

const usage = (de: string, en: string) => new CliError('USAGE', { de, en }, 2);

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw usage(
      `--concurrency erwartet eine ganze Zahl von 1 bis 256: ${value}`,
      `--concurrency takes a whole number from 1 to 256: ${value}`,
    );
  }
  return n;
}

/** Bundles go onto the kits, letters into sealed envelopes: never one folder inside the other. */
function checkFolders(out: string, letters: string): void {
  const a = path.resolve(out);
  const b = path.resolve(letters);
  const inside = (x: string, y: string) => x === y || x.startsWith(`${y}${path.sep}`);
  if (inside(a, b) || inside(b, a)) {
    throw usage(
      `--letters und --out müssen getrennte Ordner sein (Briefe mit Passphrasen gehören nicht zu den Paketen für die Wahlkoffer): ${letters}, ${out}.`,
      `--letters and --out must be separate folders (letters with passphrases do not belong beside the kits' bundles): ${letters}, ${out}.`,
    );
  }
}

/** Which precincts to issue: all not yet issued (`--all`), or exactly the named ones. */
function selectPrecincts(
  ca: CaContext,
  o: IssueFlags,
  now: Date,
): { ids: string[]; skipped: number } {
  if (o.all !== true) return { ids: [...new Set(o.precinct)], skipped: 0 };
  const every = ca.election.precincts.map((p) => p.id);
  if (o.reissue === true) return { ids: every, skipped: 0 };
  const held = new Set(alreadyIssued(ca, every, now).map((r) => r.precinctId));
  return { ids: every.filter((id) => !held.has(id)), skipped: held.size };
}

async function issueWithProgress(
  ca: CaContext,
  ids: string[],
  o: IssueFlags,
  now: Date,
): Promise<IssueResult> {
  const bar = new cliProgress.SingleBar(
    { format: 'issuing {bar} {value}/{total} stations, {duration}s', stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  bar.start(ids.length, 0);
  try {
    return await issueStations(ca, ids, {
      outDir: o.out,
      lettersDir: o.letters,
      now,
      reissue: o.reissue === true,
      ...(o.concurrency === undefined ? {} : { concurrency: o.concurrency }),
      onProgress: (done) => bar.update(done),
    });
  } finally {
    bar.stop();
  }
}

async function issue(o: IssueFlags): Promise<void> {
  if ((o.precinct.length === 0) === (o.all !== true)) {
    throw usage(
      'Entweder --all oder mindestens ein --precinct <id> angeben.',
      'give either --all or one or more --precinct <id>.',
    );
  }
  checkFolders(o.out, o.letters);
  try {
    const now = new Date();
    const ca = await openCa(o.dir, await caPassphrase(o.caPassphraseFile));
    const { ids, skipped } = selectPrecincts(ca, o, now);
    if (skipped > 0) {
      process.stdout.write(
        `${skipped} Stimmbezirke haben schon ein gültiges Zertifikat und werden übersprungen / ${skipped} precincts already hold a valid certificate and are skipped\n`,
      );
    }
    const started = performance.now();
    const result =
      ids.length === 0 ? { issued: [], superseded: [] } : await issueWithProgress(ca, ids, o, now);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(
      `${result.issued.length} Stationszertifikate ausgestellt / issued ${result.issued.length} station certificates (${seconds} s): Pakete / bundles → ${o.out}, Briefe / letters → ${o.letters}\n`,
    );
    for (const r of result.superseded) {
      process.stdout.write(
        `ersetzt und gesperrt / superseded and revoked: ${r.precinctId} serial ${r.serial} (ausgestellt / issued ${r.issuedAt})\n`,
      );
    }
    if (o.revealSecrets !== undefined) await revealSecrets(o.revealSecrets, result);
  } catch (error) {
    reportPkiError(error);
  }
}

async function revealSecrets(file: string, result: IssueResult): Promise<void> {
  const secrets = Object.fromEntries(
    result.issued.map((s) => [
      s.precinctId,
      { passphrase: s.passphrase, totpSecret: s.totpSecret },
    ]),
  );
  await writeSecretFile(file, `${JSON.stringify(secrets, null, 1)}\n`);
  process.stdout.write(
    `Geheimnisse in ${file} (nur Probe/Test) / secrets written to ${file} (rehearsal/test use only)\n`,
  );
}

export function registerIssueCommand(pki: Command): void {
  pki
    .command('issue')
    .description(
      'issue station certificates: <out>/<precinctId>/bundle.json for the kit, <letters>/<precinctId>.html for the sealed letter',
    )
    .requiredOption('--dir <dir>', 'PKI directory')
    .requiredOption(
      '--ca-passphrase-file <file>',
      'file holding the CA passphrase, readable by its owner only',
    )
    .option(
      '--precinct <id>',
      'a precinct to issue; repeat for several',
      (id: string, ids: string[]) => [...ids, id],
      [] as string[],
    )
    .option('--all', 'every precinct not yet issued (resumes an interrupted ceremony)')
    .option(
      '--reissue',
      'issue again for precincts that hold a valid certificate; the old ones are revoked (superseded)',
    )
    .requiredOption('--out <dir>', 'folder for the bundles, one subfolder per precinct')
    .requiredOption(
      '--letters <dir>',
      'folder for the letters with passphrase and TOTP code, apart from --out',
    )
    .option(
      '--concurrency <n>',
      'stations issued at once (default: the number of cores; more hides the waits for the disk)',
      positiveInteger,
    )
    .option(
      '--reveal-secrets <file>',
      'REHEARSALS/TESTS ONLY: also write passphrases and TOTP secrets as JSON',
    )
    .action(issue);
}
