import { z } from 'zod';
import { IpcErrorSchema } from './reply.ts';

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const IsoTime = z.iso.datetime();
const Id = z.string().min(1).max(64);

/** The station this kit is provisioned for, as the poll worker sees it. */
export const StationInfoSchema = z.strictObject({
  electionId: Id,
  electionName: z.string(),
  electionDate: z.string(),
  precinctId: Id,
  precinctNumber: z.string(),
  precinctName: z.string(),
  precinctKind: z.enum(['URNE', 'BRIEF']),
  contests: z.array(z.strictObject({ id: Id, name: z.string() })),
  serverUrl: z.string(),
});
export type StationInfo = z.infer<typeof StationInfoSchema>;

/** A bundle file main found (the `--bundle` argument, removable media); the renderer picks by id. */
export const BundleCandidateSchema = z.strictObject({ id: Id, label: z.string() });
export type BundleCandidate = z.infer<typeof BundleCandidateSchema>;

export const ReceiptInfoSchema = z.strictObject({
  receiptCode: z.string(),
  serverTime: IsoTime,
  sequence: z.number().int().min(0),
});
export type ReceiptInfo = z.infer<typeof ReceiptInfoSchema>;

/**
 * One sealed report in the outbox. WAITING: not yet delivered (no network, server busy);
 * SENDING: a request is in flight; CONFIRMED: a verified receipt is stored; REFUSED: the server
 * refused it with a code (it will not be retried; a correction needs a new revision).
 */
export const OutboxStateSchema = z.enum(['WAITING', 'SENDING', 'CONFIRMED', 'REFUSED']);
export type OutboxState = z.infer<typeof OutboxStateSchema>;

export const OutboxItemSchema = z.strictObject({
  id: Id,
  precinctId: Id,
  contestId: Id,
  revision: z.number().int().min(1),
  /** SHA-256 of the signed tally bytes: the report's fingerprint on screen and paper */
  contentHash: Hex64,
  sealedAt: IsoTime,
  state: OutboxStateSchema,
  attempts: z.number().int().min(0),
  nextAttemptAt: IsoTime.nullable(),
  lastError: IpcErrorSchema.nullable(),
  receipt: ReceiptInfoSchema.nullable(),
});
export type OutboxItem = z.infer<typeof OutboxItemSchema>;

export const KitStatusSchema = z.strictObject({
  /** NOT_PROVISIONED: no bundle installed; LOCKED: key encrypted; UNLOCKED: key in main's memory */
  phase: z.enum(['NOT_PROVISIONED', 'LOCKED', 'UNLOCKED']),
  station: StationInfoSchema.nullable(),
  unlock: z.strictObject({
    failedAttempts: z.number().int().min(0),
    retryAfterSeconds: z.number().int().min(0),
  }),
  session: z.strictObject({
    state: z.enum(['NONE', 'OPEN']),
    validUntil: IsoTime.nullable(),
  }),
  bundleCandidates: z.array(BundleCandidateSchema),
});
export type KitStatus = z.infer<typeof KitStatusSchema>;

/** Everything the Anlage-28 print view shows; rendered by the renderer, printed by main. */
export const PaperRecordSchema = z.strictObject({
  station: StationInfoSchema,
  outboxId: Id,
  contestId: Id,
  contestName: z.string(),
  revision: z.number().int().min(1),
  correctionReason: z.string().nullable(),
  counts: z.record(z.string(), z.number()),
  acknowledgements: z.array(z.strictObject({ code: z.string(), reason: z.string() })),
  /** the two poll workers who entered the count (role, initials, and the name where recorded) */
  enteredBy: z.array(
    z.strictObject({ role: z.string(), initials: z.string(), name: z.string().optional() }),
  ),
  contentHash: Hex64,
  sealedAt: IsoTime,
  receipt: ReceiptInfoSchema.nullable(),
});
export type PaperRecord = z.infer<typeof PaperRecordSchema>;
