import { PkiError, type PkiErrorCode } from '../../pki/index.ts';
import { SERVER_ERRORS, ServerError } from '../errors.ts';

/** The error body of every refusal: German `message` (kits, office), English `messageEn`. */
export type ErrorBody = {
  error: {
    code: string;
    message: string;
    messageEn: string;
    requestId: string;
    [detail: string]: unknown;
  };
};

const PKI_STATUS: Partial<Record<PkiErrorCode, number>> = {
  ENVELOPE_TOO_LARGE: 413,
  SESSION_PROOF_INVALID: 401,
  CERT_EXPIRED: 403,
  CERT_NOT_YET_VALID: 403,
  CERT_UNTRUSTED: 403,
  CERT_REVOKED: 403,
  CERT_WRONG_USAGE: 403,
  CERT_WRONG_ELECTION: 403,
  CERT_WRONG_PRECINCT: 403,
  CRL_INVALID: 503,
  CRL_EXPIRED: 503,
  STORE_MALFORMED: 503,
};

/** Maps any thrown value to (status, body). Unknown errors become INTERNAL_ERROR (500). */
export function toErrorResponse(
  error: unknown,
  requestId: string,
): { status: number; body: ErrorBody; known: boolean } {
  if (error instanceof ServerError) {
    const entry = SERVER_ERRORS[error.code];
    return {
      status: entry.status,
      body: {
        error: {
          code: error.code,
          message: entry.de,
          messageEn: entry.en,
          requestId,
          ...error.details,
        },
      },
      known: true,
    };
  }
  if (error instanceof PkiError) {
    return {
      status: PKI_STATUS[error.code] ?? 400,
      body: {
        error: {
          code: error.code,
          message: error.messages.de,
          messageEn: error.messages.en,
          requestId,
        },
      },
      known: true,
    };
  }
  const entry = SERVER_ERRORS.INTERNAL_ERROR;
  return {
    status: 500,
    body: {
      error: { code: 'INTERNAL_ERROR', message: entry.de, messageEn: entry.en, requestId },
    },
    known: false,
  };
}
