import path from 'node:path';
import type { Command } from 'commander';
import { ElectionDefinitionSchema } from '../../election/index.ts';
import {
  REVOCATION_REASON_NAMES,
  TEST_SCRYPT_COST,
  initPki,
  inspectFile,
  openCa,
  parseCertificatePem,
  regenerateCrl,
  revokeStation,
  type RevocationReason,
} from '../../pki/index.ts';
import { CliError } from '../cli-error.ts';
import { FILE_KINDS, readInputText } from '../io.ts';
import { registerIssueCommand } from './pki-issue.ts';
import { readInput, reportPkiError } from './pki-io.ts';
import { caPassphrase } from './pki-passphrase.ts';
import { registerSealCommands } from './seal.ts';

const usage = (de: string, en: string) => new CliError('USAGE', { de, en }, 2);

/**
 * The fingerprint line exactly as `openssl x509 -noout -fingerprint -sha256` (OpenSSL 3)
 * prints it, so the office can put it on paper and auditors compare it character by character.
 */
export function opensslFingerprint(sha256Hex: string): string {
  return `sha256 Fingerprint=${sha256Hex.toUpperCase().match(/../g)!.join(':')}`;
}

type InitFlags = {
  dir: string;
  election: string;
  caPassphraseFile: string;
  serverUrl: string;
  insecureTestKdf?: boolean;
};

async function init(o: InitFlags): Promise<void> {
  const parsed = ElectionDefinitionSchema.safeParse(
    safeJson(await readInputText(o.election, FILE_KINDS.election)),
  );
  if (!parsed.success) {
    throw new CliError(
      'UNREADABLE_INPUT',
      {
        de: `${o.election} ist keine gültige Wahldefinition (prüfen mit: wahlkoffer election validate).`,
        en: `${o.election} is not a valid election definition (check with: wahlkoffer election validate).`,
      },
      2,
    );
  }
  try {
    await initPki({
      dir: o.dir,
      election: parsed.data,
      caPassphrase: await caPassphrase(o.caPassphraseFile),
      serverUrl: o.serverUrl,
      now: new Date(),
      ...(o.insecureTestKdf === true ? { kdfCost: TEST_SCRYPT_COST } : {}),
    });
    const rootFile = path.join(o.dir, 'root-ca.pem');
    const root = parseCertificatePem(await readInputText(rootFile, FILE_KINDS.rootCa));
    process.stdout.write(
      `PKI für die Wahl / PKI for election ${parsed.data.id} angelegt in / created in ${o.dir}\n` +
        `Fingerabdruck des Wurzelzertifikats (auf Papier veröffentlichen) / root certificate fingerprint (publish on paper), ${rootFile}:\n` +
        `${opensslFingerprint(root.fingerprint)}\n`,
    );
  } catch (error) {
    reportPkiError(error);
  }
}

type RevokeFlags = {
  dir: string;
  caPassphraseFile: string;
  precinct?: string;
  serial?: string;
  reason: string;
};

async function revoke(o: RevokeFlags): Promise<void> {
  if ((o.precinct === undefined) === (o.serial === undefined)) {
    throw usage(
      'Genau eines von --precinct <id> oder --serial <hex> angeben.',
      'give exactly one of --precinct <id> or --serial <hex>.',
    );
  }
  if (!(REVOCATION_REASON_NAMES as string[]).includes(o.reason)) {
    const names = REVOCATION_REASON_NAMES.join(', ');
    throw usage(`--reason muss eines von ${names} sein.`, `--reason must be one of ${names}.`);
  }
  try {
    const ca = await openCa(o.dir, await caPassphrase(o.caPassphraseFile));
    const target = o.precinct !== undefined ? { precinctId: o.precinct } : { serial: o.serial! };
    const record = await revokeStation(ca, target, o.reason as RevocationReason, new Date());
    process.stdout.write(
      `gesperrt / revoked: ${record.precinctId} serial ${record.serial} (${record.reason}); crl.pem neu / updated\n`,
    );
  } catch (error) {
    reportPkiError(error);
  }
}

async function crl(o: { dir: string; caPassphraseFile: string }): Promise<void> {
  try {
    const ca = await openCa(o.dir, await caPassphrase(o.caPassphraseFile));
    await regenerateCrl(ca, new Date());
    const revoked = ca.register.certificates.filter((r) => r.status === 'REVOKED').length;
    process.stdout.write(
      `crl.pem neu signiert / re-signed: ${revoked} gesperrte Zertifikate / revoked certificate(s)\n`,
    );
  } catch (error) {
    reportPkiError(error);
  }
}

/** Registers `pki init|issue|revoke|crl|inspect` and the station-side `seal` / office-side `open`. */
export function registerPkiCommands(program: Command): void {
  registerSealCommands(program);
  const pki = program
    .command('pki')
    .description('election PKI: CA ceremony, station certificates, revocation');

  pki
    .command('init')
    .description(
      'create root CA, issuing CA, server certificates and an empty CRL in <dir>; prints the root fingerprint',
    )
    .requiredOption('--dir <dir>', 'PKI directory (must not exist or be empty)')
    .requiredOption('--election <file>', 'election definition (election.json)')
    .requiredOption(
      '--ca-passphrase-file <file>',
      'file holding the CA passphrase, readable by its owner only',
    )
    .option(
      '--server-url <url>',
      'URL of the central server, as the kits will reach it',
      'https://127.0.0.1:8443',
    )
    .option('--insecure-test-kdf', 'TESTS ONLY: cheap scrypt cost (N=2^10) for CA and station keys')
    .action(init);

  registerIssueCommand(pki);

  pki
    .command('revoke')
    .description('revoke a station certificate and publish a new crl.pem (kept in crls/)')
    .requiredOption('--dir <dir>', 'PKI directory')
    .requiredOption(
      '--ca-passphrase-file <file>',
      'file holding the CA passphrase, readable by its owner only',
    )
    .option('--precinct <id>', "the precinct's current certificate")
    .option('--serial <hex>', 'a certificate serial number')
    .requiredOption('--reason <reason>', `one of ${REVOCATION_REASON_NAMES.join(', ')}`)
    .action(revoke);

  pki
    .command('crl')
    .description('re-sign crl.pem from the register (e.g. to extend nextUpdate); kept in crls/')
    .requiredOption('--dir <dir>', 'PKI directory')
    .requiredOption(
      '--ca-passphrase-file <file>',
      'file holding the CA passphrase, readable by its owner only',
    )
    .action(crl);

  pki
    .command('inspect')
    .description('describe a bundle, certificate or CRL in human-readable form')
    .argument('<file>')
    .action(async (file: string) => {
      try {
        process.stdout.write(inspectFile(await readInput(file, FILE_KINDS.file), new Date()));
      } catch (error) {
        reportPkiError(error);
      }
    });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
