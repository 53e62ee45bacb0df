import type { PkiErrorCode } from '../../pki/index.ts';
import type { PreloadProgress } from '../ports.ts';
import type { OpenedWire } from './opened-wire.ts';
import type { ReceiptFields, SignedReceipt } from './types.ts';

/**
 * What the main thread says to its verification workers (envelopes to open) and to its
 * receipt-signing thread (a batch's receipts), and what they answer. Jobs and their replies go in
 * lists, one message per turn of the sender's event loop (threads/turn-batch.ts); each reply
 * names its job by id.
 */
export type EnvelopeJob = { readonly id: number; readonly body: Uint8Array; readonly now: number };
export type ReceiptsJob = { readonly id: number; readonly sign: readonly ReceiptFields[] };
export type VerifyJob = EnvelopeJob | ReceiptsJob;

export type VerifyReply =
  | { readonly id: number; readonly ok: true; readonly opened: OpenedWire }
  | { readonly id: number; readonly ok: true; readonly signed: readonly SignedReceipt[] }
  | {
      readonly id: number;
      readonly ok: false;
      /** the refusal's code; null for anything that is not a PkiError */
      readonly code: PkiErrorCode | null;
      readonly message: string;
    };

export type ToVerifier = { readonly jobs: readonly VerifyJob[] };

export type FromVerifier =
  | { readonly replies: readonly VerifyReply[] }
  | { readonly ready: true }
  | { readonly preload: PreloadProgress };
