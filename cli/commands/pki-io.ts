import { readFile } from 'node:fs/promises';
import { PkiError } from '../../pki/index.ts';
import { CliError } from '../cli-error.ts';

/**
 * Secrets come from files (or a prompt later), never from the command line, where every user
 * of the machine can read them in the process list. One trailing newline is removed.
 */
export async function readSecretFile(file: string, what: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch((error: unknown) => {
    throw new CliError('UNREADABLE_INPUT', `cannot read ${what} file ${file}`, 2, { cause: error });
  });
  const secret = text.replace(/\r?\n$/, '');
  if (secret.length === 0)
    throw new CliError('UNREADABLE_INPUT', `${what} file ${file} is empty`, 2);
  return secret;
}

export async function readInput(file: string, what: string): Promise<Buffer> {
  return readFile(file).catch((error: unknown) => {
    throw new CliError('UNREADABLE_INPUT', `cannot read ${what} ${file}`, 2, { cause: error });
  });
}

/** Prints a PKI refusal in both languages and sets exit code 1. */
export function reportPkiError(error: unknown): void {
  if (!(error instanceof PkiError)) throw error;
  process.stderr.write(`REFUSED ${error.code}: ${error.messages.de} / ${error.message}\n`);
  process.exitCode = 1;
}
