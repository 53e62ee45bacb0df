import { SERVER_REFUSALS, type ServerRefusalCode } from '../api/index.ts';
import { BaseError } from '../election/index.ts';

/** The server's own refusal codes; their statuses and texts are the contract's (api/refusals.ts). */
export type ServerErrorCode = ServerRefusalCode;

/**
 * A coded refusal. Services throw it; only the error middleware knows HTTP. `details` travel to
 * the client (e.g. findings, retryAfterSeconds).
 */
export class ServerError extends BaseError<ServerErrorCode> {
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ServerErrorCode,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, SERVER_REFUSALS[code].en, options);
    this.details = details;
  }
}
