import { TransparencyError } from './error.ts';

/**
 * The shape of the tree, without any hashes. A node is identified by its level (0 = leaf) and
 * its index on that level; it covers the leaves [index·2^level, (index+1)·2^level). Only
 * complete ("perfect") subtrees are stored, so every hash a proof needs is either one stored
 * node or the fold of the few stored nodes along the right edge of the tree (RFC 9162 §2.1.1:
 * MTH(D[k:n]) of a right-edge range splits into complete subtrees of decreasing size).
 */
export type NodeId = { readonly level: number; readonly index: number };

/** A half-open range of leaves [begin, end) whose hash a proof needs. */
export type LeafRange = { readonly begin: number; readonly end: number };

/** Largest power of two strictly smaller than n (n ≥ 2), RFC 9162 §2.1.1's k. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/**
 * The complete subtrees that make up [begin, end), left to right. For a range that is a node
 * of the tree (begin aligned to the range's size rounded up), their sizes strictly decrease,
 * and folding them right to left (`foldRange`) gives MTH of the range.
 */
export function rangeNodes(range: LeafRange): NodeId[] {
  const nodes: NodeId[] = [];
  let { begin } = range;
  while (begin < range.end) {
    let level = 0;
    while (begin % 2 ** (level + 1) === 0 && begin + 2 ** (level + 1) <= range.end) level += 1;
    nodes.push({ level, index: begin / 2 ** level });
    begin += 2 ** level;
  }
  return nodes;
}

/** The compact range of a tree of `size` leaves: the stored nodes its root is folded from. */
export const frontierNodes = (size: number): NodeId[] => rangeNodes({ begin: 0, end: size });

/** RFC 9162 §2.1.3.1 PATH(m, D[n]), as the leaf ranges whose hashes form the audit path. */
export function inclusionRanges(index: number, size: number): LeafRange[] {
  checkCount(index, 'leaf index');
  checkCount(size, 'tree size');
  if (index >= size) throw new TransparencyError('RANGE_INVALID', `index ${index} ≥ size ${size}`);
  const path: LeafRange[] = [];
  let begin = 0;
  let end = size;
  while (end - begin > 1) {
    const k = splitPoint(end - begin);
    if (index < begin + k) {
      path.push({ begin: begin + k, end });
      end = begin + k;
    } else {
      path.push({ begin, end: begin + k });
      begin += k;
    }
  }
  return path.reverse();
}

/**
 * RFC 9162 §2.1.4.1 PROOF(m, D[n]) = SUBPROOF(m, D[n], true), as leaf ranges. Defined for
 * 0 < m < n; m = n has the empty proof.
 */
export function consistencyRanges(size1: number, size2: number): LeafRange[] {
  checkCount(size1, 'size1');
  checkCount(size2, 'size2');
  if (size1 < 1 || size1 > size2) {
    throw new TransparencyError('RANGE_INVALID', `sizes ${size1} → ${size2}`);
  }
  const proof: LeafRange[] = [];
  let m = size1;
  let begin = 0;
  let end = size2;
  let complete = true;
  while (m !== end - begin) {
    const k = splitPoint(end - begin);
    if (m <= k) {
      proof.push({ begin: begin + k, end });
      end = begin + k;
    } else {
      proof.push({ begin, end: begin + k });
      m -= k;
      begin += k;
      complete = false;
    }
  }
  if (!complete) proof.push({ begin, end });
  return proof.reverse();
}

function checkCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new TransparencyError('RANGE_INVALID', `${what} ${n}`);
  }
}
