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

describe('what the ledger keeps of a current report', () => {
  it('gives back its revision facts, counts (in the order they were signed) and acknowledgements', () => {
    const ledger = new Ledger();
    const report = cityReport({
      counts: { D3: 124, D2: 140, D1: 250, ...cityReport().counts },
      acknowledgements: [{ code: 'W.201', reason: 'so gezählt, geprüft' }],
    });
    const added = { ...entry(report), source: 'telefonisch' as const };
    ledger.add(added);
    const current = ledger.current('u0101', 'ob');
    expect(current).toEqual({
      precinctId: 'u0101',
      contestId: 'ob',
      revision: 1,
      sequence: added.sequence,
      envelopeHash: added.envelopeHash,
      contentHash: added.contentHash,
      acceptedAt: added.acceptedAt,
      source: 'telefonisch',
      schnellmeldung: {
        electionId: 'kw-test',
        precinctId: 'u0101',
        contestId: 'ob',
        revision: 1,
        counts: report.counts,
        acknowledgements: report.acknowledgements,
      },
    });
    expect(Object.keys(current!.schnellmeldung.counts)).toEqual(Object.keys(report.counts));
  });

  it('keeps counts that are not whole numbers as they were given (a stored row it did not judge)', () => {
    const ledger = new Ledger();
    const odd = { ...cityReport().counts, D1: 250.5, D2: -0 };
    ledger.add(entry(cityReport({ counts: odd })));
    const counts = ledger.current('u0101', 'ob')!.schnellmeldung.counts;
    expect(counts.D1).toBe(250.5);
    expect(Object.is(counts.D2, -0)).toBe(true);
  });

  it('gives back counts of 65,536 and more exactly, also when a correction changes their size', () => {
    const ledger = new Ledger();
    const big = { ...cityReport().counts, A1: 70_000, A: 70_503, D1: 0xffff_ffff };
    ledger.add(entry(cityReport({ counts: big })));
    ledger.add(entry(cityReport({ precinctId: 'u0102' })));
    expect(ledger.current('u0101', 'ob')!.schnellmeldung.counts).toEqual(big);
    const small = { ...cityReport().counts, D1: 65_535 };
    ledger.add(entry(cityReport({ revision: 2, correctionReason: 'Zählfehler', counts: small })));
    expect(ledger.current('u0101', 'ob')!.schnellmeldung.counts).toEqual(small);
    const again = { ...small, D2: 65_536 };
    ledger.add(entry(cityReport({ revision: 3, correctionReason: 'Zählfehler', counts: again })));
    expect(ledger.current('u0101', 'ob')!.schnellmeldung.counts).toEqual(again);
    expect(Object.keys(ledger.current('u0101', 'ob')!.schnellmeldung.counts)).toEqual(
      Object.keys(again),
    );
    expect(ledger.current('u0102', 'ob')!.schnellmeldung.counts).toEqual(cityReport().counts);
  });

  it('still knows every revision before the current one (a repeat of the first, a conflict)', () => {
    const ledger = new Ledger();
    const first = entry(cityReport());
    ledger.add(first);
    ledger.add(entry(cityReport({ revision: 2, correctionReason: 'nachgezählt' })));
    const third = entry(cityReport({ revision: 3, correctionReason: 'noch einmal gezählt' }));
    ledger.add(third);
    expect(
      ledger.decide('u0101', 'ob', {
        revision: 1,
        envelopeHash: first.envelopeHash,
        contentHash: 'x',
      }),
    ).toEqual({
      kind: 'REPEAT',
      original: {
        revision: 1,
        sequence: first.sequence,
        envelopeHash: first.envelopeHash,
        contentHash: first.contentHash,
      },
    });
    expect(
      ledger.decide('u0101', 'ob', { revision: 2, envelopeHash: 'y', contentHash: 'z' }).kind,
    ).toBe('REVISION_CONFLICT');
    expect(
      ledger.decide('u0101', 'ob', { revision: 4, envelopeHash: 'y', contentHash: 'z' }),
    ).toMatchObject({ kind: 'NEW', supersedes: { revision: 3, sequence: third.sequence } });
    expect(ledger.currentCount).toBe(1);
  });

  it('lists the current reports in the order their precincts and contests first reported', () => {
    const ledger = new Ledger();
    for (const id of ['u0103', 'u0101', 'u0102']) ledger.add(entry(cityReport({ precinctId: id })));
    ledger.add(entry(cityReport({ precinctId: 'u0101', revision: 2, correctionReason: 'neu' })));
    expect([...ledger.currentEntries()].map((e) => [e.precinctId, e.revision])).toEqual([
      ['u0103', 1],
      ['u0101', 2],
      ['u0102', 1],
    ]);
  });
});

describe('a precinct that votes in several contests', () => {
  it('keeps each contest its own current report, revisions and hashes', () => {
    const ledger = new Ledger();
    const hex = (n: number) => n.toString(16).padStart(64, '0');
    const ob = { ...entry(cityReport()), envelopeHash: hex(1), contentHash: hex(2) };
    const gr = {
      ...entry(cityReport({ contestId: 'gr' })),
      envelopeHash: `${'F'.repeat(63)}0`, // not lowercase hex: kept as given
      contentHash: hex(3),
    };
    ledger.add(ob);
    ledger.add(entry(cityReport({ precinctId: 'u0102' })));
    ledger.add(gr);
    const obAgain = {
      ...entry(cityReport({ revision: 2, correctionReason: 'nachgezählt' })),
      envelopeHash: hex(4),
      contentHash: hex(5),
    };
    ledger.add(obAgain);
    expect(ledger.currentCount).toBe(3);
    expect(ledger.current('u0101', 'ob')).toMatchObject({
      revision: 2,
      sequence: obAgain.sequence,
      envelopeHash: hex(4),
      contentHash: hex(5),
    });
    expect(ledger.current('u0101', 'gr')).toMatchObject({
      contestId: 'gr',
      revision: 1,
      envelopeHash: gr.envelopeHash,
      contentHash: hex(3),
    });
    expect(ledger.current('u0101', 'other')).toBeUndefined();
    expect(
      ledger.decide('u0101', 'ob', { revision: 1, envelopeHash: hex(1), contentHash: 'x' }),
    ).toEqual({
      kind: 'REPEAT',
      original: { revision: 1, sequence: ob.sequence, envelopeHash: hex(1), contentHash: hex(2) },
    });
    expect(
      ledger.decide('u0101', 'gr', { revision: 2, envelopeHash: 'y', contentHash: 'z' }),
    ).toMatchObject({ kind: 'NEW', supersedes: { revision: 1, sequence: gr.sequence } });
    expect(
      [...ledger.currentEntries()].map((e) => [e.precinctId, e.contestId, e.revision]),
    ).toEqual([
      ['u0101', 'ob', 2],
      ['u0102', 'ob', 1],
      ['u0101', 'gr', 1],
    ]);
  });
});

describe('the identical-result index', () => {
  it('lists the precincts with a result in the order they reported it, and only the current ones', () => {
    const ledger = new Ledger();
    const result = (id: string) => cityReport({ precinctId: id });
    for (const id of ['u0103', 'u0101', 'u0102']) ledger.add(entry(result(id)));
    expect(ledger.identicalTo(key(result('u0101')))).toEqual(['u0103', 'u0101', 'u0102']);
    const moved = cityReport({
      precinctId: 'u0101',
      revision: 2,
      correctionReason: 'nachgezählt',
      counts: { ...result('u0101').counts, D1: 249, D2: 141 },
    });
    ledger.add(entry(moved));
    expect(ledger.identicalTo(key(result('u0101')))).toEqual(['u0103', 'u0102']);
    expect(ledger.identicalTo(key(moved))).toEqual(['u0101']);
    const back = cityReport({ precinctId: 'u0101', revision: 3, correctionReason: 'doch richtig' });
    ledger.add(entry(back));
    expect(ledger.identicalTo(key(moved))).toEqual([]);
    expect(ledger.identicalTo(key(back))).toEqual(['u0103', 'u0102', 'u0101']);
  });
});
