import { BaseError, type LocalizedMessage } from '../election/error.ts';

export type CliErrorCode =
  'USAGE' | 'UNREADABLE_INPUT' | 'SECRET_FILE_EXPOSED' | 'CANNOT_WRITE' | 'START_FAILED' | 'FAILED';

/**
 * An error that ends a command with one clear line, German then English, and a chosen exit
 * code (2 for unreadable input or wrong usage, by convention of `tally check`; 1 otherwise).
 * The messages say what went wrong and, where the user can fix it, what to do.
 */
export class CliError extends BaseError<CliErrorCode> {
  readonly exitCode: number;
  readonly messages: LocalizedMessage;

  constructor(
    code: CliErrorCode,
    messages: LocalizedMessage,
    exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(code, messages.en, options);
    this.messages = messages;
    this.exitCode = exitCode;
  }
}

/** The one line a failed command prints on stderr. Newlines inside a message become "; ". */
export function errorLine(messages: LocalizedMessage): string {
  const flat = (text: string) => text.replace(/\s*\n\s*/g, '; ').trim();
  return `wahlkoffer: ${flat(messages.de)} / ${flat(messages.en)}`;
}
