import type { Schnellmeldung } from '../../election/index.ts';

/** What opening and verifying an envelope yields (pki `openMeldung`), as the server uses it. */
export type OpenedMeldung = {
  readonly schnellmeldung: Schnellmeldung;
  /** the canonical Schnellmeldung bytes the station signed */
  readonly signedBytes: Uint8Array;
  /** the CMS SignedData (DER) */
  readonly signedData: Uint8Array;
  /** SHA-256 (hex) of the envelope bytes and of the signed bytes */
  readonly envelopeHash: string;
  readonly contentHash: string;
  readonly signer: {
    readonly precinctId: string;
    readonly electionId: string;
    readonly serial: string;
    readonly fingerprint: string;
  };
  readonly signingTime: Date;
};

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
