import { open } from 'node:fs/promises';
import { PkiError } from './error.ts';

/** Permission bits for group and others: a secret file must have none of them (like ssh). */
const GROUP_OR_OTHERS = 0o077;

/**
 * Reads a secret file (a passphrase, a private key, the TOTP store key) and refuses it when
 * its group or others may read or write it — the rule ssh applies to private keys: a secret that
 * every user of the machine can read is no longer a secret, and saying so at once is better
 * than using it. The mode is checked on the opened file, not on the path, so the file cannot
 * be swapped between the check and the read.
 */
export async function readSecretBytes(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const { mode } = await handle.stat();
    if ((mode & GROUP_OR_OTHERS) !== 0) {
      throw new PkiError(
        'SECRET_FILE_EXPOSED',
        `${file} has mode ${(mode & 0o777).toString(8).padStart(4, '0')}; run chmod 600 ${file}`,
      );
    }
    return await handle.readFile();
  } finally {
    await handle.close();
  }
}

export async function readSecretText(file: string): Promise<string> {
  return (await readSecretBytes(file)).toString('utf8');
}
