import { SERVER_REFUSALS, errorBody, pkiRefusal, type ErrorBody } from '../../api/index.ts';
import { PkiError } from '../../pki/index.ts';
import { ServerError } from '../errors.ts';

/** Maps any thrown value to (status, body). Unknown errors become INTERNAL_ERROR (500). */
export function toErrorResponse(
  error: unknown,
  requestId: string,
): { status: number; body: ErrorBody; known: boolean } {
  if (error instanceof ServerError) {
    const refusal = SERVER_REFUSALS[error.code];
    return {
      status: refusal.status,
      body: errorBody(error.code, refusal, requestId, error.details),
      known: true,
    };
  }
  if (error instanceof PkiError) {
    const refusal = pkiRefusal(error.code);
    return { status: refusal.status, body: errorBody(error.code, refusal, requestId), known: true };
  }
  return {
    status: 500,
    body: errorBody('INTERNAL_ERROR', SERVER_REFUSALS.INTERNAL_ERROR, requestId),
    known: false,
  };
}
