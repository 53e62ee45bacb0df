/** The two languages of the public pages. */
export type Lang = 'de' | 'en';

const LOCALE: Record<Lang, string> = { de: 'de-DE', en: 'en-GB' };

const integerFormats = new Map<Lang, Intl.NumberFormat>();
const percentFormats = new Map<Lang, Intl.NumberFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();
const electionDays = new Map<string, string>();

/** 12.345 (de) / 12,345 (en). */
export function formatInteger(value: number, lang: Lang): string {
  let f = integerFormats.get(lang);
  if (f === undefined) {
    f = new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 0 });
    integerFormats.set(lang, f);
  }
  return f.format(value);
}

/** 34,5 % (de) / 34.5% (en); an en dash when there is nothing to divide by yet. */
export function formatPercent(share: number | null, lang: Lang): string {
  if (share === null) return '–';
  let f = percentFormats.get(lang);
  if (f === undefined) {
    f = new Intl.NumberFormat(LOCALE[lang], {
      style: 'percent',
      minimumFractionDigits: 1,
      maximumFractionDigits: 1,
    });
    percentFormats.set(lang, f);
  }
  return f.format(share);
}

/**
 * Texts of `formatDateTime` by language, time zone and whole second (it shows seconds, not
 * milliseconds). A page lists the time of each of its districts, so every build formatted the same
 * few thousand seconds again (Intl, ~µs each); cleared when it holds a night's worth.
 */
const dateTimeTexts = new Map<string, Map<number, string>>();
const DATE_TIME_TEXTS_MAX = 16_384;

/** "15.03.2020, 18:42:07 Uhr" / "15 Mar 2020, 18:42:07" in the election's time zone. */
export function formatDateTime(at: Date, lang: Lang, timeZone: string): string {
  const key = `${lang} ${timeZone}`;
  let texts = dateTimeTexts.get(key);
  if (texts === undefined) {
    texts = new Map();
    dateTimeTexts.set(key, texts);
  }
  const second = Math.floor(at.getTime() / 1000);
  let text = texts.get(second);
  if (text === undefined) {
    if (texts.size >= DATE_TIME_TEXTS_MAX) texts.clear();
    text = formatDateTimeNow(new Date(second * 1000), lang, timeZone);
    texts.set(second, text);
  }
  return text;
}

/** `formatDateTime` without the texts kept (the reference its tests compare with). */
export function formatDateTimeNow(at: Date, lang: Lang, timeZone: string): string {
  const key = `${lang} ${timeZone}`;
  let f = dateTimeFormats.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(LOCALE[lang], {
      timeZone,
      day: '2-digit',
      month: lang === 'de' ? '2-digit' : 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    dateTimeFormats.set(key, f);
  }
  const text = f.format(at);
  return lang === 'de' ? `${text} Uhr` : text;
}

/** The election day in words: "Sonntag, 15. März 2020" / "Sunday, 15 March 2020". */
export function formatElectionDay(isoDate: string, lang: Lang): string {
  // every page names the same day: the text is made once (a DateTimeFormat costs ~0.1 ms)
  const key = `${lang} ${isoDate}`;
  let text = electionDays.get(key);
  if (text === undefined) {
    text = new Intl.DateTimeFormat(LOCALE[lang], {
      timeZone: 'UTC',
      weekday: 'long',
      day: 'numeric',
      month: 'long',
      year: 'numeric',
    }).format(new Date(`${isoDate}T12:00:00Z`));
    electionDays.set(key, text);
  }
  return text;
}

/** HTML text and attribute values. */
export function esc(value: string | number): string {
  return String(value)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** The CSS colour slug of a party (design/tokens.css --wk-party-<slug>); "default" if unknown. */
export function partySlug(party: string | undefined): string {
  if (party === undefined) return 'default';
  const key = party
    .toLowerCase()
    .replaceAll('ä', 'ae')
    .replaceAll('ö', 'oe')
    .replaceAll('ü', 'ue')
    .replace(/[^a-z0-9]/g, '');
  const known: Record<string, string> = {
    spd: 'spd',
    cdu: 'cdu',
    csu: 'csu',
    cducsu: 'union',
    union: 'union',
    gruene: 'gruene',
    buendnis90diegruenen: 'gruene',
    fdp: 'fdp',
    afd: 'afd',
    dielinke: 'linke',
    linke: 'linke',
    bsw: 'bsw',
    fw: 'fw',
    freiewaehler: 'fw',
    oedp: 'oedp',
    volt: 'volt',
    tierschutzpartei: 'tier',
    diepartei: 'partei',
    bp: 'bp',
    bayernpartei: 'bp',
    ssw: 'ssw',
  };
  return known[key] ?? 'default';
}
