import { openCheckpoint, type Checkpoint } from './checkpoint.ts';
import { TransparencyError } from './error.ts';
import { HASH_SIZE, leafHash } from './hash.ts';
import { leafBytes } from './leaf.ts';
import type { NoteKey } from './note.ts';
import { inclusionRanges, type LeafRange } from './ranges.ts';
import { foldRange, type NodeSource } from './tree.ts';
import { verifyInclusion } from './verify.ts';

/**
 * What a receipt carries about the log (docs/decisions/0092): the report's leaf index, the
 * inclusion proof (RFC 9162 §2.1.3, base64 hashes) and the signed checkpoint it leads to.
 */
export type LogInclusion = {
  readonly index: number;
  readonly proof: readonly string[];
  readonly checkpoint: string;
};

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

export function logInclusion(
  index: number,
  proof: readonly Uint8Array[],
  checkpoint: string,
): LogInclusion {
  return { index, proof: proof.map(b64), checkpoint };
}

/**
 * The inclusions of the leaves [first, first + count) in a tree of `size` leaves, all against
 * one checkpoint: each the same as `logInclusion(i, resolvePlan(inclusionPlan(i, size), source),
 * checkpoint)`, but a range that several of the proofs share — the nodes left of the batch, the
 * folds on the right edge — is folded and written as base64 once, not once per leaf.
 */
export function logInclusions(
  first: number,
  count: number,
  size: number,
  source: NodeSource,
  checkpoint: string,
): LogInclusion[] {
  const written = new Map<string, string>();
  const textOf = (range: LeafRange): string => {
    const key = `${range.begin}-${range.end}`;
    let text = written.get(key);
    if (text === undefined) {
      const hash = foldRange(range, source);
      text = Buffer.from(hash.buffer, hash.byteOffset, hash.byteLength).toString('base64');
      written.set(key, text);
    }
    return text;
  };
  const inclusions: LogInclusion[] = [];
  for (let index = first; index < first + count; index += 1) {
    inclusions.push({ index, proof: inclusionRanges(index, size).map(textOf), checkpoint });
  }
  return inclusions;
}

function proofHashes(proof: readonly string[]): Uint8Array[] {
  return proof.map((p) => {
    if (!/^[A-Za-z0-9+/]{43}=$/.test(p)) {
      throw new TransparencyError('PROOF_MALFORMED', 'proof entry is not a base64 SHA-256');
    }
    const bytes = new Uint8Array(Buffer.from(p, 'base64'));
    if (bytes.length !== HASH_SIZE) throw new TransparencyError('PROOF_MALFORMED', 'hash length');
    return bytes;
  });
}

/**
 * Checks that `leaf` (rebuilt by the checker from what it knows, never taken from the server)
 * is at `log.index` in the tree the checkpoint signed with the pinned key describes. Returns the
 * checkpoint. Throws TransparencyError: NOTE_* / CHECKPOINT_* for the signature,
 * PROOF_MALFORMED / INCLUSION_PROOF_INVALID for the proof.
 */
export function verifyLogInclusion(leaf: string, log: LogInclusion, key: NoteKey): Checkpoint {
  const checkpoint = openCheckpoint(log.checkpoint, key);
  verifyInclusion(
    log.index,
    checkpoint.size,
    leafHash(leafBytes(leaf)),
    proofHashes(log.proof),
    checkpoint.root,
  );
  return checkpoint;
}
