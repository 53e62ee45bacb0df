import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_FRONTIER,
  EMPTY_ROOT,
  appendLeaves,
  consistencyPlan,
  frontierFrom,
  frontierRoot,
  inclusionPlan,
  leafHash,
  nodeHash,
  nodeMap,
  resolvePlan,
  rootPlan,
  verifyConsistency,
  verifyInclusion,
  type TreeNode,
} from '../../transparency/index.ts';

/** MTH(D[n]) straight from its definition in RFC 9162 §2.1.1: the reference for everything. */
function mth(leaves: readonly Uint8Array[]): Uint8Array {
  if (leaves.length === 0) return EMPTY_ROOT;
  if (leaves.length === 1) return leafHash(leaves[0]!);
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const leavesOf = (n: number) =>
  Array.from({ length: n }, (_, i) => new TextEncoder().encode(`leaf ${i}`));

function buildTree(leaves: readonly Uint8Array[]) {
  const { frontier, nodes } = appendLeaves(EMPTY_FRONTIER, leaves.map(leafHash));
  return { frontier, nodes, source: nodeMap(nodes) };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('the stored tree', () => {
  it('has the RFC 9162 root for every size up to 70, from its frontier and from its nodes', () => {
    for (let n = 0; n <= 70; n++) {
      const leaves = leavesOf(n);
      const { frontier, source } = buildTree(leaves);
      expect(hex(frontierRoot(frontier))).toBe(hex(mth(leaves)));
      expect(hex(frontierRoot(frontierFrom(n, source)))).toBe(hex(mth(leaves)));
      const plan = rootPlan(n);
      if (n > 0) expect(hex(resolvePlan(plan, source)[0]!)).toBe(hex(mth(leaves)));
    }
  });

  it('stores exactly the complete subtrees (2n − popcount(n) nodes)', () => {
    for (const n of [1, 2, 3, 7, 8, 9, 100, 1023, 1024, 1025]) {
      const { nodes } = buildTree(leavesOf(n));
      const popcount = n.toString(2).replaceAll('0', '').length;
      expect(nodes.length).toBe(2 * n - popcount);
    }
  });

  it('gives the same nodes whether leaves come one by one or in batches', () => {
    const leaves = leavesOf(37).map(leafHash);
    const all: TreeNode[] = [];
    let frontier = EMPTY_FRONTIER;
    for (const batch of [
      leaves.slice(0, 1),
      leaves.slice(1, 5),
      leaves.slice(5, 6),
      leaves.slice(6),
    ]) {
      const step = appendLeaves(frontier, batch);
      frontier = step.frontier;
      all.push(...step.nodes);
    }
    const once = appendLeaves(EMPTY_FRONTIER, leaves);
    expect(all.map((n) => `${n.level}/${n.index}/${hex(n.hash)}`)).toEqual(
      once.nodes.map((n) => `${n.level}/${n.index}/${hex(n.hash)}`),
    );
    expect(hex(frontierRoot(frontier))).toBe(hex(frontierRoot(once.frontier)));
  });
});

describe('proofs built from the stored nodes', () => {
  const leaves = leavesOf(45);
  const { source } = buildTree(leaves);

  it('prove the inclusion of every leaf in every tree size up to 45', () => {
    for (let size = 1; size <= leaves.length; size++) {
      const root = mth(leaves.slice(0, size));
      for (let index = 0; index < size; index++) {
        const proof = resolvePlan(inclusionPlan(index, size), source);
        expect(() =>
          verifyInclusion(index, size, leafHash(leaves[index]!), proof, root),
        ).not.toThrow();
      }
    }
  });

  it('prove the consistency of every pair of tree sizes up to 45', () => {
    for (let size2 = 1; size2 <= leaves.length; size2++) {
      const root2 = mth(leaves.slice(0, size2));
      for (let size1 = 1; size1 <= size2; size1++) {
        const proof = resolvePlan(consistencyPlan(size1, size2), source);
        const root1 = mth(leaves.slice(0, size1));
        expect(() => verifyConsistency(size1, size2, proof, root1, root2)).not.toThrow();
      }
    }
  });

  it('name O(log n) stored nodes, so one query fetches a proof', () => {
    const size = 90_652;
    const bound = 2 * Math.ceil(Math.log2(size)) + 2;
    for (const index of [0, 1, 12_345, 65_535, 65_536, 90_650, 90_651]) {
      expect(inclusionPlan(index, size).nodes.length).toBeLessThanOrEqual(bound);
    }
    for (const size1 of [1, 2, 3, 1000, 65_536, 70_001, 90_651]) {
      expect(consistencyPlan(size1, size).nodes.length).toBeLessThanOrEqual(bound);
    }
  });

  it('refuse an index outside the tree', () => {
    expect(() => inclusionPlan(5, 5)).toThrow(expect.objectContaining({ code: 'RANGE_INVALID' }));
    expect(() => consistencyPlan(6, 5)).toThrow(expect.objectContaining({ code: 'RANGE_INVALID' }));
    expect(() => consistencyPlan(0, 5)).toThrow(expect.objectContaining({ code: 'RANGE_INVALID' }));
    expect(() => inclusionPlan(-1, 5)).toThrow(expect.objectContaining({ code: 'RANGE_INVALID' }));
  });
});

describe("the proofs we generate for the vectors' own tree", () => {
  // The eight leaves behind the transparency-dev/merkle vectors (RFC 6962 reference data).
  const leaves = [
    '',
    '00',
    '10',
    '2021',
    '3031',
    '40414243',
    '5051525354555657',
    '606162636465666768696a6b6c6d6e6f',
  ].map((h) => new Uint8Array(Buffer.from(h, 'hex')));
  const { source } = buildTree(leaves);
  const vector = (path: string) =>
    JSON.parse(
      readFileSync(join(import.meta.dirname, '../fixtures/rfc6962-vectors/testdata', path), 'utf8'),
    ) as {
      leafIdx: number;
      treeSize: number;
      size1: number;
      size2: number;
      root: string;
      root2: string;
      proof: string[];
    };

  it.each(['inclusion/1', 'inclusion/2', 'inclusion/3', 'inclusion/4'])(
    'are byte for byte the happy path of %s',
    (dir) => {
      const v = vector(`${dir}/happy-path.json`);
      const proof = resolvePlan(inclusionPlan(v.leafIdx, v.treeSize), source);
      expect(proof.map((p) => Buffer.from(p).toString('base64'))).toEqual(v.proof);
      expect(Buffer.from(mth(leaves.slice(0, v.treeSize))).toString('base64')).toBe(v.root);
    },
  );

  it.each(['consistency/1', 'consistency/2', 'consistency/3', 'consistency/4'])(
    'are byte for byte the happy path of %s',
    (dir) => {
      const v = vector(`${dir}/happy-path.json`);
      const proof = resolvePlan(consistencyPlan(v.size1, v.size2), source);
      expect(proof.map((p) => Buffer.from(p).toString('base64'))).toEqual(v.proof);
      expect(Buffer.from(mth(leaves.slice(0, v.size2))).toString('base64')).toBe(v.root2);
    },
  );
});
