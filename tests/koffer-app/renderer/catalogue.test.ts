import { describe, expect, it } from 'vitest';
import { de } from '../../../koffer-app/renderer/i18n/de.ts';
import { en } from '../../../koffer-app/renderer/i18n/en.ts';
import { formSections } from '../../../koffer-app/renderer/entry/sections.ts';
import { formFields } from '../../../election/index.ts';
import { bundestagDefinition, cityDefinition } from '../../election/fixtures.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the kit’s message catalogues', () => {
  it('have the same keys in German and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(de).sort());
  });

  it('use the same placeholders in both languages', () => {
    for (const key of Object.keys(de) as (keyof typeof de)[]) {
      expect(placeholders(en[key]), key).toEqual(placeholders(de[key]));
    }
  });

  it('name every outbox state with the shared status words', () => {
    expect(de['outbox.WAITING']).toBe('wartet auf Netz');
    expect(de['outbox.CONFIRMED']).toBe('bestätigt – Code {code}');
    expect(de['outbox.SENDING']).toBe('wird gesendet');
  });
});

describe('the entry form’s blocks (Anlage 28)', () => {
  it('groups a Mehrheitswahl into Wahlberechtigte, Wähler and Stimmen, in form order', () => {
    const fields = formFields(cityDefinition().contests[0]!, 'URNE');
    const sections = formSections(fields);
    expect(sections.map((s) => [s.title, s.fields.map((f) => f.key)])).toEqual([
      ['entry.sectionRegister', ['A1', 'A2', 'A3', 'A']],
      ['entry.sectionVoters', ['B', 'B1']],
      ['entry.sectionVotes', ['C', 'D', 'D1', 'D2', 'D3']],
    ]);
  });

  it('splits a Bundestag ballot into Erst- and Zweitstimmen, without A values for Briefwahl', () => {
    const fields = formFields(bundestagDefinition().contests[0]!, 'BRIEF');
    const sections = formSections(fields);
    expect(sections.map((s) => s.title)).toEqual([
      'entry.sectionVoters',
      'entry.sectionFirstVotes',
      'entry.sectionSecondVotes',
    ]);
    expect(sections.flatMap((s) => s.fields.map((f) => f.key))).toEqual(fields.map((f) => f.key));
  });
});
