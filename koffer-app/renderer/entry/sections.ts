import type { FourEyesView } from '../../../election/index.ts';
import type { MessageKey } from '../i18n/de.ts';

export type FormField = FourEyesView['fields'][number];

export type FormSection = {
  readonly id: string;
  readonly title: MessageKey;
  readonly fields: readonly FormField[];
};

/**
 * The blocks of Anlage 28, in form order: Wahlberechtigte (A…), Wähler (B, B1), then each
 * ballot section (C, D, D1…; E, F, F1…). The fields come in form order from election/.
 */
export function formSections(fields: readonly FormField[]): FormSection[] {
  const hasSecond = fields.some((f) => f.key === 'E');
  const groups: { id: string; title: MessageKey; test: (key: string) => boolean }[] = [
    { id: 'register', title: 'entry.sectionRegister', test: (k) => /^A\d?$/.test(k) },
    { id: 'voters', title: 'entry.sectionVoters', test: (k) => /^B\d?$/.test(k) },
    {
      id: 'first',
      title: hasSecond ? 'entry.sectionFirstVotes' : 'entry.sectionVotes',
      test: (k) => /^[CD]\d*$/.test(k),
    },
    { id: 'second', title: 'entry.sectionSecondVotes', test: (k) => /^[EF]\d*$/.test(k) },
  ];
  return groups
    .map((g) => ({ id: g.id, title: g.title, fields: fields.filter((f) => g.test(f.key)) }))
    .filter((g) => g.fields.length > 0);
}
