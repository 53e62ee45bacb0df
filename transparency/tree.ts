import { EMPTY_ROOT, nodeHash } from './hash.ts';
import {
  consistencyRanges,
  frontierNodes,
  inclusionRanges,
  rangeNodes,
  type LeafRange,
  type NodeId,
} from './ranges.ts';

/** A stored node: the hash of one complete subtree. */
export type TreeNode = NodeId & { readonly hash: Uint8Array };

/** Reads stored nodes. A database fetches a plan's `nodes` first, then serves them from memory. */
export type NodeSource = (id: NodeId) => Uint8Array;

/**
 * The ranges a proof needs and the stored nodes that cover them. At most one range of a proof
 * lies on the right edge of the tree and needs more than one node, so a plan names O(log n)
 * nodes and can be fetched with one query.
 */
export type ProofPlan = {
  readonly ranges: readonly LeafRange[];
  readonly nodes: readonly NodeId[];
};

function planOf(ranges: readonly LeafRange[]): ProofPlan {
  const seen = new Set<string>();
  const nodes: NodeId[] = [];
  for (const range of ranges) {
    for (const node of rangeNodes(range)) {
      const key = nodeKey(node);
      if (!seen.has(key)) nodes.push(node);
      seen.add(key);
    }
  }
  return { ranges, nodes };
}

export const nodeKey = (id: NodeId) => `${id.level}/${id.index}`;

export const inclusionPlan = (index: number, size: number) => planOf(inclusionRanges(index, size));
export const consistencyPlan = (size1: number, size2: number) =>
  planOf(size1 === size2 ? [] : consistencyRanges(size1, size2));
export const rootPlan = (size: number) => planOf(size === 0 ? [] : [{ begin: 0, end: size }]);

/** MTH of a range that is a node of the tree: its complete subtrees folded right to left. */
export function foldRange(range: LeafRange, source: NodeSource): Uint8Array {
  const hashes = rangeNodes(range).map(source);
  let hash = hashes.pop() ?? EMPTY_ROOT;
  while (hashes.length > 0) hash = nodeHash(hashes.pop()!, hash);
  return hash;
}

/** The proof's hashes, in RFC 9162 order, from a plan and its fetched nodes. */
export function resolvePlan(plan: ProofPlan, source: NodeSource): Uint8Array[] {
  return plan.ranges.map((range) => foldRange(range, source));
}

/** A NodeSource over fetched nodes; a missing node is a bug or a damaged store. */
export function nodeMap(nodes: Iterable<TreeNode>): NodeSource {
  const map = new Map<string, Uint8Array>();
  for (const node of nodes) map.set(nodeKey(node), node.hash);
  return (id) => {
    const hash = map.get(nodeKey(id));
    if (hash === undefined) throw new Error(`tree node ${nodeKey(id)} is missing`);
    return hash;
  };
}

/**
 * The right edge of a tree of `size` leaves (its compact range): enough to append and to
 * compute the root, O(log n) hashes.
 */
export type Frontier = { readonly size: number; readonly hashes: readonly Uint8Array[] };

export const EMPTY_FRONTIER: Frontier = { size: 0, hashes: [] };

export function frontierFrom(size: number, source: NodeSource): Frontier {
  return { size, hashes: frontierNodes(size).map(source) };
}

export function frontierRoot(frontier: Frontier): Uint8Array {
  const hashes = [...frontier.hashes];
  let hash = hashes.pop() ?? EMPTY_ROOT;
  while (hashes.length > 0) hash = nodeHash(hashes.pop()!, hash);
  return hash;
}

/**
 * Appends leaf hashes. Returns every node that became complete (the leaves themselves and each
 * finished parent) — exactly the rows to store — and the new frontier. Amortised O(1), at most
 * O(log n) node hashes per leaf.
 */
export function appendLeaves(
  frontier: Frontier,
  leafHashes: readonly Uint8Array[],
): { frontier: Frontier; nodes: TreeNode[] } {
  const stack: TreeNode[] = frontierNodes(frontier.size).map((id, i) => ({
    ...id,
    hash: frontier.hashes[i]!,
  }));
  const nodes: TreeNode[] = [];
  let size = frontier.size;
  for (const hash of leafHashes) {
    let node: TreeNode = { level: 0, index: size, hash };
    nodes.push(node);
    size += 1;
    while (stack.length > 0 && stack[stack.length - 1]!.level === node.level) {
      const left = stack.pop()!;
      node = { level: node.level + 1, index: left.index / 2, hash: nodeHash(left.hash, node.hash) };
      nodes.push(node);
    }
    stack.push(node);
  }
  return { frontier: { size, hashes: stack.map((n) => n.hash) }, nodes };
}
