import { describe, expect, it } from 'vitest';
import {
  EntrySignatureSchema,
  PersonNameSchema,
  SchnellmeldungSchema,
  initialsOf,
} from '../../election/index.ts';
import { cityReport } from './fixtures.ts';

describe('Schnellmeldung: the two poll workers', () => {
  it('still accepts reports signed with role and initials only (format /1 as first used)', () => {
    expect(SchnellmeldungSchema.safeParse(cityReport()).success).toBe(true);
  });

  it('accepts both names next to role and initials', () => {
    const report = cityReport({
      enteredBy: [
        { role: 'WAHLVORSTEHER', initials: 'MM', name: 'Maria Müller' },
        { role: 'SCHRIFTFUEHRER', initials: 'ŞÖ', name: 'Şükrü Özdemir' },
      ],
    });
    expect(SchnellmeldungSchema.safeParse(report).success).toBe(true);
  });

  it.each([
    '',
    'A',
    ' Maria',
    'Maria ',
    'Maria  Müller',
    '1337',
    'Maria <script>',
    'x'.repeat(101),
  ])('refuses %j as a name', (name) => {
    expect(PersonNameSchema.safeParse(name).success).toBe(false);
  });

  it.each([
    ['Maria Müller', 'MM'],
    ['Hans-Jürgen von der Leyen', 'HJVD'],
    ['Şükrü Özdemir', 'ŞÖ'],
    ["Sinéad O'Connor", 'SO'],
    ['李小龙', '李'],
  ])('derives initials of %s as %s', (name, initials) => {
    expect(initialsOf(name)).toBe(initials);
    expect(EntrySignatureSchema.safeParse({ role: 'BEISITZER', initials, name }).success).toBe(
      true,
    );
  });
});
