import type { Tally } from '../../../election/index.ts';
import type { ReportSource } from '../../intake/ledger.ts';
import type { ResultIdentity } from '../../intake/result-identity.ts';

/** A report became current (a kit's, a correction, or a phoned-in result): its receipt number. */
export type AcceptedEvent = {
  readonly kind: 'accepted';
  readonly report: Tally;
  readonly sequence: number;
  readonly source: ReportSource;
  readonly at: Date;
  /** the report's result identity when the intake already worked it out */
  readonly resultIdentity?: ResultIdentity;
};

/**
 * An attempt the server refused: a report (`report`, the district's state may become
 * "abgelehnt"), a session request of a known station (`session`, a wrong or replayed TOTP code),
 * or a request without a valid session (`request`: no station known, only the peer address).
 */
export type RefusedEvent = {
  readonly kind: 'refused';
  readonly attempt: 'report' | 'session' | 'request';
  readonly at: Date;
  /** the refusal code (api/refusals.ts), its German and English reason come from there */
  readonly code: string;
  readonly precinctId: string | null;
  /** the peer address, for a request without a session */
  readonly origin: string | null;
};

/** The receipt code of a report matched on the phone (office/actions/phone-confirmation.ts). */
export type ConfirmedEvent = {
  readonly kind: 'confirmed';
  readonly precinctId: string;
  readonly contestId: string;
  readonly sequence: number;
  readonly by: string;
  readonly at: Date;
};

export type BoardEvent = AcceptedEvent | RefusedEvent | ConfirmedEvent;

/** A refused attempt as the board lists it. */
export type RefusalEntry = Omit<RefusedEvent, 'kind'>;
