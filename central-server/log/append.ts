import {
  appendLeaves,
  frontierNodes,
  frontierRoot,
  leafBytes,
  leafHash,
  logInclusions,
  nodeMap,
  type Frontier,
  type LogInclusion,
  type TreeNode,
} from '../../transparency/index.ts';
import type { CheckpointRow, LeafRow, NodeRow } from '../storage/repository.ts';

/** Signs a checkpoint of the log (the ceremony's Ed25519 key; the origin is fixed by the key). */
export type CheckpointSigner = (checkpoint: { size: number; root: Uint8Array }) => string;

/** The log as the writer holds it between batches: the right edge and the last checkpoint. */
export type LogHead = {
  readonly frontier: Frontier;
  /** the last signed checkpoint (null before the first report) */
  readonly checkpoint: { readonly size: number; readonly note: string } | null;
};

export const EMPTY_LOG_HEAD: LogHead = { frontier: { size: 0, hashes: [] }, checkpoint: null };

export type LogAppend = {
  readonly leaves: LeafRow[];
  readonly nodes: NodeRow[];
  readonly checkpoint: CheckpointRow;
  readonly head: LogHead;
  /** per appended leaf, in order: its index, proof and the new checkpoint (for the receipt) */
  readonly inclusions: LogInclusion[];
};

/**
 * Appends one batch's leaf records to the log (RFC 9162): the leaf rows, every node that became
 * complete, the signed checkpoint of the new size, and each new leaf's inclusion proof against
 * that checkpoint — all from the frontier in memory, without a query (docs/decisions/0091).
 *
 * Why the frontier suffices: every proof node of a new leaf i ≥ old size is either a complete
 * subtree left of the old size (its left siblings: frontier nodes) or contains a new leaf (made
 * complete in this batch, or folded from the batch's nodes on the right edge).
 */
export function appendToLog(
  head: LogHead,
  records: readonly { readonly sequence: number; readonly leaf: string }[],
  sign: CheckpointSigner,
  now: Date,
): LogAppend {
  const start = head.frontier.size;
  const { frontier, nodes } = appendLeaves(
    head.frontier,
    records.map((r) => leafHash(leafBytes(r.leaf))),
  );
  const root = frontierRoot(frontier);
  const note = sign({ size: frontier.size, root });
  const known: TreeNode[] = frontierNodes(start).map((id, i) => ({
    ...id,
    hash: head.frontier.hashes[i]!,
  }));
  const source = nodeMap([...known, ...nodes]);
  const inclusions = logInclusions(start, records.length, frontier.size, source, note);
  return {
    leaves: records.map((r, k) => ({ index: start + k, sequence: r.sequence, leaf: r.leaf })),
    nodes: nodes.map((n) => ({ level: n.level, index: n.index, hash: n.hash })),
    checkpoint: {
      size: frontier.size,
      root: Buffer.from(root).toString('base64'),
      note,
      createdAt: now,
    },
    head: { frontier, checkpoint: { size: frontier.size, note } },
    inclusions,
  };
}
