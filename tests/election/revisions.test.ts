import { describe, expect, it } from 'vitest';
import {
  currentRevision,
  decideRevision,
  supersedes,
  type AcceptedRevision,
} from '../../election/index.ts';

const r1: AcceptedRevision = { revision: 1, sequence: 10, envelopeHash: 'e1', contentHash: 'c1' };
const r2: AcceptedRevision = { revision: 2, sequence: 20, envelopeHash: 'e2', contentHash: 'c2' };

describe('revision rules', () => {
  it('accepts the first report of a precinct and contest', () => {
    expect(decideRevision([], { revision: 1, envelopeHash: 'e', contentHash: 'c' })).toEqual({
      kind: 'NEW',
      supersedes: null,
    });
  });

  it('answers the same envelope again with the original, whatever its revision', () => {
    expect(
      decideRevision([r1, r2], { revision: 1, envelopeHash: 'e1', contentHash: 'c1' }),
    ).toEqual({ kind: 'REPEAT', original: r1 });
  });

  it('answers a re-sealed envelope with the same signed content as a repeat', () => {
    expect(decideRevision([r1], { revision: 1, envelopeHash: 'other', contentHash: 'c1' })).toEqual(
      { kind: 'REPEAT', original: r1 },
    );
  });

  it('refuses other content under an accepted revision', () => {
    expect(decideRevision([r1], { revision: 1, envelopeHash: 'x', contentHash: 'x' })).toEqual({
      kind: 'REVISION_CONFLICT',
      current: r1,
    });
  });

  it('accepts a higher revision as a correction that supersedes the current one', () => {
    expect(decideRevision([r1], { revision: 2, envelopeHash: 'x', contentHash: 'x' })).toEqual({
      kind: 'NEW',
      supersedes: r1,
    });
  });

  it('refuses an older revision arriving after a newer one', () => {
    expect(decideRevision([r2], { revision: 1, envelopeHash: 'x', contentHash: 'x' })).toEqual({
      kind: 'REVISION_OUTDATED',
      current: r2,
    });
  });
});

describe('which revision is current', () => {
  it('is a strictly higher revision, or the first one', () => {
    expect(supersedes(1, undefined)).toBe(true);
    expect(supersedes(2, 1)).toBe(true);
    expect(supersedes(1, 1)).toBe(false);
    expect(supersedes(1, 2)).toBe(false);
  });

  it('is the highest accepted revision, whatever the order they arrived in', () => {
    expect(currentRevision([r2, r1])).toBe(r2);
    expect(currentRevision([])).toBeUndefined();
  });
});
