import { describe, expect, it } from 'vitest';
import {
  assessSchnellmeldung,
  indexElection,
  parseElectionDefinition,
  resultKey,
  type Schnellmeldung,
} from '../../../election/index.ts';
import { cityDefinition, cityReport, withCounts } from '../fixtures.ts';

const index = indexElection(parseElectionDefinition(cityDefinition()));
const codes = (t: Schnellmeldung, previous?: Schnellmeldung) =>
  assessSchnellmeldung(t, { index, ...(previous ? { previous } : {}) }).findings.map((f) => f.code);

describe('suppression of follow-on findings', () => {
  it('a non-integer value suppresses the sums it takes part in', () => {
    expect(codes(withCounts(cityReport(), { D3: 124.5 }))).toEqual(['F.104']);
    expect(codes(withCounts(cityReport(), { B: 520.5 }))).toEqual(['F.104']);
  });

  it('a missing value suppresses the sums over it', () => {
    expect(codes(withCounts(cityReport(), { D: undefined }))).toEqual(['F.101']);
    expect(codes(withCounts(cityReport(), { A: undefined, A1: undefined }))).toEqual(['F.101']);
  });

  it('a report for an unknown precinct gets no count findings', () => {
    expect(codes(withCounts(cityReport({ precinctId: 'x1' }), { D1: 9999 }))).toEqual(['F.002']);
  });

  it('drops a warning about a field that already has an error', () => {
    // A1 differs from the register (W.206) but A ≠ A1 + A2 + A3 (F.201) concerns A1 too
    expect(codes(withCounts(cityReport(), { A1: 1250 }))).toEqual(['F.201']);
  });

  it('keeps independent errors together', () => {
    expect(codes(withCounts(cityReport(), { A: 1, D1: 251 }))).toEqual(['F.201', 'F.302']);
  });

  it('checks identity and large changes only on a report without errors', () => {
    const broken = withCounts(cityReport(), { C: 7 });
    const found = assessSchnellmeldung(broken, { index, identicalTo: () => ['u0102'] });
    expect(found.findings.map((f) => f.code)).toEqual(['F.301']);
  });
});

describe('assessSchnellmeldung: sendable', () => {
  const warned = withCounts(cityReport(), { A1: 1201, A: 1704 }); // W.206

  it('a clean report is sendable', () => {
    expect(assessSchnellmeldung(cityReport(), { index }).sendable).toBe(true);
  });

  it('an unacknowledged warning blocks sending', () => {
    const a = assessSchnellmeldung(warned, { index });
    expect(a.sendable).toBe(false);
    expect(a.unacknowledgedWarnings.map((w) => w.code)).toEqual(['W.206']);
  });

  it('a warning acknowledged with a 3–500 character reason is sendable', () => {
    const t = {
      ...warned,
      acknowledgements: [{ code: 'W.206', reason: 'Nachtrag im Wählerverzeichnis' }],
    };
    const a = assessSchnellmeldung(t, { index });
    expect(a.sendable).toBe(true);
    expect(a.warnings).toHaveLength(1);
    expect(a.unacknowledgedWarnings).toEqual([]);
  });

  it.each([
    ['too short', ' ok '],
    ['too long', 'x'.repeat(501)],
  ])('an acknowledgement with a reason %s does not count', (_n, reason) => {
    const t = { ...warned, acknowledgements: [{ code: 'W.206', reason }] };
    expect(assessSchnellmeldung(t, { index }).sendable).toBe(false);
  });

  it('an error blocks sending even with acknowledgements', () => {
    const t = {
      ...withCounts(cityReport(), { C: 7 }),
      acknowledgements: [{ code: 'W.206', reason: 'egal' }],
    };
    const a = assessSchnellmeldung(t, { index });
    expect(a.sendable).toBe(false);
    expect(a.errors.map((e) => e.code)).toEqual(['F.301']);
  });

  it('reports acknowledgements of warnings that did not fire, without blocking', () => {
    const t = { ...cityReport(), acknowledgements: [{ code: 'W.205', reason: 'Urne war leer' }] };
    const a = assessSchnellmeldung(t, { index });
    expect(a.acknowledgementsWithoutWarning).toEqual(t.acknowledgements);
    expect(a.sendable).toBe(true);
  });

  it('ignores a previous report of another precinct', () => {
    const other = { ...cityReport({ precinctId: 'u0102', revision: 5 }) };
    expect(codes(cityReport(), other)).toEqual([]);
  });
});

describe('resultKey', () => {
  it('is equal for equal results of different precincts and ignores the register figures', () => {
    const a = cityReport();
    const b = withCounts(cityReport({ precinctId: 'u0102' }), {
      A1: 1100,
      A2: 450,
      A3: 0,
      A: 1550,
    });
    expect(resultKey(a)).toBe(resultKey(b));
  });

  it('differs when one vote differs, and is absent without voters', () => {
    expect(resultKey(withCounts(cityReport(), { D1: 251, D2: 139 }))).not.toBe(
      resultKey(cityReport()),
    );
    expect(resultKey(withCounts(cityReport(), { B: 0 }))).toBeUndefined();
  });
});
