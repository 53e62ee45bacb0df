import { CliError } from '../cli-error.ts';
import { FILE_KINDS } from '../io.ts';
import { readSecretFile } from './pki-io.ts';

const MIN_CA_PASSPHRASE = 12;

/** The CA passphrase from its owner-only file; at least 12 characters. */
export async function caPassphrase(file: string): Promise<string> {
  const secret = await readSecretFile(file, FILE_KINDS.caPassphrase);
  if (secret.length < MIN_CA_PASSPHRASE) {
    throw new CliError(
      'USAGE',
      {
        de: `Die CA-Passphrase braucht mindestens ${MIN_CA_PASSPHRASE} Zeichen.`,
        en: `the CA passphrase needs at least ${MIN_CA_PASSPHRASE} characters.`,
      },
      2,
    );
  }
  return secret;
}
