import type { OpenedMeldung } from '../../pki/index.ts';

/** What opening and verifying an envelope yields (pki `openMeldung`). */
export type { OpenedMeldung };

/** Opens and verifies a sealed report; throws PkiError with a code on any refusal. */
export type EnvelopeOpener = (body: Uint8Array, now: Date) => Promise<OpenedMeldung>;

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
};

export type ReceiptSigner = (fields: ReceiptFields) => {
  readonly receipt: Uint8Array;
  readonly receiptCode: string;
};

/** What the kit gets for an accepted (or repeated) report. */
export type AcceptedAnswer = {
  readonly status: 'ACCEPTED';
  readonly sequence: number;
  readonly receipt: string;
  readonly receiptCode: string;
  readonly revision: number;
  /** false for an idempotent repeat (HTTP 200 instead of 201) */
  readonly created: boolean;
};
