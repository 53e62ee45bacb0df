/**
 * The one base class for coded errors in every package (sigstore-js pattern).
 * Each domain declares its own subclass with a union of SCREAMING_SNAKE codes,
 * tests assert the code, never the message, and the original error travels as `cause`.
 */
export class BaseError<Code extends string> extends Error {
  readonly code: Code;

  constructor(code: Code, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** A localised, user-facing message: German for poll workers and office staff, English for logs and auditors. */
export type LocalizedMessage = { readonly de: string; readonly en: string };

/** Exhaustiveness guard for `switch` statements over unions. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
