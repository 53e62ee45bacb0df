import { describe, expect, it } from 'vitest';
import { ballotSections, requiredKennbuchstaben } from '../../election/index.ts';
import { bundestagDefinition, cityDefinition } from './fixtures.ts';

describe('requiredKennbuchstaben', () => {
  const bundestag = bundestagDefinition().contests[0]!;
  const ob = cityDefinition().contests[0]!;

  it('Bundestag, Urnenwahlbezirk: A1 A2 A3 A B B1, Erststimme C D D1…Dn, Zweitstimme E F F1…Fn', () => {
    expect(requiredKennbuchstaben(bundestag, 'URNE')).toEqual([
      'A1',
      'A2',
      'A3',
      'A',
      'B',
      'B1',
      'C',
      'D',
      'D1',
      'D2',
      'E',
      'F',
      'F1',
      'F2',
    ]);
  });

  it('Bundestag, Briefwahlbezirk: no A values', () => {
    expect(requiredKennbuchstaben(bundestag, 'BRIEF')).toEqual([
      'B',
      'B1',
      'C',
      'D',
      'D1',
      'D2',
      'E',
      'F',
      'F1',
      'F2',
    ]);
  });

  it('majority vote: one section, no E/F', () => {
    expect(requiredKennbuchstaben(ob, 'URNE')).toEqual([
      'A1',
      'A2',
      'A3',
      'A',
      'B',
      'B1',
      'C',
      'D',
      'D1',
      'D2',
      'D3',
    ]);
    expect(requiredKennbuchstaben(ob, 'BRIEF')).toEqual(['B', 'B1', 'C', 'D', 'D1', 'D2', 'D3']);
  });

  it('maps ballot positions to candidate and list ids', () => {
    const [erst, zweit] = ballotSections(bundestag);
    expect(erst?.choices).toEqual([
      { key: 'D1', id: 'n-a' },
      { key: 'D2', id: 'n-b' },
    ]);
    expect(zweit?.choices.map((c) => c.id)).toEqual(['by-csu', 'by-gruene']);
    expect(zweit?.codes).toEqual({ balance: 'F.401', sum: 'F.402' });
  });
});
