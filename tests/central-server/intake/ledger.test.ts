import { describe, expect, it } from 'vitest';
import { resultKey, type Schnellmeldung } from '../../../election/index.ts';
import { Ledger, type LedgerEntry } from '../../../central-server/intake/ledger.ts';
import { cityReport } from '../../election/fixtures.ts';

let sequence = 0;
function entry(t: Schnellmeldung): LedgerEntry {
  sequence += 1;
  return {
    precinctId: t.precinctId,
    contestId: t.contestId,
    revision: t.revision,
    sequence,
    envelopeHash: `e${sequence}`,
    contentHash: `c${sequence}`,
    schnellmeldung: t,
    acceptedAt: new Date('2026-03-08T18:30:00Z'),
    source: 'kit',
  };
}

const key = (t: Schnellmeldung) => resultKey(t) ?? 'no result';

describe('the ledger of accepted reports', () => {
  it('finds the precincts whose current report has exactly the same result (W.301)', () => {
    const ledger = new Ledger();
    const first = cityReport({ precinctId: 'u0101' });
    const same = cityReport({ precinctId: 'u0102' });
    ledger.add(entry(first));
    ledger.add(entry(same));
    expect([...ledger.identicalTo(key(first))].sort()).toEqual(['u0101', 'u0102']);
    const other = cityReport({
      precinctId: 'u0103',
      counts: { ...first.counts, D1: 249, D2: 141 },
    });
    ledger.add(entry(other));
    expect(ledger.identicalTo(key(other))).toEqual(['u0103']);
  });

  it('forgets a result once a correction replaces it', () => {
    const ledger = new Ledger();
    const first = cityReport({ precinctId: 'u0101' });
    ledger.add(entry(first));
    ledger.add(entry(cityReport({ precinctId: 'u0102' })));
    const corrected = cityReport({
      precinctId: 'u0102',
      revision: 2,
      correctionReason: 'D1 und D2 vertauscht',
      counts: { ...first.counts, D1: 140, D2: 250 },
    });
    ledger.add(entry(corrected));
    expect(ledger.identicalTo(key(first))).toEqual(['u0101']);
    expect(ledger.identicalTo(key(corrected))).toEqual(['u0102']);
    expect(ledger.current('u0102', 'ob')?.revision).toBe(2);
    expect(ledger.currentCount).toBe(2);
  });

  it('refuses a revision that does not supersede the current one (SPEC §4)', () => {
    const ledger = new Ledger();
    ledger.add(entry(cityReport({ revision: 2, correctionReason: 'Zählfehler behoben' })));
    expect(() => ledger.add(entry(cityReport()))).toThrow(/does not supersede/);
  });
});
