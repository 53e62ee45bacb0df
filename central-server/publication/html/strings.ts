import type { AreaLevel, PrecinctKind } from '../../../election/index.ts';
import type { ResultStatus } from '../model.ts';
import type { Lang } from './format.ts';

type Text = Record<Lang, string>;

/** Every fixed word of the public pages, German first (design/README.md status words). */
export const T = {
  results: { de: 'Vorläufige Ergebnisse', en: 'Provisional results' },
  skip: { de: 'Zum Inhalt springen', en: 'Skip to content' },
  otherLanguage: { de: 'English', en: 'Deutsch' },
  areas: { de: 'Gebiete', en: 'Areas' },
  asOf: { de: 'Stand', en: 'As of' },
  noReportYet: { de: 'Noch keine Meldung', en: 'No report yet' },
  lastReport: { de: 'Letzte Meldung', en: 'Last report' },
  turnout: { de: 'Wahlbeteiligung', en: 'Turnout' },
  valid: { de: 'Gültige Stimmen', en: 'Valid votes' },
  invalid: { de: 'Ungültige Stimmen', en: 'Invalid votes' },
  votes: { de: 'Stimmen', en: 'Votes' },
  share: { de: 'Anteil', en: 'Share' },
  choice: { de: 'Wahlvorschlag', en: 'Candidate / party' },
  area: { de: 'Gebiet', en: 'Area' },
  counted: { de: 'Ausgezählt', en: 'Counted' },
  leading: { de: 'Vorn', en: 'Leading' },
  districts: { de: 'Stimmbezirke', en: 'Polling districts' },
  districtColumn: { de: 'Stimmbezirk', en: 'Polling district' },
  number: { de: 'Nr.', en: 'No.' },
  kind: { de: 'Art', en: 'Type' },
  state: { de: 'Stand', en: 'Status' },
  time: { de: 'Eingang', en: 'Received' },
  notReported: { de: 'nicht gemeldet', en: 'not reported' },
  received: { de: 'eingegangen', en: 'received' },
  byPhone: { de: 'telefonisch erfasst', en: 'taken by phone' },
  fromKit: { de: 'vom Wahlkoffer, signiert', en: 'from the kit, signed' },
  corrected: { de: 'korrigiert', en: 'corrected' },
  noBallot: {
    de: 'Für dieses Gebiet gibt es kein gemeinsames Ergebnis; die Ergebnisse stehen bei den Teilgebieten.',
    en: 'There is no combined result for this area; see the results of its parts.',
  },
  notYet: { de: 'Noch keine Stimmbezirke ausgezählt.', en: 'No polling district counted yet.' },
  data: { de: 'Offene Daten und Prüfung', en: 'Open data and verification' },
  dataIntro: {
    de: 'Alle Zahlen dieser Seiten gibt es als Dateien. manifest.json enthält den SHA-256-Hashwert jeder Datei und ist vom Wahlamt signiert (manifest.p7s); so prüft jede Redaktion mit openssl, dass ihre Kopie unverändert ist.',
    en: 'Every figure on these pages is available as a file. manifest.json lists the SHA-256 hash of every file and is signed by the election office (manifest.p7s), so anyone can check a copy with openssl.',
  },
  json: { de: 'alle Ergebnisse (JSON)', en: 'all results (JSON)' },
  csv: {
    de: 'im Format der Bundeswahlleiterin (CSV)',
    en: "in the Federal Returning Officer's layout (CSV)",
  },
  eml: {
    de: 'OASIS EML 510 (XML) mit jedem Stimmbezirk',
    en: 'OASIS EML 510 (XML) with every district',
  },
  manifest: { de: 'Prüfsummen und Signatur', en: 'checksums and signature' },
  dataCheck: {
    de: 'Alle Ergebnisse und wie man die Dateien prüft',
    en: 'All results, and how to check the files',
  },
  footer: {
    de: 'Vorläufige Ergebnisse aus den Schnellmeldungen der Stimmbezirke (§ 71 BWO). Das amtliche Endergebnis stellt der Wahlausschuss fest. Jede Zahl stammt aus einer signierten Meldung eines Wahlkoffers oder ist als telefonisch erfasst gekennzeichnet.',
    en: 'Provisional results from the quick reports of the polling districts (§ 71 BWO). The official result is declared by the electoral committee. Every figure comes from a signed report of a kit or is marked as taken by phone.',
  },
  ofDistricts: { de: 'von', en: 'of' },
} as const satisfies Record<string, Text>;

export function statusWord(status: ResultStatus, lang: Lang): string {
  const words: Record<ResultStatus, Text> = {
    ZWISCHENERGEBNIS: { de: 'Zwischenergebnis', en: 'Interim result' },
    VORLAEUFIGES_ERGEBNIS: { de: 'Vorläufiges Ergebnis', en: 'Provisional result' },
  };
  return words[status][lang];
}

export function levelWord(level: AreaLevel, lang: Lang, plural: boolean): string {
  const words: Record<AreaLevel, [Text, Text]> = {
    BUND: [
      { de: 'Bund', en: 'Federation' },
      { de: 'Bund', en: 'Federation' },
    ],
    LAND: [
      { de: 'Land', en: 'State' },
      { de: 'Länder', en: 'States' },
    ],
    WAHLKREIS: [
      { de: 'Wahlkreis', en: 'Constituency' },
      { de: 'Wahlkreise', en: 'Constituencies' },
    ],
    KREIS: [
      { de: 'Kreis', en: 'District' },
      { de: 'Kreise', en: 'Districts' },
    ],
    GEMEINDE: [
      { de: 'Gemeinde', en: 'Municipality' },
      { de: 'Gemeinden', en: 'Municipalities' },
    ],
    STADT: [
      { de: 'Stadt', en: 'City' },
      { de: 'Städte', en: 'Cities' },
    ],
    STADTBEZIRK: [
      { de: 'Stadtbezirk', en: 'City district' },
      { de: 'Stadtbezirke', en: 'City districts' },
    ],
  };
  return words[level][plural ? 1 : 0][lang];
}

export function precinctKindWord(kind: PrecinctKind, lang: Lang): string {
  const words: Record<PrecinctKind, Text> = {
    URNE: { de: 'Urnenwahl', en: 'in person' },
    BRIEF: { de: 'Briefwahl', en: 'postal' },
  };
  return words[kind][lang];
}

/** "850 von 1.274 Stimmbezirken ausgezählt" */
export function progressText(reported: string, expected: string, lang: Lang): string {
  return lang === 'de'
    ? `${reported} von ${expected} Stimmbezirken ausgezählt`
    : `${reported} of ${expected} polling districts counted`;
}

/** "davon 3 telefonisch erfasst" */
export function phonedText(count: string, lang: Lang): string {
  return lang === 'de' ? `davon ${count} telefonisch erfasst` : `${count} of them taken by phone`;
}
