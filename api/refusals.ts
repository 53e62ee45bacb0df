import { PKI_MESSAGES, type PkiErrorCode } from '../pki/index.ts';
import type { LocalizedMessage } from '../election/index.ts';

/** A refusal as the contract states it: its HTTP status and its German and English message. */
export type Refusal = LocalizedMessage & { readonly status: number };

/**
 * The server's own refusals, as stable codes with their HTTP status and a German (for the kit
 * and the office) and English (for logs, auditors) message. The server throws them
 * (`ServerError`), clients branch on them; docs/api.md lists them all.
 */
export const SERVER_REFUSALS = {
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
  LOG_EMPTY: {
    status: 404,
    de: 'Das Transparenzprotokoll ist noch leer: es wurde noch keine Meldung angenommen.',
    en: 'The transparency log is empty: no report has been accepted yet.',
  },
  LOG_RANGE_INVALID: {
    status: 400,
    de: 'Diese Position oder Baumgröße gibt es im Transparenzprotokoll nicht (nur signierte Stände).',
    en: 'No such leaf index or tree size in the transparency log (only signed sizes are served).',
  },
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
  SERVER_CLOCK_BEHIND: {
    status: 503,
    de: 'Die Uhr des Servers geht nach. Das Wahlamt korrigiert sie; bitte in einigen Minuten erneut anmelden.',
    en: 'The server clock is behind the time of a one-time code it already accepted; the office must correct it.',
  },
  CERTIFICATE_SUPERSEDED: {
    status: 403,
    de: 'Für diesen Stimmbezirk wurde ein neuer Wahlkoffer ausgegeben. Bitte den neuen Wahlkoffer verwenden.',
    en: 'A newer certificate was issued for this precinct; this one no longer opens sessions.',
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
  PHONED_RESULT_ALREADY_REPORTED: {
    status: 409,
    de: 'Für diesen Stimmbezirk liegt schon eine gezählte Meldung vor; ein telefonisch durchgegebenes Ergebnis ersetzt sie nicht.',
    en: 'This district already has a counted report; a phoned-in result does not replace it.',
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
} as const satisfies Record<string, Refusal>;

export type ServerRefusalCode = keyof typeof SERVER_REFUSALS;

/**
 * The pki package's refusals that reach clients (opening a sealed report, checking a station's
 * session proof and its certificate), with the HTTP status the server answers them with. Their
 * texts are pki's own (PKI_MESSAGES). A CRL or PKI-directory problem is the server's, hence 503.
 */
export const PKI_REFUSAL_STATUS = {
  ENVELOPE_MALFORMED: 400,
  ENVELOPE_WRONG_PURPOSE: 400,
  WRONG_RECIPIENT: 400,
  DECRYPTION_FAILED: 400,
  SIGNED_DATA_MALFORMED: 400,
  SIGNATURE_INVALID: 400,
  DIGEST_MISMATCH: 400,
  SIGNING_TIME_INVALID: 400,
  CERT_MALFORMED: 400,
  TALLY_MALFORMED: 400,
  SESSION_PROOF_INVALID: 401,
  ENVELOPE_TOO_LARGE: 413,
  CERT_EXPIRED: 403,
  CERT_NOT_YET_VALID: 403,
  CERT_UNTRUSTED: 403,
  CERT_REVOKED: 403,
  CERT_WRONG_USAGE: 403,
  CERT_WRONG_ELECTION: 403,
  CERT_WRONG_PRECINCT: 403,
  CRL_INVALID: 503,
  CRL_EXPIRED: 503,
  CRL_NOT_NEWER: 503,
  STORE_MALFORMED: 503,
} as const satisfies Partial<Record<PkiErrorCode, number>>;

export type PkiRefusalCode = keyof typeof PKI_REFUSAL_STATUS;

/** Every code a client can be refused with. */
export type RefusalCode = ServerRefusalCode | PkiRefusalCode;

/** The whole catalogue: code → status and messages. */
export const REFUSALS: Readonly<Record<RefusalCode, Refusal>> = {
  ...SERVER_REFUSALS,
  ...(Object.fromEntries(
    Object.entries(PKI_REFUSAL_STATUS).map(([code, status]) => [
      code,
      { status, ...PKI_MESSAGES[code as PkiRefusalCode] },
    ]),
  ) as Record<PkiRefusalCode, Refusal>),
};

export function isRefusalCode(code: string): code is RefusalCode {
  return Object.hasOwn(REFUSALS, code);
}

/**
 * A pki error code that reaches a client, with its status; a pki code outside the catalogue
 * (none is thrown on a client's path today) is answered as a malformed request (400).
 */
export function pkiRefusal(code: PkiErrorCode): Refusal {
  return Object.hasOwn(PKI_REFUSAL_STATUS, code)
    ? REFUSALS[code as PkiRefusalCode]
    : { status: 400, ...PKI_MESSAGES[code] };
}
