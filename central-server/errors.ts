import { BaseError, type LocalizedMessage } from '../election/index.ts';

/**
 * Every refusal the server answers with, as a stable code with its HTTP status and a German
 * (for the kit and the office) and English (for logs, auditors, `Accept-Language: en`) message.
 * Services throw `ServerError`; only the error middleware knows HTTP (../docs/api.md lists all).
 */
export const SERVER_ERRORS = {
  INVALID_JSON: {
    status: 400,
    de: 'Die Anfrage ist kein gültiges JSON.',
    en: 'The request body is not valid JSON.',
  },
  INVALID_REQUEST: {
    status: 400,
    de: 'Die Anfrage hat nicht das erwartete Format.',
    en: 'The request does not have the expected shape.',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    status: 415,
    de: 'Die Anfrage muss als application/json gesendet werden.',
    en: 'The request must be sent as application/json.',
  },
  PAYLOAD_TOO_LARGE: {
    status: 413,
    de: 'Die Anfrage ist zu groß.',
    en: 'The request body exceeds the size limit.',
  },
  NOT_FOUND: { status: 404, de: 'Diese Adresse gibt es nicht.', en: 'No such endpoint.' },
  CHALLENGE_INVALID: {
    status: 401,
    de: 'Die Anmelde-Aufgabe ist ungültig. Bitte neu anmelden.',
    en: 'The session challenge is invalid.',
  },
  CHALLENGE_EXPIRED: {
    status: 401,
    de: 'Die Anmelde-Aufgabe ist abgelaufen. Bitte neu anmelden.',
    en: 'The session challenge has expired.',
  },
  STATION_UNKNOWN: {
    status: 403,
    de: 'Dieser Wahlkoffer ist beim Wahlamt nicht registriert.',
    en: 'This station is not in the server’s station register.',
  },
  TOTP_INVALID: {
    status: 401,
    de: 'Der Einmalcode ist falsch oder abgelaufen.',
    en: 'The one-time code is wrong or expired.',
  },
  TOTP_REPLAYED: {
    status: 401,
    de: 'Dieser Einmalcode wurde schon verwendet. Bitte den nächsten Code abwarten.',
    en: 'This one-time code has already been used.',
  },
  SESSION_LOCKED: {
    status: 429,
    de: 'Zu viele falsche Einmalcodes. Bitte warten und es dann erneut versuchen.',
    en: 'Too many wrong one-time codes; wait before trying again.',
  },
  TOKEN_MISSING: {
    status: 401,
    de: 'Keine Sitzung. Bitte zuerst anmelden.',
    en: 'No session token (Authorization: Bearer …) was sent.',
  },
  TOKEN_INVALID: {
    status: 401,
    de: 'Die Sitzung ist ungültig. Bitte neu anmelden.',
    en: 'The session token is invalid.',
  },
  TOKEN_EXPIRED: {
    status: 401,
    de: 'Die Sitzung ist abgelaufen. Bitte neu anmelden.',
    en: 'The session token has expired.',
  },
  PRECINCT_FORBIDDEN: {
    status: 403,
    de: 'Diese Sitzung gilt nur für den eigenen Stimmbezirk.',
    en: 'The session is not valid for this precinct.',
  },
  PRECINCT_MISMATCH: {
    status: 403,
    de: 'Die Meldung ist für einen anderen Stimmbezirk signiert als den der Sitzung.',
    en: 'The report’s signer belongs to another precinct than the session.',
  },
  CERTIFICATE_MISMATCH: {
    status: 403,
    de: 'Die Meldung ist mit einem anderen Zertifikat signiert als dem der Sitzung. Bitte neu anmelden.',
    en: 'The report is signed with another certificate than the session’s.',
  },
  ELECTION_MISMATCH: {
    status: 403,
    de: 'Die Meldung gehört zu einer anderen Wahl.',
    en: 'The report belongs to another election.',
  },
  REVISION_CONFLICT: {
    status: 409,
    de: 'Für diese Fassung liegt schon eine andere Meldung vor. Eine Berichtigung braucht eine höhere Fassungsnummer.',
    en: 'Another report with this revision was already accepted; a correction needs a higher revision.',
  },
  REVISION_OUTDATED: {
    status: 409,
    de: 'Es liegt schon eine neuere Fassung vor; diese ältere Meldung wird nicht gezählt.',
    en: 'A newer revision was already accepted; this older report is not counted.',
  },
  PLAUSIBILITY_ERROR: {
    status: 422,
    de: 'Die Meldung enthält Fehler und wurde nicht angenommen.',
    en: 'The report has plausibility errors and was not accepted.',
  },
  UNACKNOWLEDGED_WARNING: {
    status: 422,
    de: 'Die Meldung enthält Warnungen ohne Begründung.',
    en: 'The report has warnings that were not acknowledged with a reason.',
  },
  SERVER_BUSY: {
    status: 503,
    de: 'Der Server ist ausgelastet. Die Meldung wird automatisch erneut gesendet.',
    en: 'The server is overloaded; retry later.',
  },
  STORAGE_FAILED: {
    status: 503,
    de: 'Die Meldung konnte nicht gespeichert werden. Sie wird automatisch erneut gesendet.',
    en: 'The report could not be stored; nothing was accepted. Retry later.',
  },
  INTERNAL_ERROR: {
    status: 500,
    de: 'Interner Fehler des Servers.',
    en: 'Internal server error.',
  },
} as const satisfies Record<string, LocalizedMessage & { status: number }>;

export type ServerErrorCode = keyof typeof SERVER_ERRORS;

/** A coded refusal; `details` travel to the client (e.g. findings, retryAfterSeconds). */
export class ServerError extends BaseError<ServerErrorCode> {
  readonly details: Readonly<Record<string, unknown>>;

  constructor(
    code: ServerErrorCode,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(code, SERVER_ERRORS[code].en, options);
    this.details = details;
  }
}
