import { ballotSections, requiredKennbuchstaben } from './contest-kinds.ts';
import type { Contest, PrecinctKind } from './definition.ts';
import type { LocalizedMessage } from './error.ts';

/**
 * The Schnellmeldung form as data (Abacus `dataEntryStructure` style): every Kennbuchstabe a
 * precinct reports for a contest, in form order, with the label printed on Anlage 28. The kit
 * renders its entry form and the print-out from this; the field path matches the findings'
 * `fields` (`counts.D3`), so a finding highlights exactly its input.
 */
export type FormField = {
  readonly key: string;
  readonly path: string;
  readonly label: LocalizedMessage;
};

const FIXED_LABELS: Readonly<Record<string, LocalizedMessage>> = {
  A1: {
    de: 'Wahlberechtigte laut Wählerverzeichnis ohne Sperrvermerk „W“ (Wahlschein)',
    en: 'registered voters without the "W" mark (polling card)',
  },
  A2: {
    de: 'Wahlberechtigte laut Wählerverzeichnis mit Sperrvermerk „W“ (Wahlschein)',
    en: 'registered voters with the "W" mark (polling card)',
  },
  A3: {
    de: 'Wahlberechtigte nicht im Wählerverzeichnis (§ 25 Abs. 2 BWO)',
    en: 'eligible voters not in the register (§ 25(2) BWO)',
  },
  A: {
    de: 'Wahlberechtigte insgesamt (A1 + A2 + A3)',
    en: 'eligible voters in total (A1 + A2 + A3)',
  },
  B: { de: 'Wähler insgesamt', en: 'voters in total' },
  B1: { de: 'darunter Wähler mit Wahlschein', en: 'of whom voters with a polling card' },
};

export function formFields(contest: Contest, precinctKind: PrecinctKind): FormField[] {
  const labels = new Map<string, LocalizedMessage>(Object.entries(FIXED_LABELS));
  for (const section of ballotSections(contest)) {
    labels.set(section.invalid, {
      de: `Ungültige ${section.label.de}`,
      en: `invalid ${section.label.en}`,
    });
    labels.set(section.valid, {
      de: `Gültige ${section.label.de}`,
      en: `valid ${section.label.en}`,
    });
    const names = new Map<string, string>(
      section.choiceKind === 'candidate'
        ? contest.candidates.map((c) => [
            c.id,
            c.party === undefined ? c.name : `${c.name} (${c.party})`,
          ])
        : contest.kind === 'BUNDESTAG'
          ? contest.lists.map((l) => [l.id, `${l.party} – ${l.name}`])
          : [],
    );
    for (const choice of section.choices) {
      const name = names.get(choice.id) ?? choice.id;
      labels.set(choice.key, { de: name, en: name });
    }
  }
  return requiredKennbuchstaben(contest, precinctKind).map((key) => ({
    key,
    path: `counts.${key}`,
    label: labels.get(key) ?? { de: key, en: key },
  }));
}
