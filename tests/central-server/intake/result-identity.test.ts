import { describe, expect, it } from 'vitest';
import { indexElection, resultKey, type Schnellmeldung } from '../../../election/index.ts';
import { decideReport } from '../../../central-server/intake/decide.ts';
import { Ledger, type LedgerEntry } from '../../../central-server/intake/ledger.ts';
import { resultIdentity } from '../../../central-server/intake/result-identity.ts';
import { resultFingerprint } from '../../../central-server/office/live/alerts.ts';
import { cityDefinition, cityReport } from '../../election/fixtures.ts';

const index = indexElection(cityDefinition());
let sequence = 0;

/** Decides a report as the intake writer does and, if new, adds it with what the decision knew. */
function accept(ledger: Ledger, t: Schnellmeldung): LedgerEntry {
  sequence += 1;
  const report = { schnellmeldung: t, envelopeHash: `e${sequence}`, contentHash: `c${sequence}` };
  const decision = decideReport(report, { ledger, index });
  if (decision.kind !== 'NEW') throw new Error(`not new: ${decision.kind}`);
  const entry: LedgerEntry = {
    precinctId: t.precinctId,
    contestId: t.contestId,
    revision: t.revision,
    sequence,
    envelopeHash: report.envelopeHash,
    contentHash: report.contentHash,
    schnellmeldung: t,
    acceptedAt: new Date('2026-03-08T18:30:00Z'),
    source: 'kit',
    ...(decision.resultIdentity === undefined ? {} : { resultIdentity: decision.resultIdentity }),
  };
  ledger.add(entry);
  return entry;
}

describe("a report's result identity (W.301 and the live board's identical-results alert)", () => {
  it('is worked out once, by the identical-result rule, and is the digest of the resultKey', () => {
    const ledger = new Ledger();
    const t = cityReport({ precinctId: 'u0101' });
    const entry = accept(ledger, t);
    expect(entry.resultIdentity).toBe(resultIdentity(t));
    expect(ledger.holding(entry.resultIdentity!)).toEqual(['u0101']);
    expect(ledger.identicalTo(resultKey(t)!)).toEqual(['u0101']);
  });

  it('finds the earlier precinct with the same result, and the live board keys both alike', () => {
    const ledger = new Ledger();
    const first = accept(ledger, cityReport({ precinctId: 'u0101' }));
    const second = cityReport({ precinctId: 'u0102' });
    const decision = decideReport(
      { schnellmeldung: second, envelopeHash: 'e-x', contentHash: 'c-x' },
      { ledger, index },
    );
    // W.301 is a warning the station has to acknowledge: the same result is found
    expect(decision).toMatchObject({ kind: 'REFUSED' });
    expect(JSON.stringify(decision)).toContain('W.301');
    expect(resultFingerprint(second, first.resultIdentity)).toBe(resultFingerprint(second));
  });

  it('is absent for a report without voters (it has no resultKey), and the board has none', () => {
    const ledger = new Ledger();
    const t = cityReport({ precinctId: 'u0101' });
    const empty = { ...t, counts: { ...t.counts, B: 0 } };
    expect(resultIdentity(empty)).toBeNull();
    expect(resultFingerprint(empty, null)).toBeUndefined();
    expect(resultFingerprint(empty)).toBeUndefined();
    expect(ledger.identicalTo('anything')).toEqual([]);
  });
});
