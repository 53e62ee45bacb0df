import { createContext, useContext } from 'react';
import { de, type MessageKey } from './de.ts';
import { en } from './en.ts';

export type Lang = 'de' | 'en';
export type Localized = { readonly de: string; readonly en: string };

const CATALOGUES = { de, en } as const;

/** Fills `{name}` placeholders; a missing variable stays visible rather than vanishing. */
export function translate(
  lang: Lang,
  key: MessageKey,
  vars: Readonly<Record<string, string | number>> = {},
): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = vars[name];
    return value === undefined ? whole : String(value);
  });
}

const numberFormats = { de: new Intl.NumberFormat('de-DE'), en: new Intl.NumberFormat('en-GB') };

export function formatCount(lang: Lang, value: number | undefined): string {
  return value === undefined ? '–' : numberFormats[lang].format(value);
}

export function formatTime(lang: Lang, iso: string): string {
  return new Intl.DateTimeFormat(lang === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

export type I18n = {
  readonly lang: Lang;
  readonly t: (key: MessageKey, vars?: Readonly<Record<string, string | number>>) => string;
  /** a message that arrives with both languages (findings, refusals, field labels) */
  readonly pick: (message: Localized) => string;
  readonly count: (value: number | undefined) => string;
};

export function makeI18n(lang: Lang): I18n {
  return {
    lang,
    t: (key, vars) => translate(lang, key, vars),
    pick: (message) => message[lang],
    count: (value) => formatCount(lang, value),
  };
}

export const I18nContext = createContext<I18n>(makeI18n('de'));

export function useI18n(): I18n {
  return useContext(I18nContext);
}
