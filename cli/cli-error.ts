import { BaseError } from '../election/error.ts';

export type CliErrorCode = 'USAGE' | 'UNREADABLE_INPUT' | 'FAILED';

/**
 * An error that ends a command with a clear one-line message and a chosen exit code
 * (2 for unreadable input or wrong usage, by convention of `tally check`).
 */
export class CliError extends BaseError<CliErrorCode> {
  readonly exitCode: number;

  constructor(
    code: CliErrorCode,
    message: string,
    exitCode: number,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.exitCode = exitCode;
  }
}
