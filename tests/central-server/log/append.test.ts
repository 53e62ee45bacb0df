import { describe, expect, it } from 'vitest';
import { EMPTY_LOG_HEAD, appendToLog, type LogHead } from '../../../central-server/log/append.ts';
import {
  EMPTY_ROOT,
  equalBytes,
  inclusionPlan,
  nodeMap,
  openCheckpoint,
  resolvePlan,
  verifyLogInclusion,
  type TreeNode,
} from '../../../transparency/index.ts';
import { testLogKey } from './log-key.ts';

const key = testLogKey();
const now = new Date('2026-09-27T18:31:02.123Z');
const record = (sequence: number) => ({ sequence, leaf: `{"sequence":${sequence}}` });

/** Appends `sizes` batches one after the other; returns every batch's result and all nodes. */
function grow(sizes: readonly number[]) {
  let head: LogHead = EMPTY_LOG_HEAD;
  let next = 1;
  const all: TreeNode[] = [];
  const batches = sizes.map((n) => {
    const records = Array.from({ length: n }, () => record(next++));
    const appended = appendToLog(head, records, key.sign, now);
    all.push(...appended.nodes);
    head = appended.head;
    return { records, appended };
  });
  return { batches, all, head };
}

describe('appending a batch to the transparency log', () => {
  it('gives every new leaf a proof to the new signed checkpoint, computed without the store', () => {
    // every old size 0..17 followed by every batch size 1..9: all the shapes of a right edge
    for (let old = 0; old <= 17; old++) {
      for (let n = 1; n <= 9; n++) {
        const { batches, all } = grow(old === 0 ? [n] : [old, n]);
        const { records, appended } = batches.at(-1)!;
        const size = old + n;
        const checkpoint = openCheckpoint(appended.checkpoint.note, key.verifier);
        expect(checkpoint.size).toBe(size);
        records.forEach((r, k) => {
          const inclusion = appended.inclusions[k]!;
          expect(inclusion.index).toBe(old + k);
          verifyLogInclusion(r.leaf, inclusion, key.verifier);
          // the same proof as one planned and fetched from every stored node
          const fromStore = resolvePlan(inclusionPlan(old + k, size), nodeMap(all));
          expect(inclusion.proof).toEqual(fromStore.map((h) => Buffer.from(h).toString('base64')));
        });
      }
    }
  });

  it('stores each leaf at its index and 2n − popcount(n) nodes in all', () => {
    const { batches, all, head } = grow([3, 1, 5, 2]);
    const leaves = batches.flatMap((b) => b.appended.leaves);
    expect(leaves.map((l) => [l.index, l.sequence])).toEqual(
      Array.from({ length: 11 }, (_, i) => [i, i + 1]),
    );
    expect(all).toHaveLength(2 * 11 - 3);
    expect(head.frontier.size).toBe(11);
    expect(head.checkpoint?.size).toBe(11);
    expect(batches.map((b) => b.appended.checkpoint.size)).toEqual([3, 4, 9, 11]);
  });

  it('refuses a proof for another leaf, a changed proof and a checkpoint under another key', () => {
    const { batches } = grow([4, 3]);
    const { records, appended } = batches[1]!;
    const inclusion = appended.inclusions[0]!;
    expect(() => verifyLogInclusion(records[1]!.leaf, inclusion, key.verifier)).toThrow(
      expect.objectContaining({ code: 'INCLUSION_PROOF_INVALID' }),
    );
    const flipped = inclusion.proof.map((p, i) =>
      i === 0 ? `${p[0] === 'A' ? 'B' : 'A'}${p.slice(1)}` : p,
    );
    expect(() =>
      verifyLogInclusion(records[0]!.leaf, { ...inclusion, proof: flipped }, key.verifier),
    ).toThrow(expect.objectContaining({ code: 'INCLUSION_PROOF_INVALID' }));
    expect(() => verifyLogInclusion(records[0]!.leaf, inclusion, testLogKey().verifier)).toThrow(
      expect.objectContaining({ code: 'NOTE_UNVERIFIED' }),
    );
  });

  it('starts from the empty tree, whose root is SHA-256 of nothing', () => {
    expect(
      equalBytes(
        EMPTY_ROOT,
        new Uint8Array(Buffer.from('47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=', 'base64')),
      ),
    ).toBe(true);
    expect(EMPTY_LOG_HEAD.frontier.size).toBe(0);
  });
});
