import { describe, expect, it } from 'vitest';
import { LEAF_FORMAT, reportLeaf } from '../../transparency/index.ts';

const common = {
  electionId: 'kw-2026',
  precinctId: '09162-0001',
  contestId: 'OB',
  revision: 1,
  sequence: 7,
  serverTime: '2026-09-27T18:31:02.123Z',
  tallyHash: 'c'.repeat(64),
};

describe('the leaf record of an accepted report', () => {
  it('is canonical JSON of exactly the named fields, the SignedData hash for a kit', () => {
    const leaf = reportLeaf({ ...common, source: 'kit', signedDataHash: 'd'.repeat(64) });
    expect(leaf).toBe(
      `{"contestId":"OB","electionId":"kw-2026","format":"${LEAF_FORMAT}","precinctId":"09162-0001","revision":1,"sequence":7,"serverTime":"2026-09-27T18:31:02.123Z","signedDataHash":"${'d'.repeat(64)}","source":"kit","tallyHash":"${'c'.repeat(64)}"}`,
    );
  });

  it('says "telefonisch" and has no SignedData hash for a phoned-in result', () => {
    const leaf = JSON.parse(reportLeaf({ ...common, source: 'telefonisch' })) as object;
    expect(leaf).toEqual({ ...common, format: LEAF_FORMAT, source: 'telefonisch' });
    expect(leaf).not.toHaveProperty('signedDataHash');
  });

  it('ignores any other field the caller holds', () => {
    const extra = { ...common, source: 'telefonisch' as const, counts: { A: 1 } };
    expect(reportLeaf(extra)).toBe(reportLeaf({ ...common, source: 'telefonisch' }));
  });
});
