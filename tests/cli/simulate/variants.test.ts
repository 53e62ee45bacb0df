import { describe, expect, it } from 'vitest';
import { SchnellmeldungSchema } from '../../../election/index.ts';
import type { Schnellmeldung } from '../../../election/index.ts';
import { asCorrection, tamperEnvelope, withTransposition } from '../../../cli/simulate/variants.ts';

const truth: Schnellmeldung = SchnellmeldungSchema.parse({
  format: 'wahlkoffer.schnellmeldung/1',
  electionId: 'muc-2020',
  precinctId: 'P0101',
  contestId: 'OB',
  revision: 1,
  counts: {
    A1: 1400,
    A2: 50,
    A3: 2,
    A: 1452,
    B: 900,
    B1: 40,
    C: 9,
    D: 891,
    D1: 500,
    D2: 300,
    D3: 91,
  },
  acknowledgements: [],
  enteredBy: [
    { role: 'WAHLVORSTEHER', initials: 'AB' },
    { role: 'SCHRIFTFUEHRER', initials: 'CD' },
  ],
});

const sumOfCandidates = (t: Schnellmeldung): number =>
  Object.entries(t.counts)
    .filter(([k]) => /^D[0-9]+$/.test(k))
    .reduce((s, [, v]) => s + v, 0);

describe('the wrong first report of a correction', () => {
  const wrong = withTransposition(truth);

  it('moves a few votes between candidates and keeps every sum, so it passes the hard rules', () => {
    expect(wrong.counts).not.toEqual(truth.counts);
    expect(sumOfCandidates(wrong)).toBe(truth.counts.D);
    expect(wrong.counts.B).toBe(truth.counts.B);
    const changed = Object.keys(truth.counts).filter((k) => wrong.counts[k] !== truth.counts[k]);
    expect(changed).toHaveLength(2);
  });

  it('changes at most ~1 % of B, below the large-change warning', () => {
    const moved = Math.abs((wrong.counts.D1 ?? 0) - (truth.counts.D1 ?? 0));
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThanOrEqual(Math.max(1, (truth.counts.B ?? 0) * 0.01));
  });

  it('is followed by the truth as revision 2 with a reason, a valid Schnellmeldung', () => {
    const correction = asCorrection(truth);
    expect(SchnellmeldungSchema.parse(correction)).toMatchObject({
      revision: 2,
      counts: truth.counts,
    });
    expect(correction.correctionReason?.length).toBeGreaterThanOrEqual(3);
  });
});

describe('tamperEnvelope', () => {
  const jwe = [
    'eyJhbGciOiJFQ0RILUVTIn0',
    '',
    'aXYtaXYtaXYtaXY',
    'Y2lwaGVydGV4dC1jaXBoZXJ0ZXh0LWNpcGhlcg',
    'dGFnLXRhZy10YWc',
  ].join('.');
  const envelope = JSON.stringify({ format: 'wahlkoffer.meldung/1', jwe });

  it('changes exactly one character, inside the JWE ciphertext', () => {
    const tampered = JSON.parse(tamperEnvelope(envelope)) as { jwe: string; format: string };
    expect(tampered.format).toBe('wahlkoffer.meldung/1');
    const before = jwe.split('.');
    const after = tampered.jwe.split('.');
    expect(after.filter((s, i) => s !== before[i])).toHaveLength(1);
    expect(after[3]).not.toBe(before[3]);
    const diff = [...after[3]!].filter((c, i) => c !== before[3]![i]);
    expect(diff).toHaveLength(1);
  });

  it('changes one character of any other text', () => {
    const tampered = tamperEnvelope('abcdefgh');
    expect([...tampered].filter((c, i) => c !== 'abcdefgh'[i])).toHaveLength(1);
  });
});
