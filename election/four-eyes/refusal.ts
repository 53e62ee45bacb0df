import type { LocalizedMessage } from '../error.ts';
import type { Finding } from '../plausibility/index.ts';

/**
 * Why the four-eyes machine refused an event. Refusals are expected outcomes (a poll worker
 * pressed "fertig" with an empty field), so they are values, not exceptions; each code has a
 * German and an English message saying what to do.
 */
export type FourEyesRefusalCode =
  | 'EVENT_NOT_ALLOWED'
  | 'TARGET_UNKNOWN'
  | 'INVALID_PERSON'
  | 'SAME_PERSON'
  | 'UNKNOWN_FIELD'
  | 'INVALID_VALUE'
  | 'ENTRY_INCOMPLETE'
  | 'ENTRY_HAS_ERRORS'
  | 'NOT_A_DIFFERENCE'
  | 'DIFFERENCES_UNRESOLVED'
  | 'RESOLUTION_HAS_ERRORS'
  | 'NOT_A_WARNING'
  | 'REASON_INVALID'
  | 'REPORT_HAS_ERRORS'
  | 'WARNINGS_UNACKNOWLEDGED'
  | 'ROLE_MISSING'
  | 'REVISION_LIMIT';

export type FourEyesRefusal = {
  readonly code: FourEyesRefusalCode;
  readonly message: LocalizedMessage;
  /** the findings behind ENTRY_HAS_ERRORS, RESOLUTION_HAS_ERRORS and REPORT_HAS_ERRORS */
  readonly findings?: readonly Finding[];
  /** the fields concerned (missing, unresolved), as field paths `counts.X` */
  readonly fields?: readonly string[];
};

export const REFUSAL_MESSAGES: { readonly [C in FourEyesRefusalCode]: LocalizedMessage } = {
  EVENT_NOT_ALLOWED: {
    de: 'Dieser Schritt ist jetzt nicht möglich. Bitte dem Ablauf auf dem Bildschirm folgen.',
    en: 'This step is not possible now. Follow the steps on the screen.',
  },
  TARGET_UNKNOWN: {
    de: 'Stimmbezirk oder Wahl gehören nicht zur geladenen Wahl. Bitte das Wahlamt anrufen.',
    en: 'The precinct or contest does not belong to the loaded election. Call the election office.',
  },
  INVALID_PERSON: {
    de: 'Bitte den Namen so eingeben, wie er auf der Niederschrift steht (nur Buchstaben, Leerzeichen, Bindestrich).',
    en: 'Enter the name as written on the record (letters, spaces and hyphens only).',
  },
  SAME_PERSON: {
    de: 'Die zweite Eingabe muss eine andere Person machen als die erste (Vier-Augen-Prinzip).',
    en: 'The second entry must be made by a different person than the first (four eyes).',
  },
  UNKNOWN_FIELD: {
    de: 'Dieses Feld gibt es auf dem Formular für diesen Stimmbezirk nicht.',
    en: 'This field is not on the form for this precinct.',
  },
  INVALID_VALUE: {
    de: 'Bitte nur ganze Zahlen ab 0 eingeben (höchstens neunstellig).',
    en: 'Enter whole numbers from 0 only (at most nine digits).',
  },
  ENTRY_INCOMPLETE: {
    de: 'Noch nicht alle Felder sind ausgefüllt. Bitte jedes Feld ausfüllen, 0 wenn es keine Stimmen gab.',
    en: 'Not every field is filled in. Fill in every field, 0 where there were no votes.',
  },
  ENTRY_HAS_ERRORS: {
    de: 'Die Zahlen passen nicht zusammen. Bitte die rot markierten Fehler beheben, bevor die Eingabe abgeschlossen wird.',
    en: 'The figures do not add up. Fix the errors marked in red before finishing the entry.',
  },
  NOT_A_DIFFERENCE: {
    de: 'In diesem Feld stimmen beide Eingaben überein; hier ist nichts zu klären.',
    en: 'Both entries agree on this field; there is nothing to settle.',
  },
  DIFFERENCES_UNRESOLVED: {
    de: 'Noch nicht alle Abweichungen sind geklärt. Bitte für jedes markierte Feld entscheiden.',
    en: 'Not every difference is settled. Decide for each marked field.',
  },
  RESOLUTION_HAS_ERRORS: {
    de: 'Mit dieser Auswahl passen die Zahlen nicht zusammen. Bitte die Abweichungen anders klären oder neu eingeben.',
    en: 'With this choice the figures do not add up. Settle the differences differently or enter them again.',
  },
  NOT_A_WARNING: {
    de: 'Zu diesem Hinweis gibt es derzeit keine Warnung; eine Begründung ist nicht nötig.',
    en: 'There is no such warning at the moment; no reason is needed.',
  },
  REASON_INVALID: {
    de: 'Die Begründung muss 3 bis 500 Zeichen lang sein.',
    en: 'The reason must be 3 to 500 characters long.',
  },
  REPORT_HAS_ERRORS: {
    de: 'Die Meldung enthält Fehler und kann nicht unterschrieben werden.',
    en: 'The report has errors and cannot be signed.',
  },
  WARNINGS_UNACKNOWLEDGED: {
    de: 'Zu jeder Warnung braucht es eine schriftliche Begründung, bevor unterschrieben werden kann.',
    en: 'Every warning needs a written reason before the report can be signed.',
  },
  ROLE_MISSING: {
    de: 'Für die Unterschrift fehlt die Funktion im Wahlvorstand einer der beiden Personen.',
    en: 'The role in the electoral board of one of the two persons is missing for signing.',
  },
  REVISION_LIMIT: {
    de: 'Es sind keine weiteren Korrekturen möglich. Bitte das Wahlamt anrufen.',
    en: 'No further corrections are possible. Call the election office.',
  },
};

export function refusal(
  code: FourEyesRefusalCode,
  extra: { findings?: readonly Finding[]; fields?: readonly string[] } = {},
): FourEyesRefusal {
  return { code, message: REFUSAL_MESSAGES[code], ...extra };
}
