import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EMPTY_FRONTIER,
  appendLeaves,
  frontierNodes,
  inclusionPlan,
  leafHash,
  logInclusion,
  logInclusions,
  nodeMap,
  resolvePlan,
  verifyInclusion,
  frontierRoot,
} from '../../transparency/index.ts';

const leaf = (i: number) => leafHash(new TextEncoder().encode(`leaf ${i}`));

/** A log of `before` leaves, then one batch of `count` appended, as the intake writer does it. */
function batch(before: number, count: number) {
  const old = appendLeaves(
    EMPTY_FRONTIER,
    Array.from({ length: before }, (_, i) => leaf(i)),
  );
  const next = appendLeaves(
    old.frontier,
    Array.from({ length: count }, (_, i) => leaf(before + i)),
  );
  // what the writer holds: the old frontier's nodes and the batch's new ones
  const known = frontierNodes(before).map((id, i) => ({ ...id, hash: old.frontier.hashes[i]! }));
  return {
    size: before + count,
    source: nodeMap([...known, ...next.nodes]),
    frontier: next.frontier,
  };
}

describe("a batch's inclusion proofs (receipts carry them: decisions/0092)", () => {
  it('are each leaf’s own proof, hashes shared between leaves written once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 600 }),
        fc.integer({ min: 1, max: 70 }),
        (before, count) => {
          const { size, source } = batch(before, count);
          const together = logInclusions(before, count, size, source, 'checkpoint');
          const oneByOne = Array.from({ length: count }, (_, k) =>
            logInclusion(
              before + k,
              resolvePlan(inclusionPlan(before + k, size), source),
              'checkpoint',
            ),
          );
          expect(together).toEqual(oneByOne);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('verify against the batch’s root', () => {
    const { size, source, frontier } = batch(1000, 37);
    const root = frontierRoot(frontier);
    for (const inclusion of logInclusions(1000, 37, size, source, 'checkpoint')) {
      const proof = inclusion.proof.map((p) => new Uint8Array(Buffer.from(p, 'base64')));
      expect(() =>
        verifyInclusion(inclusion.index, size, leaf(inclusion.index), proof, root),
      ).not.toThrow();
    }
  });
});
