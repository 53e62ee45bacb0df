import { describe, expect, it } from 'vitest';
import { formFields, requiredKennbuchstaben } from '../../election/index.ts';
import { bundestagDefinition, cityDefinition } from './fixtures.ts';

describe('formFields', () => {
  it('lists the Kennbuchstaben in form order with labels and the field paths of the findings', () => {
    const ob = cityDefinition().contests[0]!;
    const fields = formFields(ob, 'URNE');
    expect(fields.map((f) => f.key)).toEqual(requiredKennbuchstaben(ob, 'URNE'));
    expect(fields.find((f) => f.key === 'D3')).toEqual({
      key: 'D3',
      path: 'counts.D3',
      label: { de: 'Katrin Habenschaden (GRÜNE)', en: 'Katrin Habenschaden (GRÜNE)' },
    });
    expect(fields.find((f) => f.key === 'C')?.label.de).toBe('Ungültige Stimmen');
  });

  it('names the Landeslisten for the Zweitstimme and leaves out A values for a Briefwahlbezirk', () => {
    const btw = bundestagDefinition().contests[0]!;
    const fields = formFields(btw, 'BRIEF');
    expect(fields.map((f) => f.key)).not.toContain('A1');
    expect(fields.find((f) => f.key === 'F1')?.label.de).toBe(
      'CSU – Christlich-Soziale Union in Bayern',
    );
    expect(fields.find((f) => f.key === 'E')?.label.de).toBe('Ungültige Zweitstimmen');
  });
});
