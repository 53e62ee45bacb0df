// Public surface of the transparency log math (RFC 9162 Merkle tree, proofs, C2SP checkpoints).
// Pure: no I/O, no clock; the node store and the keys are inputs.
export { TransparencyError, TRANSPARENCY_MESSAGES, type TransparencyErrorCode } from './error.ts';
export { HASH_SIZE, EMPTY_ROOT, leafHash, nodeHash, equalBytes } from './hash.ts';
export {
  consistencyRanges,
  frontierNodes,
  inclusionRanges,
  rangeNodes,
  type LeafRange,
  type NodeId,
} from './ranges.ts';
export {
  EMPTY_FRONTIER,
  appendLeaves,
  consistencyPlan,
  foldRange,
  frontierFrom,
  frontierRoot,
  inclusionPlan,
  nodeKey,
  nodeMap,
  resolvePlan,
  rootPlan,
  type Frontier,
  type NodeSource,
  type ProofPlan,
  type TreeNode,
} from './tree.ts';
export { rootFromInclusionProof, verifyConsistency, verifyInclusion } from './verify.ts';
export {
  ED25519_SIGNATURE_TYPE,
  MAX_NOTE_BYTES,
  ed25519KeyId,
  formatVerifierKey,
  isValidKeyName,
  noteKey,
  openNote,
  parseVerifierKey,
  rawEd25519PublicKey,
  signNote,
  type NoteKey,
} from './note.ts';
export {
  checkpointText,
  openCheckpoint,
  parseCheckpointText,
  signCheckpoint,
  type Checkpoint,
} from './checkpoint.ts';
export { LEAF_FORMAT, LEAF_SOURCES, leafBytes, reportLeaf, type ReportLeafFields } from './leaf.ts';
export {
  logInclusion,
  logInclusions,
  verifyLogInclusion,
  type LogInclusion,
} from './receipt-log.ts';
