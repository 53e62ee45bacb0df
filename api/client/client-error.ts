import { BaseError, type LocalizedMessage } from '../../election/index.ts';
import type { FindingSchema } from '../schemas.ts';
import { REFUSALS, type RefusalCode } from '../refusals.ts';
import type { z } from 'zod';

/** What goes wrong on the client's side of a call, besides the server's refusals. */
export const CLIENT_FAILURES = {
  NETWORK_FAILED: {
    de: 'Keine Verbindung zum Server (Netz unterbrochen oder Server nicht erreichbar).',
    en: 'No answer from the server (network down or server unreachable).',
  },
  REPLY_MALFORMED: {
    de: 'Der Server hat anders geantwortet, als vereinbart ist.',
    en: 'The server’s reply does not match the API contract.',
  },
  TLS_REFUSED: {
    de: 'Das Zertifikat des Servers gehört nicht zur Wahl-PKI (oder dort spricht kein TLS-Server): keine Verbindung aufgebaut.',
    en: 'The server’s certificate does not chain to the pinned election root (or no TLS server answers there): not connected.',
  },
  UNKNOWN_REFUSAL: {
    de: 'Der Server hat die Anfrage mit einem unbekannten Code abgelehnt.',
    en: 'The server refused the request with a code this client does not know.',
  },
} as const satisfies Record<string, LocalizedMessage>;

export type ClientFailureCode = keyof typeof CLIENT_FAILURES;
export type ApiClientErrorCode = RefusalCode | ClientFailureCode;

export type Finding = z.infer<typeof FindingSchema>;

/** The details a refusal may carry (docs/api.md "Errors"). */
export type RefusalDetails = {
  readonly findings?: readonly Finding[];
  readonly retryAfterSeconds?: number;
  readonly acceptedRevision?: number;
  /** UNKNOWN_REFUSAL: the code the server sent */
  readonly serverCode?: string;
};

/**
 * A call that did not succeed: the server's coded refusal (with its HTTP status, German and
 * English message and details), or a client-side failure (no answer, a reply outside the
 * contract). Programs branch on `code`; `retryable` says whether sending the same bytes again
 * may succeed (no answer, or a 5xx: nothing was stored).
 */
export class ApiClientError extends BaseError<ApiClientErrorCode> {
  readonly status: number | undefined;
  readonly messages: LocalizedMessage;
  readonly details: RefusalDetails;
  readonly requestId: string | undefined;

  constructor(
    code: ApiClientErrorCode,
    init: {
      readonly status?: number;
      readonly messages?: LocalizedMessage;
      readonly details?: RefusalDetails;
      readonly requestId?: string;
      readonly detail?: string;
      readonly cause?: unknown;
    } = {},
  ) {
    const messages =
      init.messages ??
      (code in CLIENT_FAILURES
        ? CLIENT_FAILURES[code as ClientFailureCode]
        : REFUSALS[code as RefusalCode]);
    const where = init.status === undefined ? '' : ` (HTTP ${init.status})`;
    const detail = init.detail === undefined ? '' : `: ${init.detail}`;
    super(code, `${code}${where}: ${messages.en}${detail}`, { cause: init.cause });
    this.status = init.status;
    this.messages = messages;
    this.details = init.details ?? {};
    this.requestId = init.requestId;
  }

  /**
   * no answer, or the server answered 5xx (nothing stored): the same bytes may be sent again.
   * Not TLS_REFUSED: a server that shows a certificate outside the pinned root shows it again.
   */
  get retryable(): boolean {
    return this.code === 'NETWORK_FAILED' || (this.status !== undefined && this.status >= 500);
  }

  /** a coded refusal by the server (a 4xx): sending the same bytes again gets the same answer */
  get refused(): boolean {
    return (
      !(this.code in CLIENT_FAILURES) &&
      this.status !== undefined &&
      this.status >= 400 &&
      this.status < 500
    );
  }
}
