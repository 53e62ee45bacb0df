import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * The RFC 6962 / RFC 9162 §2.1.1 Merkle tree hashes, SHA-256 throughout. The 0x00 / 0x01
 * prefixes separate leaves from inner nodes, so no leaf can be passed off as a subtree.
 */
export const HASH_SIZE = 32;

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** MTH({d(0)}) = SHA-256(0x00 ‖ d(0)) */
export function leafHash(leaf: Uint8Array): Uint8Array {
  return createHash('sha256').update(LEAF_PREFIX).update(leaf).digest();
}

/** SHA-256(0x01 ‖ left ‖ right) */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH({}) = SHA-256() — the root of the empty tree. */
export const EMPTY_ROOT: Uint8Array = createHash('sha256').digest();

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
