import { z } from 'zod';

/**
 * The transparency log's public endpoints (`/api/v1/log/…`, docs/decisions/0093): query
 * parameters and answers. Hashes are base64 (as in the checkpoint note); a leaf is its
 * canonical JSON text exactly as hashed (transparency/leaf.ts), so a client hashes what it got.
 */
const Hash = z.string().regex(/^[A-Za-z0-9+/]{43}=$/, 'base64 SHA-256');
const Timestamp = z.string().meta({ format: 'date-time' });
const Size = z.number().int().min(0);

/** A non-negative integer in a query string: digits only, no sign, no leading zero. */
const QueryInt = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,14})$/, 'a non-negative integer')
  .transform(Number);

export const LogCheckpointSchema = z.object({
  size: Size,
  /** the root hash of the tree of `size` leaves */
  root: Hash,
  /** the signed checkpoint (c2sp.org/tlog-checkpoint note) */
  checkpoint: z.string(),
  createdAt: Timestamp,
});

export const LogInclusionQuerySchema = z.strictObject({
  index: QueryInt,
  /** default: the latest checkpoint's size */
  size: QueryInt.optional(),
});

export const LogInclusionProofSchema = z.object({
  index: Size,
  size: Size,
  sequence: z.number().int().min(1),
  /** the leaf's canonical JSON, exactly as hashed */
  leaf: z.string(),
  /** RFC 9162 §2.1.3 inclusion proof, leaf to root */
  proof: z.array(Hash),
  /** the signed checkpoint of `size` leaves the proof leads to */
  checkpoint: z.string(),
});

export const LogConsistencyQuerySchema = z.strictObject({
  from: QueryInt,
  /** default: the latest checkpoint's size */
  to: QueryInt.optional(),
});

export const LogConsistencyProofSchema = z.object({
  from: Size,
  to: Size,
  /** RFC 9162 §2.1.4 consistency proof */
  proof: z.array(Hash),
  /** the signed checkpoint of `to` leaves */
  checkpoint: z.string(),
});

export const LogLeavesQuerySchema = z.strictObject({
  start: QueryInt,
  /** exclusive; at most 1000 leaves per request */
  end: QueryInt,
});

export const LogLeavesSchema = z.object({
  leaves: z.array(z.object({ index: Size, sequence: z.number().int().min(1), leaf: z.string() })),
});

export type LogCheckpoint = z.infer<typeof LogCheckpointSchema>;
export type LogInclusionProof = z.infer<typeof LogInclusionProofSchema>;
export type LogConsistencyProof = z.infer<typeof LogConsistencyProofSchema>;
export type LogLeaves = z.infer<typeof LogLeavesSchema>;
