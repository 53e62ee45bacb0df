import type { KeyObject } from 'node:crypto';
import {
  PkiError,
  loadReceiptSigner,
  receiptSigner,
  type CertificateInput,
} from '../../pki/index.ts';
import { receiptText } from '../intake/receipt-text.ts';
import type { ReceiptFields, SignedReceipt } from '../intake/types.ts';

/**
 * The receipt signer of the intake's fields (pki `receiptSigner`: the header with its x5c chain
 * built once), for the main thread's PKI and for the receipt-signing thread alike; each receipt
 * comes with its base64 text, the kit's answer.
 */
export function intakeReceiptSigner(
  key: KeyObject,
  chain: readonly CertificateInput[],
): (fields: ReceiptFields) => SignedReceipt {
  const sign = receiptSigner(key, chain);
  return (fields) => {
    const { receipt, receiptCode } = sign({
      electionId: fields.electionId,
      precinctId: fields.precinctId,
      contestId: fields.contestId,
      revision: fields.revision,
      envelopeHash: fields.envelopeHash,
      contentHash: fields.reportHash,
      serverTime: fields.receivedAt.toISOString(),
      sequence: fields.sequence,
      log: fields.log,
    });
    return { receipt, receiptCode, text: receiptText(receipt) };
  };
}

/**
 * The receipt signer for the receipt-signing thread: the receipt key and its chain read from the
 * PKI directory in that thread (no key crosses a thread boundary), for `electionId`'s PKI only.
 */
export async function loadIntakeReceiptSigner(
  pkiDir: string,
  electionId: string,
): Promise<(fields: ReceiptFields) => SignedReceipt> {
  const signer = await loadReceiptSigner(pkiDir);
  if (signer.electionId !== electionId) {
    throw new PkiError(
      'STORE_MALFORMED',
      `the PKI is for ${signer.electionId}, the election is ${electionId}`,
    );
  }
  return intakeReceiptSigner(signer.key, signer.chain);
}
