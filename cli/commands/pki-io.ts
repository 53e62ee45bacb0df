import { PkiError, readSecretText } from '../../pki/index.ts';
import type { LocalizedMessage } from '../../election/error.ts';
import { CliError } from '../cli-error.ts';
import { describeSystemError } from '../system-error.ts';

export { readInputBytes as readInput } from '../io.ts';

/**
 * Secrets come from files (or a prompt later), never from the command line, where every user
 * of the machine can read them in the process list. The file must be readable by its owner
 * only (as ssh demands of a private key); one trailing newline is removed.
 */
export async function readSecretFile(file: string, what: LocalizedMessage): Promise<string> {
  let text: string;
  try {
    text = await readSecretText(file);
  } catch (error) {
    if (error instanceof PkiError && error.code === 'SECRET_FILE_EXPOSED') {
      throw new CliError(
        'SECRET_FILE_EXPOSED',
        {
          de: `${what.de} ${file} ist für andere Benutzer lesbar; bitte erst "chmod 600 ${file}" ausführen.`,
          en: `${what.en} ${file} is readable by other users; run "chmod 600 ${file}" first.`,
        },
        2,
        { cause: error },
      );
    }
    const system = describeSystemError(error, { withPath: false });
    throw new CliError(
      'UNREADABLE_INPUT',
      {
        de: `${what.de} ${file} ist nicht lesbar: ${system?.de ?? String(error)}`,
        en: `cannot read ${what.en} ${file}: ${system?.en ?? String(error)}`,
      },
      2,
      { cause: error },
    );
  }
  const secret = text.replace(/\r?\n$/, '');
  if (secret.length === 0) {
    throw new CliError(
      'UNREADABLE_INPUT',
      { de: `${what.de} ${file} ist leer.`, en: `${what.en} ${file} is empty.` },
      2,
    );
  }
  return secret;
}

/**
 * Prints a PKI refusal as one line — code, German, English with the detail — and sets exit
 * code 1 (a refusal is an answer, not a failure of the command).
 */
export function reportPkiError(error: unknown): void {
  if (!(error instanceof PkiError)) throw error;
  const line = `REFUSED ${error.code}: ${error.messages.de} / ${error.message}`;
  process.stderr.write(`${line.replace(/\s*\n\s*/g, '; ')}\n`);
  process.exitCode = 1;
}
