import type { KeyObject } from 'node:crypto';
import { receiptSigner, type CertificateInput } from '../../pki/index.ts';
import type { ReceiptFields, SignedReceipt } from '../intake/types.ts';

/**
 * The receipt signer of the intake's fields (pki `receiptSigner`: the header with its x5c chain
 * built once), for the main thread's PKI and for a verification worker alike.
 */
export function intakeReceiptSigner(
  key: KeyObject,
  chain: readonly CertificateInput[],
): (fields: ReceiptFields) => SignedReceipt {
  const sign = receiptSigner(key, chain);
  return (fields) =>
    sign({
      electionId: fields.electionId,
      precinctId: fields.precinctId,
      contestId: fields.contestId,
      revision: fields.revision,
      envelopeHash: fields.envelopeHash,
      contentHash: fields.reportHash,
      serverTime: fields.receivedAt.toISOString(),
      sequence: fields.sequence,
      ...(fields.log === undefined ? {} : { log: { ...fields.log, proof: [...fields.log.proof] } }),
    });
}
