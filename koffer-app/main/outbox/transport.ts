import type { LocalizedMessage } from '../../../election/index.ts';

/**
 * What one delivery attempt of a sealed report produced. The outbox only needs these four
 * outcomes; the HTTP details (paths, status codes, TLS with the pinned root) belong to the
 * station client of the HTTP contract, adapted in transmission.ts.
 */
export type DeliveryAnswer =
  /** the server stored the report (or had it already): its signed receipt (JWS) */
  | { readonly kind: 'ACCEPTED'; readonly receipt: string; readonly repeat: boolean }
  /** the server refused the report with a code: retrying the same bytes cannot help */
  | { readonly kind: 'REFUSED'; readonly code: string; readonly messages: LocalizedMessage }
  /** no (valid) session: the Wahlvorsteher's TOTP code is needed again */
  | { readonly kind: 'SESSION_REQUIRED' }
  /** no answer, a dropped connection, a 5xx or 429: try again later */
  | { readonly kind: 'UNAVAILABLE'; readonly detail: string };

export type Transport = { deliver(envelope: string): Promise<DeliveryAnswer> };
