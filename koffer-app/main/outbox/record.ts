import { createHash } from 'node:crypto';
import { z } from 'zod';
import {
  canonicalBytes,
  SchnellmeldungSchema,
  type Schnellmeldung,
} from '../../../election/index.ts';
import { IpcErrorSchema, type OutboxItem } from '../../shared/index.ts';

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);

/** One sealed report as it lies (encrypted) in the outbox. */
export const OutboxRecordSchema = z.strictObject({
  format: z.literal('wahlkoffer.outbox/1'),
  id: z.string(),
  tally: SchnellmeldungSchema,
  /** the sealed envelope exactly as sent, every time: the server recognises a repeat by it */
  envelope: z.string(),
  envelopeHash: Hex64,
  contentHash: Hex64,
  /** SHA-256 of the CMS SignedData sealed inside: its transparency-log leaf names it */
  signedDataHash: Hex64.optional(),
  sealedAt: z.iso.datetime(),
  state: z.enum(['WAITING', 'CONFIRMED', 'REFUSED']),
  attempts: z.number().int().min(0),
  nextAttemptAt: z.iso.datetime().nullable(),
  lastError: IpcErrorSchema.nullable(),
  receipt: z
    .strictObject({
      jws: z.string(),
      receiptCode: z.string(),
      serverTime: z.iso.datetime(),
      sequence: z.number().int().min(0),
    })
    .nullable(),
});
export type OutboxRecord = z.infer<typeof OutboxRecordSchema>;

/** One report per contest and revision: sealing the same revision twice finds the first. */
export const outboxId = (contestId: string, revision: number) => `outbox-${contestId}-r${revision}`;

export const sha256Hex = (bytes: Uint8Array | string) =>
  createHash('sha256').update(bytes).digest('hex');

export const contentHashOf = (tally: Schnellmeldung) => sha256Hex(canonicalBytes(tally));

export function toOutboxItem(record: OutboxRecord, sending: boolean): OutboxItem {
  return {
    id: record.id,
    precinctId: record.tally.precinctId,
    contestId: record.tally.contestId,
    revision: record.tally.revision,
    contentHash: record.contentHash,
    sealedAt: record.sealedAt,
    state: sending && record.state === 'WAITING' ? 'SENDING' : record.state,
    attempts: record.attempts,
    nextAttemptAt: record.nextAttemptAt,
    lastError: record.lastError,
    receipt:
      record.receipt === null
        ? null
        : {
            receiptCode: record.receipt.receiptCode,
            serverTime: record.receipt.serverTime,
            sequence: record.receipt.sequence,
          },
  };
}
