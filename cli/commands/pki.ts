import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import cliProgress from 'cli-progress';
import { ElectionDefinitionSchema } from '../../election/index.ts';
import {
  REVOCATION_REASON_NAMES,
  TEST_SCRYPT_COST,
  initPki,
  issueStations,
  openCa,
  regenerateCrl,
  revokeStation,
  type RevocationReason,
} from '../../pki/index.ts';
import { CliError } from '../cli-error.ts';
import { inspectFile } from '../../pki/index.ts';
import { readInput, readSecretFile, reportPkiError } from './pki-io.ts';
import { registerSealCommands } from './seal.ts';

const MIN_CA_PASSPHRASE = 12;

async function caPassphrase(file: string): Promise<string> {
  const secret = await readSecretFile(file, 'CA passphrase');
  if (secret.length < MIN_CA_PASSPHRASE) {
    throw new CliError(
      'USAGE',
      `the CA passphrase needs at least ${MIN_CA_PASSPHRASE} characters`,
      2,
    );
  }
  return secret;
}

/** Registers `pki init|issue|revoke|crl|inspect` and the station-side `seal` / office-side `open`. */
export function registerPkiCommands(program: Command): void {
  registerSealCommands(program);
  const pki = program
    .command('pki')
    .description('election PKI: CA ceremony, station certificates, revocation');

  pki
    .command('init')
    .description('create root CA, issuing CA, server certificates and an empty CRL in <dir>')
    .requiredOption('--dir <dir>', 'PKI directory (must not exist or be empty)')
    .requiredOption('--election <file>', 'election definition (election.json)')
    .requiredOption('--ca-passphrase-file <file>', 'file holding the CA passphrase')
    .option('--server-url <url>', 'URL of the central server', 'https://127.0.0.1:8443')
    .option('--insecure-test-kdf', 'TESTS ONLY: cheap scrypt cost (N=2^10) for CA and station keys')
    .action(
      async (o: {
        dir: string;
        election: string;
        caPassphraseFile: string;
        serverUrl: string;
        insecureTestKdf?: boolean;
      }) => {
        const raw = await readInput(o.election, 'election definition');
        const parsed = ElectionDefinitionSchema.safeParse(safeJson(raw));
        if (!parsed.success)
          throw new CliError(
            'UNREADABLE_INPUT',
            `${o.election} is not a valid election definition`,
            2,
          );
        try {
          await initPki({
            dir: o.dir,
            election: parsed.data,
            caPassphrase: await caPassphrase(o.caPassphraseFile),
            serverUrl: o.serverUrl,
            now: new Date(),
            ...(o.insecureTestKdf === true ? { kdfCost: TEST_SCRYPT_COST } : {}),
          });
          process.stdout.write(`PKI for election ${parsed.data.id} created in ${o.dir}\n`);
        } catch (error) {
          reportPkiError(error);
        }
      },
    );

  pki
    .command('issue')
    .description(
      'issue station certificates; writes <out>/<precinctId>/bundle.json and letter.html',
    )
    .requiredOption('--dir <dir>', 'PKI directory')
    .requiredOption('--ca-passphrase-file <file>', 'file holding the CA passphrase')
    .option('--precinct <id>', 'one precinct')
    .option('--all', 'every precinct of the election')
    .requiredOption('--out <dir>', 'output directory for bundles and letters')
    .option(
      '--reveal-secrets <file>',
      'DEMOS/SIMULATION/TESTS ONLY: also write passphrases and TOTP secrets as JSON',
    )
    .action(
      async (o: {
        dir: string;
        caPassphraseFile: string;
        precinct?: string;
        all?: boolean;
        out: string;
        revealSecrets?: string;
      }) => {
        if ((o.precinct === undefined) === (o.all !== true)) {
          throw new CliError('USAGE', 'give exactly one of --precinct <id> or --all', 2);
        }
        try {
          const ca = await openCa(o.dir, await caPassphrase(o.caPassphraseFile));
          const ids = o.all === true ? ca.election.precincts.map((p) => p.id) : [o.precinct!];
          const bar = new cliProgress.SingleBar(
            { format: 'issuing {bar} {value}/{total} stations, {duration}s' },
            cliProgress.Presets.shades_classic,
          );
          bar.start(ids.length, 0);
          const started = performance.now();
          const issued = await issueStations(ca, ids, {
            outDir: o.out,
            now: new Date(),
            onProgress: (done) => bar.update(done),
          });
          bar.stop();
          const seconds = (performance.now() - started) / 1000;
          process.stdout.write(
            `issued ${issued.length} station certificates in ${seconds.toFixed(1)} s → ${o.out}\n`,
          );
          if (o.revealSecrets !== undefined) {
            const secrets = Object.fromEntries(
              issued.map((s) => [
                s.precinctId,
                { passphrase: s.passphrase, totpSecret: s.totpSecret },
              ]),
            );
            await writeFile(o.revealSecrets, `${JSON.stringify(secrets, null, 1)}\n`, {
              mode: 0o600,
            });
            process.stdout.write(`secrets written to ${o.revealSecrets} (demo/test use only)\n`);
          }
        } catch (error) {
          reportPkiError(error);
        }
      },
    );

  pki
    .command('revoke')
    .description('revoke a station certificate and regenerate crl.pem')
    .requiredOption('--dir <dir>', 'PKI directory')
    .requiredOption('--ca-passphrase-file <file>', 'file holding the CA passphrase')
    .option('--precinct <id>', "the precinct's current certificate")
    .option('--serial <hex>', 'a certificate serial number')
    .requiredOption('--reason <reason>', `one of ${REVOCATION_REASON_NAMES.join(', ')}`)
    .action(
      async (o: {
        dir: string;
        caPassphraseFile: string;
        precinct?: string;
        serial?: string;
        reason: string;
      }) => {
        if ((o.precinct === undefined) === (o.serial === undefined)) {
          throw new CliError('USAGE', 'give exactly one of --precinct <id> or --serial <hex>', 2);
        }
        if (!(REVOCATION_REASON_NAMES as string[]).includes(o.reason)) {
          throw new CliError(
            'USAGE',
            `--reason must be one of ${REVOCATION_REASON_NAMES.join(', ')}`,
            2,
          );
        }
        try {
          const ca = await openCa(o.dir, await caPassphrase(o.caPassphraseFile));
          const target =
            o.precinct !== undefined ? { precinctId: o.precinct } : { serial: o.serial! };
          const record = await revokeStation(ca, target, o.reason as RevocationReason, new Date());
          process.stdout.write(
            `revoked ${record.precinctId} serial ${record.serial} (${record.reason}); crl.pem updated\n`,
          );
        } catch (error) {
          reportPkiError(error);
        }
      },
    );

  pki
    .command('crl')
    .description('re-sign crl.pem from the register (e.g. to extend nextUpdate)')
    .requiredOption('--dir <dir>', 'PKI directory')
    .requiredOption('--ca-passphrase-file <file>', 'file holding the CA passphrase')
    .action(async (o: { dir: string; caPassphraseFile: string }) => {
      try {
        const ca = await openCa(o.dir, await caPassphrase(o.caPassphraseFile));
        await regenerateCrl(ca, new Date());
        const revoked = ca.register.certificates.filter((r) => r.status === 'REVOKED').length;
        process.stdout.write(`crl.pem re-signed: ${revoked} revoked certificate(s)\n`);
      } catch (error) {
        reportPkiError(error);
      }
    });

  pki
    .command('inspect')
    .description('describe a bundle, certificate or CRL in human-readable form')
    .argument('<file>')
    .action(async (file: string) => {
      try {
        process.stdout.write(inspectFile(await readInput(file, 'file'), new Date()));
      } catch (error) {
        reportPkiError(error);
      }
    });
}

function safeJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}
