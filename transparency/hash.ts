import { hash, timingSafeEqual } from 'node:crypto';

/**
 * The RFC 6962 / RFC 9162 §2.1.1 Merkle tree hashes, SHA-256 throughout. The 0x00 / 0x01
 * prefixes separate leaves from inner nodes, so no leaf can be passed off as a subtree.
 */
export const HASH_SIZE = 32;

const LEAF_PREFIX = 0x00;
const NODE_PREFIX = 0x01;

/*
 * Each hash is node's one-shot `crypto.hash` over the prefixed input, which is copied into one
 * small buffer (from node's pool) first: a `createHash` object per hash is a native object with a
 * weak handle, which the collector has to visit and free — on the server's main thread that was
 * most of the hashing's cost, at two to three hashes per report (decisions/0055, s10).
 */

/** MTH({d(0)}) = SHA-256(0x00 ‖ d(0)) */
export function leafHash(leaf: Uint8Array): Uint8Array {
  const input = Buffer.allocUnsafe(1 + leaf.length);
  input[0] = LEAF_PREFIX;
  input.set(leaf, 1);
  return hash('sha256', input, 'buffer');
}

/** SHA-256(0x01 ‖ left ‖ right) */
export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  const input = Buffer.allocUnsafe(1 + left.length + right.length);
  input[0] = NODE_PREFIX;
  input.set(left, 1);
  input.set(right, 1 + left.length);
  return hash('sha256', input, 'buffer');
}

/** MTH({}) = SHA-256() — the root of the empty tree. */
export const EMPTY_ROOT: Uint8Array = hash('sha256', new Uint8Array(0), 'buffer');

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
