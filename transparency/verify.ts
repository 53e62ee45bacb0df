import { TransparencyError } from './error.ts';
import { HASH_SIZE, equalBytes, nodeHash } from './hash.ts';

/**
 * Proof verification exactly as RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency)
 * describe it, with the refusals the transparency-dev/merkle test vectors demand
 * (tests/transparency/vectors.test.ts runs every one of them).
 */

function checkSize(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) throw new TransparencyError('PROOF_MALFORMED', what);
}

function checkHashes(proof: readonly Uint8Array[]): void {
  if (proof.some((p) => p.length !== HASH_SIZE)) {
    throw new TransparencyError('PROOF_MALFORMED', 'proof entry of the wrong length');
  }
}

/** The root that `proof` leads to from leaf `index` (RFC 9162 §2.1.3.2 steps 1–5). */
export function rootFromInclusionProof(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
): Uint8Array {
  checkSize(index, 'leaf index');
  checkSize(size, 'tree size');
  if (index >= size)
    throw new TransparencyError('PROOF_MALFORMED', `index ${index} ≥ size ${size}`);
  if (leafHash.length !== HASH_SIZE) throw new TransparencyError('PROOF_MALFORMED', 'leaf hash');
  checkHashes(proof);
  let fn = index;
  let sn = size - 1;
  let r = leafHash;
  for (const p of proof) {
    if (sn === 0) throw new TransparencyError('INCLUSION_PROOF_INVALID', 'proof too long');
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new TransparencyError('INCLUSION_PROOF_INVALID', 'proof too short');
  return r;
}

/** Leaf `index` with hash `leafHash` is in the tree of `size` leaves with root `root`. */
export function verifyInclusion(
  index: number,
  size: number,
  leafHash: Uint8Array,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  const computed = rootFromInclusionProof(index, size, leafHash, proof);
  if (!equalBytes(computed, root)) throw new TransparencyError('INCLUSION_PROOF_INVALID');
}

/**
 * The tree of `size2` leaves with root `root2` extends the tree of `size1` leaves with root
 * `root1`. A consistency proof from the empty tree proves nothing and is refused (size1 = 0),
 * as the vectors require.
 */
export function verifyConsistency(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
  root2: Uint8Array,
): void {
  checkSize(size1, 'size1');
  checkSize(size2, 'size2');
  if (size1 === 0) throw new TransparencyError('PROOF_MALFORMED', 'size1 is 0');
  if (size1 > size2) throw new TransparencyError('PROOF_MALFORMED', 'size1 > size2');
  checkHashes(proof);
  if (size1 === size2) {
    if (proof.length > 0) throw new TransparencyError('PROOF_MALFORMED', 'proof for equal sizes');
    if (!equalBytes(root1, root2)) throw new TransparencyError('CONSISTENCY_PROOF_INVALID');
    return;
  }
  if (proof.length === 0) throw new TransparencyError('PROOF_MALFORMED', 'empty proof');
  const { first, second } = rootsFromConsistencyProof(size1, size2, proof, root1);
  if (!equalBytes(first, root1) || !equalBytes(second, root2)) {
    throw new TransparencyError('CONSISTENCY_PROOF_INVALID');
  }
}

/** RFC 9162 §2.1.4.2 steps 2–7 for 0 < size1 < size2: the two roots the proof yields. */
function rootsFromConsistencyProof(
  size1: number,
  size2: number,
  proof: readonly Uint8Array[],
  root1: Uint8Array,
): { first: Uint8Array; second: Uint8Array } {
  const path = isPowerOfTwo(size1) ? [root1, ...proof] : [...proof];
  let fn = size1 - 1;
  let sn = size2 - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) throw new TransparencyError('CONSISTENCY_PROOF_INVALID', 'proof too long');
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      while (fn % 2 === 0 && fn !== 0) {
        fn = Math.floor(fn / 2);
        sn = Math.floor(sn / 2);
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  if (sn !== 0) throw new TransparencyError('CONSISTENCY_PROOF_INVALID', 'proof too short');
  return { first: fr, second: sr };
}

/** For any safe integer (bitwise operators would truncate to 32 bits). */
function isPowerOfTwo(n: number): boolean {
  let m = n;
  while (m > 1 && m % 2 === 0) m /= 2;
  return m === 1;
}
