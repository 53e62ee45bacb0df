import type { Schnellmeldung } from '../../election/index.ts';
import type { OpenedMeldung, PkiError } from '../../pki/index.ts';
import type { ServerError } from '../errors.ts';
import type { LogInclusion } from '../../transparency/index.ts';

/** What opening and verifying an envelope yields (pki `openMeldung`). */
export type { OpenedMeldung };

/**
 * An opened report as the intake takes it: pki's `OpenedMeldung` and the SHA-256 (hex) of its
 * SignedData, which the report's transparency-log leaf names (decisions/0091) — taken where the
 * bytes are opened, in a verification worker, not again on the main thread.
 */
export type OpenedReport = OpenedMeldung & { readonly signedDataHash: string };

/** Opens and verifies a sealed report; throws PkiError with a code on any refusal. */
export type EnvelopeOpener = (body: Uint8Array, now: Date) => Promise<OpenedReport>;

/** The fields a receipt vouches for (pki `signReceipt`). */
export type ReceiptFields = {
  readonly electionId: string;
  readonly precinctId: string;
  readonly contestId: string;
  readonly revision: number;
  readonly sequence: number;
  /** SHA-256 (hex) of the signed Schnellmeldung bytes */
  readonly reportHash: string;
  readonly envelopeHash: string;
  readonly receivedAt: Date;
  /** the report's place in the transparency log: index, inclusion proof, checkpoint */
  readonly log?: (LogInclusion & { readonly signedDataHash?: string }) | undefined;
};

/** A receipt, signed once the batch's checkpoint exists (it carries the inclusion proof). */
export type SignedReceipt = {
  /** the JWS as stored */
  readonly receipt: Uint8Array;
  readonly receiptCode: string;
  /**
   * the base64 of `receipt` as ASCII bytes, in a buffer of its own: the text the kit is answered
   * with, made where the receipt is signed, so the main thread copies it into the answer without
   * encoding it (or making a string of it)
   */
  readonly text: Uint8Array;
};

/**
 * Signs the receipts of one batch, in order. With verification workers they are signed there:
 * the main thread's time is what limits the server's throughput (decision 0088's sibling in 0067).
 */
export type ReceiptSigner = (fields: readonly ReceiptFields[]) => Promise<readonly SignedReceipt[]>;

/** A coded refusal of a report: the error the kit is answered with, kept as it was thrown. */
export type IntakeRefusal = ServerError | PkiError;

/** A report that passed the session and envelope checks and now needs the stateful ones. */
export type Candidate = {
  readonly kind: 'candidate';
  readonly requestId: string;
  readonly receivedAt: Date;
  readonly body: Uint8Array;
  readonly opened: OpenedReport;
};

/** A report refused before the writer (session, envelope, signer); stored as a rejected attempt. */
export type Refused = {
  readonly kind: 'refused';
  readonly requestId: string;
  readonly receivedAt: Date;
  readonly body: Uint8Array;
  /** the session's precinct, when the session was valid */
  readonly precinctId: string | null;
  readonly refusal: IntakeRefusal;
};

/** An office operator who typed a phoned-in result (the office user's id and name). */
export type OfficeOperator = { readonly id: string; readonly name: string };

/**
 * A result phoned in by a polling station whose kit failed, typed twice by two different office
 * operators (election/four-eyes) and agreed: it enters the same writer queue as the kits'
 * reports, so it is numbered, receipted, audit-logged and counted exactly like them, but is
 * stored with source "telefonisch" and without a station signature (decisions/0089).
 */
export type PhonedIn = {
  readonly kind: 'phoned';
  readonly requestId: string;
  readonly receivedAt: Date;
  readonly schnellmeldung: Schnellmeldung;
  /** the canonical JSON (RFC 8785) of the Schnellmeldung, and its SHA-256 (hex) */
  readonly bytes: Uint8Array;
  readonly contentHash: string;
  readonly operators: readonly [OfficeOperator, OfficeOperator];
};

export type IntakeItem = Candidate | Refused | PhonedIn;

export type IntakeOutcome =
  | {
      readonly kind: 'accepted';
      readonly sequence: number;
      readonly revision: number;
      readonly created: boolean;
      /** the signed receipt of a new report (a repeat's is looked up) */
      readonly receipt?: SignedReceipt;
    }
  | { readonly kind: 'rejected'; readonly refusal: IntakeRefusal }
  | { readonly kind: 'failed'; readonly code: 'STORAGE_FAILED' | 'SERVER_BUSY' };

/**
 * What the kit gets for an accepted (or repeated) report: the fields of api's `ReportAccepted`,
 * with the receipt as its base64 text in bytes (http/accepted-answer.ts writes the answer).
 */
export type AcceptedAnswer = {
  readonly sequence: number;
  readonly revision: number;
  readonly receiptCode: string;
  /** base64 of the stored receipt, as ASCII bytes */
  readonly receiptText: Uint8Array;
  /** false for an idempotent repeat (HTTP 200 instead of 201) */
  readonly created: boolean;
};
