import type { FourEyesStatus, LocalizedMessage } from '../../../../election/index.ts';

import type { OfficeLang } from '../context.ts';

/** The dashboard's languages (one type for every page: context.ts). */
export type Lang = OfficeLang;

/**
 * Every text of the office's action pages (Telefon, Stationen), German first. The refusals of
 * the services carry their own texts (office/actions/errors.ts); these are the pages' words.
 */
export const M = {
  phoneTitle: { de: 'Telefon', en: 'Phone' },
  confirmHeading: { de: 'Meldung telefonisch bestätigen', en: 'Confirm a report by phone' },
  confirmIntro: {
    de: 'Die Wahlvorsteherin oder der Wahlvorsteher liest den Quittungscode vom Wahlkoffer vor. Stimmt er mit der gespeicherten Quittung überein, ist die Meldung bestätigt.',
    en: 'The Wahlvorsteher reads out the receipt code the kit shows. If it matches the stored receipt, the report is confirmed.',
  },
  precinct: { de: 'Stimmbezirk', en: 'District' },
  precinctHint: {
    de: 'Nummer (z. B. 0101) oder Kennung des Stimmbezirks',
    en: 'number (e.g. 0101) or id of the district',
  },
  receiptCode: { de: 'Quittungscode', en: 'Receipt code' },
  receiptCodeHint: {
    de: '8 Zeichen, z. B. 7KQ2-M9XD; Groß-/Kleinschreibung, Leerzeichen und Bindestrich egal',
    en: '8 characters, e.g. 7KQ2-M9XD; case, spaces and dashes do not matter',
  },
  confirmButton: { de: 'Code prüfen und bestätigen', en: 'Check the code and confirm' },
  confirmed: { de: 'Telefonisch bestätigt', en: 'Confirmed by phone' },
  confirmedText: {
    de: 'Meldung Nr. {sequence} ({contest}) von Stimmbezirk {precinct} ist telefonisch bestätigt – von {by}, {at}.',
    en: 'Report no. {sequence} ({contest}) of district {precinct} is confirmed by phone – by {by}, {at}.',
  },
  refused: { de: 'Nicht bestätigt', en: 'Not confirmed' },
  errorCode: { de: 'Fehlercode', en: 'Error code' },
  confirmationsHeading: { de: 'Bestätigungen dieser Nacht', en: 'Confirmations tonight' },
  noConfirmations: {
    de: 'Noch keine Meldung telefonisch bestätigt.',
    en: 'No report confirmed by phone yet.',
  },
  report: { de: 'Meldung Nr.', en: 'Report no.' },
  contest: { de: 'Wahl', en: 'Contest' },
  by: { de: 'von', en: 'by' },
  at: { de: 'um', en: 'at' },
  phonedHeading: { de: 'Ergebnis telefonisch erfassen', en: 'Take a result by phone' },
  phonedIntro: {
    de: 'Wenn ein Wahlkoffer ausfällt: Eine Person erfasst die vorgelesenen Zahlen in der Reihenfolge der Schnellmeldung (Anlage 28), eine zweite Person erfasst sie noch einmal, ohne die erste Eingabe zu sehen. Das Ergebnis zählt als „telefonisch erfasst“.',
    en: 'When a kit fails: one person types the figures read out, in the order of the Schnellmeldung form (Anlage 28); a second person types them again without seeing the first entry. The result counts as "taken by phone".',
  },
  openEntry: { de: 'Erfassung öffnen', en: 'Open the entry' },
  entriesHeading: { de: 'Erfassungen in Arbeit', en: 'Entries in progress' },
  noEntries: {
    de: 'Keine telefonische Erfassung in Arbeit.',
    en: 'No phoned-in entry in progress.',
  },
  status: { de: 'Stand', en: 'State' },
  since: { de: 'zuletzt geändert', en: 'last change' },
  entryTitle: { de: 'Telefonische Erfassung', en: 'Phoned-in entry' },
  back: { de: 'Zurück zu Telefon', en: 'Back to Phone' },
  firstPerson: { de: 'Ersteingabe', en: 'First entry' },
  secondPerson: { de: 'Zweiteingabe', en: 'Second entry' },
  nobody: { de: 'noch niemand', en: 'nobody yet' },
  you: { de: 'Sie', en: 'you' },
  startFirst: { de: 'Ersteingabe beginnen', en: 'Start the first entry' },
  startSecond: { de: 'Zweiteingabe beginnen (blind)', en: 'Start the second entry (blind)' },
  startFirstHint: {
    de: 'Lassen Sie sich die Zahlen Zeile für Zeile vorlesen, in der Reihenfolge der Schnellmeldung. Mit der Tabulatortaste geht es zum nächsten Feld; Enter speichert.',
    en: 'Have the figures read out line by line, in the order of the Schnellmeldung. Tab moves to the next field; Enter saves.',
  },
  startSecondHint: {
    de: 'Die erste Eingabe bleibt verborgen. Lassen Sie sich die Zahlen noch einmal vorlesen.',
    en: 'The first entry stays hidden. Have the figures read out once more.',
  },
  waitForSecond: {
    de: 'Ihre Eingabe ist abgeschlossen. Jetzt muss eine andere Person die Zweiteingabe machen.',
    en: 'Your entry is finished. Now another person must make the second entry.',
  },
  waitForOther: {
    de: 'Diese Erfassung gehört {first}{second}. Sie können hier nichts eingeben.',
    en: 'This entry belongs to {first}{second}. You cannot enter anything here.',
  },
  andSecond: { de: ' und {name}', en: ' and {name}' },
  field: { de: 'Feld', en: 'Field' },
  value: { de: 'Zahl', en: 'Figure' },
  save: { de: 'Zwischenspeichern', en: 'Save' },
  finish: { de: 'Eingabe abschließen', en: 'Finish the entry' },
  reopen: { de: 'Eingabe wieder öffnen', en: 'Reopen the entry' },
  discard: { de: 'Verwerfen und neu beginnen', en: 'Discard and start again' },
  differHeading: { de: 'Die beiden Eingaben weichen ab', en: 'The two entries differ' },
  differIntro: {
    de: 'Lassen Sie sich jede abweichende Zahl noch einmal vorlesen und wählen Sie die richtige – oder tippen Sie sie neu.',
    en: 'Have every differing figure read out once more and choose the right one – or type it anew.',
  },
  keepFirst: { de: 'Ersteingabe', en: 'first entry' },
  keepSecond: { de: 'Zweiteingabe', en: 'second entry' },
  enterAgain: { de: 'neu eingeben', en: 'type again' },
  resolve: { de: 'Abweichungen klären', en: 'Settle the differences' },
  readyHeading: { de: 'Beide Eingaben stimmen überein', en: 'Both entries agree' },
  readyIntro: {
    de: 'Prüfen Sie die Zahlen. Jede Warnung braucht eine schriftliche Begründung (3–500 Zeichen). Mit „Ergebnis übernehmen“ wird es als telefonisch erfasst gezählt.',
    en: 'Check the figures. Every warning needs a written reason (3–500 characters). "Take the result" counts it as taken by phone.',
  },
  reason: { de: 'Begründung', en: 'Reason' },
  sign: { de: 'Ergebnis übernehmen', en: 'Take the result' },
  countedHeading: { de: 'Telefonisch erfasst und gezählt', en: 'Taken by phone and counted' },
  countedText: {
    de: 'Stimmbezirk {precinct} ({contest}) ist als Meldung Nr. {sequence} gezählt, Quelle „telefonisch“.',
    en: 'District {precinct} ({contest}) is counted as report no. {sequence}, source "by phone".',
  },
  readBack: {
    de: 'Lesen Sie dem Wahlvorstand diesen Code zur Kontrolle vor und notieren Sie ihn in der Niederschrift:',
    en: 'Read this code back to the Wahlvorstand and note it in the record:',
  },
  errors: { de: 'Fehler', en: 'Errors' },
  warnings: { de: 'Warnungen', en: 'Warnings' },
  notANumber: {
    de: 'Nur ganze Zahlen ohne Vorzeichen, z. B. 1234 oder 1.234.',
    en: 'Whole numbers only, e.g. 1234 or 1,234.',
  },
  formInvalid: {
    de: 'Das Formular war unvollständig oder veraltet. Seite neu laden und noch einmal versuchen.',
    en: 'The form was incomplete or out of date. Reload the page and try again.',
  },
  precinctUnknownTyped: {
    de: 'Den Stimmbezirk „{typed}“ gibt es nicht. Nummer oder Kennung prüfen.',
    en: 'There is no district "{typed}". Check the number or id.',
  },
  precinctAmbiguous: {
    de: 'Die Nummer „{typed}“ haben mehrere Stimmbezirke. Bitte die Kennung eingeben.',
    en: 'Several districts have the number "{typed}". Please type the id.',
  },
  stationsTitle: { de: 'Stationen', en: 'Stations' },
  stationsIntro: {
    de: 'Jeder Wahlkoffer mit seinem Zertifikat und seinem letzten Kontakt. Ein gestohlener oder verlorener Wahlkoffer wird gesperrt; ein Ersatz bekommt ein neues Zertifikat, eine neue Einrichtungsdatei und einen neuen Brief und kann sofort melden.',
    en: 'Every kit with its certificate and its last contact. A stolen or lost kit is revoked; a replacement gets a new certificate, setup file and letter and can report at once.',
  },
  readOnly: {
    de: 'Sie sehen diese Seite nur lesend; Sperren und Ersetzen darf die Administration.',
    en: 'You see this page read-only; revoking and replacing is for administrators.',
  },
  filter: { de: 'Suchen', en: 'Search' },
  filterHint: { de: 'Nummer, Kennung oder Name', en: 'number, id or name' },
  filterButton: { de: 'Filtern', en: 'Filter' },
  certificate: { de: 'Zertifikat', en: 'Certificate' },
  lastContact: { de: 'Letzter Kontakt', en: 'Last contact' },
  failedAttempts: { de: 'Fehlversuche', en: 'Failed attempts' },
  actions: { de: 'Aktionen', en: 'Actions' },
  never: { de: 'noch nie', en: 'never' },
  revoke: { de: 'Sperren …', en: 'Revoke …' },
  replace: { de: 'Ersetzen …', en: 'Replace …' },
  shown: {
    de: '{shown} von {total} Stationen',
    en: '{shown} of {total} stations',
  },
  previous: { de: 'Vorherige Seite', en: 'Previous page' },
  next: { de: 'Nächste Seite', en: 'Next page' },
  ISSUED: { de: 'ausgegeben', en: 'issued' },
  REVOKED: { de: 'gesperrt', en: 'revoked' },
  NOT_ISSUED: { de: 'nicht ausgegeben', en: 'not issued' },
  noIssuingKey: {
    de: 'Der Schlüssel der ausstellenden CA liegt nicht auf diesem Rechner: Sperren und Ersetzen nur mit „wahlkoffer pki revoke/issue“ am PKI-Rechner; der Server übernimmt das Ergebnis von selbst.',
    en: 'The issuing CA key is not on this machine: revoke and replace with `wahlkoffer pki revoke/issue` on the PKI machine; the server follows by itself.',
  },
  revokeTitle: { de: 'Wahlkoffer sperren', en: 'Revoke a kit' },
  revokeIntro: {
    de: 'Nach dem Sperren lehnt der Server jede weitere Meldung und die offene Sitzung dieses Wahlkoffers sofort ab. Das lässt sich nicht rückgängig machen; der Stimmbezirk braucht dann einen Ersatz.',
    en: 'Once revoked, the server refuses every further report and the open session of this kit at once. This cannot be undone; the district then needs a replacement.',
  },
  revokeReason: { de: 'Grund', en: 'Reason' },
  caPassphrase: { de: 'CA-Passphrase', en: 'CA passphrase' },
  caPassphraseHint: {
    de: 'Vom CA-Stick bzw. aus dem Tresor. Sie wird nur für diese eine Aktion benutzt und nirgends gespeichert.',
    en: 'From the CA stick or the safe. It is used for this one action only and stored nowhere.',
  },
  typeNumber: {
    de: 'Zur Bestätigung die Nummer des Stimmbezirks eintippen: {number}',
    en: 'To confirm, type the district number: {number}',
  },
  confirmMismatch: {
    de: 'Die eingetippte Nummer stimmt nicht mit {number} überein. Nichts wurde geändert.',
    en: 'The number typed does not match {number}. Nothing was changed.',
  },
  passphraseMissing: {
    de: 'Bitte die CA-Passphrase eingeben. Nichts wurde geändert.',
    en: 'Please type the CA passphrase. Nothing was changed.',
  },
  revokeButton: { de: 'Endgültig sperren', en: 'Revoke for good' },
  revokedHeading: { de: 'Gesperrt', en: 'Revoked' },
  revokedText: {
    de: 'Das Zertifikat {serial} von Stimmbezirk {precinct} ist gesperrt. Der Server lehnt die nächste Meldung dieses Wahlkoffers ab. Als Nächstes: einen Ersatz ausgeben.',
    en: 'Certificate {serial} of district {precinct} is revoked. The server refuses this kit’s next report. Next: issue a replacement.',
  },
  replaceTitle: { de: 'Ersatz-Wahlkoffer ausgeben', en: 'Issue a replacement kit' },
  replaceIntro: {
    de: 'Erzeugt ein neues Zertifikat, eine neue Einrichtungsdatei und einen neuen versiegelten Brief. Ein noch gültiges Zertifikat des Stimmbezirks wird dabei gesperrt. Der neue Wahlkoffer kann sofort melden, ohne Neustart des Servers.',
    en: 'Creates a new certificate, setup file and sealed letter. A still valid certificate of the district is revoked. The new kit can report at once, without a server restart.',
  },
  replaceButton: { de: 'Ersatz erzeugen', en: 'Create the replacement' },
  replacedHeading: { de: 'Ersatz erzeugt', en: 'Replacement created' },
  replacedText: {
    de: 'Neues Zertifikat {serial} für Stimmbezirk {precinct}.',
    en: 'New certificate {serial} for district {precinct}.',
  },
  supersededText: {
    de: 'Gesperrt wurden dabei: {serials}.',
    en: 'Revoked with it: {serials}.',
  },
  bundleWhere: {
    de: 'Einrichtungsdatei – auf einen USB-Stick kopieren und mit dem Ersatz-Wahlkoffer übergeben:',
    en: 'Setup file – copy onto a USB stick and hand it over with the spare kit:',
  },
  letterWhere: {
    de: 'Brief an die Wahlvorsteherin / den Wahlvorsteher – ausdrucken, versiegeln, getrennt vom Stick übergeben, danach die Datei löschen:',
    en: 'Letter to the Wahlvorsteher – print, seal, hand over separately from the stick, then delete the file:',
  },
  handOver: {
    de: 'Dem Stimmbezirk sagen: Stick einstecken, Fingerabdruck aus dem neuen Brief eintippen, mit der neuen Passphrase entsperren, die Code-App mit dem neuen QR-Code einrichten, dann noch einmal senden.',
    en: 'Tell the district: insert the stick, type the fingerprint from the new letter, unlock with the new passphrase, set up the code app with the new QR code, then send again.',
  },
  backToStations: { de: 'Zurück zu Stationen', en: 'Back to Stations' },
  operatorNameUnsuitable: {
    de: 'Ihr Benutzername „{name}“ enthält Ziffern oder Zeichen, die im Vier-Augen-Protokoll nicht als Name gelten. Telefonische Ergebnisse nur mit Benutzernamen aus Buchstaben (z. B. anna.schmidt) erfassen; die Administration legt solche Benutzer an.',
    en: 'Your user name "{name}" holds digits or characters that the four-eyes record does not take as a name. Take phoned-in results only with user names of letters (e.g. anna.schmidt); an administrator creates such users.',
  },
  notAllowed: {
    de: 'Diese Aktion ist Ihrer Rolle nicht erlaubt.',
    en: 'Your role may not do this.',
  },
} as const satisfies Record<string, LocalizedMessage>;

export type MessageKey = keyof typeof M;

/** The text in `lang` with `{name}` placeholders filled (values are plain text: html() escapes). */
export function t(
  lang: Lang,
  key: MessageKey,
  values: Record<string, string | number> = {},
): string {
  return M[key][lang].replace(/\{(\w+)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? String(values[name]) : whole,
  );
}

/** The four-eyes states in the office's words. */
export const STATUS_WORDS: Record<FourEyesStatus, LocalizedMessage> = {
  EMPTY: { de: 'noch nichts erfasst', en: 'nothing entered yet' },
  CORRECTION: { de: 'Korrektur begonnen', en: 'correction started' },
  FIRST_ENTRY_IN_PROGRESS: { de: 'Ersteingabe läuft', en: 'first entry in progress' },
  FIRST_ENTRY_DONE: { de: 'wartet auf Zweiteingabe', en: 'waiting for the second entry' },
  SECOND_ENTRY_IN_PROGRESS: { de: 'Zweiteingabe läuft', en: 'second entry in progress' },
  ENTRIES_DIFFER: { de: 'Eingaben weichen ab', en: 'entries differ' },
  READY_TO_SIGN: { de: 'bereit zur Übernahme', en: 'ready to be taken' },
  SIGNED: { de: 'telefonisch erfasst', en: 'taken by phone' },
};

/** RFC 5280 reasons an office chooses from, in its words. */
export const REVOCATION_REASON_WORDS = {
  keyCompromise: {
    de: 'gestohlen oder verloren (Schlüssel kompromittiert)',
    en: 'stolen or lost (key compromise)',
  },
  cessationOfOperation: {
    de: 'Wahlkoffer defekt, außer Betrieb',
    en: 'kit broken, out of service',
  },
  superseded: { de: 'durch einen anderen Wahlkoffer ersetzt', en: 'superseded by another kit' },
  unspecified: { de: 'anderer Grund', en: 'other reason' },
} as const satisfies Record<string, LocalizedMessage>;
export type OfficeRevocationReason = keyof typeof REVOCATION_REASON_WORDS;
