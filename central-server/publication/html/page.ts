import type { ResultsHeader } from '../model.ts';
import { esc, formatElectionDay, type Lang } from './format.ts';
import { pageFile } from './paths.ts';
import { T } from './strings.ts';

export type PageFrame = {
  readonly lang: Lang;
  readonly title: string;
  /** this page in the other language (a file name) */
  readonly alternate: string;
  readonly main: string;
};

/**
 * The frame of every public page: no script, one stylesheet (style.css of the snapshot), the
 * language switch, the header with the election and the footer with what the figures are.
 */
export function page(model: ResultsHeader, frame: PageFrame): string {
  const { lang } = frame;
  const other: Lang = lang === 'de' ? 'en' : 'de';
  const home = pageFile(model.rootAreaId, model.rootAreaId, lang);
  return (
    '<!doctype html>\n' +
    `<html lang="${lang}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${esc(frame.title)}</title>` +
    '<link rel="stylesheet" href="style.css">' +
    `<link rel="alternate" hreflang="${other}" href="${frame.alternate}">` +
    '</head><body>' +
    `<a class="wk-skip-link" href="#inhalt">${T.skip[lang]}</a>` +
    '<header class="wk-header"><div class="wk-header__inner">' +
    `<a class="wk-brand" href="${home}">${esc(model.election.name)}` +
    `<small>${T.results[lang]} · ${formatElectionDay(model.election.date, lang)}</small></a>` +
    `<a class="wk-lang" href="${frame.alternate}" hreflang="${other}" lang="${other}">${T.otherLanguage[lang]}</a>` +
    '</div></header>' +
    `<main id="inhalt" class="wk-main wk-stack">${frame.main}</main>` +
    `<footer class="wk-footer"><div class="wk-footer__inner"><p>${T.footer[lang]}</p>` +
    `<p><a href="${home}#daten">${T.data[lang]}</a></p></div></footer>` +
    '</body></html>\n'
  );
}
