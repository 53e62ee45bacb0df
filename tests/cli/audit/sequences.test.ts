import { describe, expect, it } from 'vitest';
import {
  HashColumn,
  Interned,
  SequenceColumn,
  denseLimitFor,
} from '../../../cli/audit/verify/sequences.ts';

describe('the verifier’s per-report state', () => {
  it('keeps a value per sequence number and lists them in ascending order', () => {
    const column = new SequenceColumn(denseLimitFor(10));
    column.set(3, 7);
    column.set(1, 5);
    column.set(2000, 9);
    expect(column.get(1)).toBe(5);
    expect(column.get(2)).toBe(0);
    expect(column.get(2000)).toBe(9);
    expect([...column.entries()]).toEqual([
      [1, 5],
      [3, 7],
      [2000, 9],
    ]);
    expect(column.highest).toBe(2000);
  });

  it('holds a forged huge sequence number in a small map instead of growing an array to it', () => {
    const limit = denseLimitFor(100);
    const column = new SequenceColumn(limit);
    const hashes = new HashColumn(limit);
    const huge = 2_000_000_000;
    column.set(huge, 1);
    hashes.set(huge, new Uint8Array(32).fill(7));
    column.set(5, 2);
    expect(column.get(huge)).toBe(1);
    expect(hashes.get(huge)).toEqual(new Uint8Array(32).fill(7));
    expect([...column.entries()]).toEqual([
      [5, 2],
      [huge, 1],
    ]);
    column.set(huge, 0);
    expect([...column.entries()]).toEqual([[5, 2]]);
    // nothing near the forged number was allocated: the dense part stays small
    expect(column.get(limit)).toBe(0);
  });

  it('stores each 32-byte hash apart, growing as sequence numbers rise', () => {
    const hashes = new HashColumn(denseLimitFor(5000));
    const a = new Uint8Array(32).fill(1);
    const b = new Uint8Array(32).fill(2);
    hashes.set(1, a);
    hashes.set(4000, b);
    expect(hashes.get(1)).toEqual(a);
    expect(hashes.get(4000)).toEqual(b);
    expect(hashes.get(2)).toEqual(new Uint8Array(32));
  });

  it('interns each name once and never hands out 0', () => {
    const names = new Interned();
    const p1 = names.id('wk001-g01-u002');
    expect(names.id('wk001-g01-u002')).toBe(p1);
    expect(p1).toBeGreaterThan(0);
    expect(names.id('')).toBeGreaterThan(0);
    expect(names.name(p1)).toBe('wk001-g01-u002');
    expect(names.name(0)).toBeUndefined();
  });
});
