import { describe, expect, it } from 'vitest';
import { indexElection } from '../../../../election/index.ts';
import {
  EntryFieldsSchema,
  parseCount,
  sameNumber,
} from '../../../../central-server/office/web/actions/forms.ts';
import { precinctFinder } from '../../../../central-server/office/web/actions/precinct-lookup.ts';
import { ELECTION } from '../../fixture.ts';

describe('a count as an operator types it', () => {
  it('takes digits, grouped by thousands or not', () => {
    expect(parseCount('1234')).toBe(1234);
    expect(parseCount(' 1.234 ')).toBe(1234);
    expect(parseCount('1,234')).toBe(1234);
    expect(parseCount('1 234 567')).toBe(1234567);
    expect(parseCount('0')).toBe(0);
  });

  it('refuses what is not a count instead of guessing, and clears an empty field', () => {
    for (const typed of ['-5', '12,5', '1.23', '1e3', 'zwölf', '0x10', '１２', '1234567890']) {
      expect(parseCount(typed), typed).toBeNull();
    }
    expect(parseCount('  ')).toBe('');
  });
});

describe('the fields of an entry form', () => {
  it('are bounded: known prefixes, short keys, short values, a repeated field refused', () => {
    expect(EntryFieldsSchema.safeParse({ v_D1: '400', ack_W201: 'Altenheim' }).success).toBe(true);
    expect(EntryFieldsSchema.safeParse({ __proto__x: '1' }).success).toBe(false);
    expect(EntryFieldsSchema.safeParse({ v_D1: ['1', '2'] }).success).toBe(false);
    expect(EntryFieldsSchema.safeParse({ v_D1: 'x'.repeat(501) }).success).toBe(false);
  });
});

describe('finding the district an operator typed', () => {
  const find = precinctFinder(indexElection(ELECTION));

  it('by its id or by its number, leading zeros or not', () => {
    expect(find('P2')).toMatchObject({ ok: true, precinct: { id: 'P2' } });
    expect(find('0201')).toMatchObject({ ok: true, precinct: { id: 'P2' } });
    expect(find(' 201 ')).toMatchObject({ ok: true, precinct: { id: 'P2' } });
  });

  it('refuses an unknown one and a number two districts share', () => {
    expect(find('0999')).toEqual({ ok: false, code: 'PRECINCT_NOT_FOUND' });
    expect(find('')).toEqual({ ok: false, code: 'PRECINCT_NOT_FOUND' });
    const twice = indexElection({
      ...ELECTION,
      precincts: ELECTION.precincts.map((p) => (p.id === 'P3' ? { ...p, number: '0201' } : p)),
    });
    expect(precinctFinder(twice)('0201')).toEqual({ ok: false, code: 'PRECINCT_AMBIGUOUS' });
  });

  it('compares a typed confirmation number with leading zeros or without', () => {
    expect(sameNumber('0202', '0202')).toBe(true);
    expect(sameNumber('202', '0202')).toBe(true);
    expect(sameNumber('0201', '0202')).toBe(false);
  });
});
