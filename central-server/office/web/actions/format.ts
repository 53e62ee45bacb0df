import type { Lang } from './messages.ts';

const LOCALE: Record<Lang, string> = { de: 'de-DE', en: 'en-GB' };
const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** "21:04:12 Uhr" / "21:04:12" in the office's time zone: the night is one evening. */
export function formatTime(at: Date, lang: Lang, timeZone: string): string {
  const key = `${lang} ${timeZone}`;
  let f = timeFormats.get(key);
  if (f === undefined) {
    f = new Intl.DateTimeFormat(LOCALE[lang], {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    timeFormats.set(key, f);
  }
  return lang === 'de' ? `${f.format(at)} Uhr` : f.format(at);
}

/** "vor 3 Min." / "3 min ago"; the clock is passed in. */
export function formatAgo(at: Date, now: Date, lang: Lang): string {
  const seconds = Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  if (seconds < 60) return lang === 'de' ? `vor ${seconds} s` : `${seconds} s ago`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return lang === 'de' ? `vor ${minutes} Min.` : `${minutes} min ago`;
  const hours = Math.floor(minutes / 60);
  return lang === 'de' ? `vor ${hours} Std.` : `${hours} h ago`;
}

/** 1.234 (de) / 1,234 (en). */
export function formatCount(value: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALE[lang], { maximumFractionDigits: 0 }).format(value);
}
