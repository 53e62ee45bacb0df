import type { Contest } from '../../../election/index.ts';
import type { AreaModel, ResultsHeader } from '../model.ts';
import { districtTable } from './districts.ts';
import { esc, formatDateTime, type Lang } from './format.ts';
import { page } from './page.ts';
import { ballotCard, childrenTable, progress } from './parts.ts';
import { pageFile } from './paths.ts';
import { levelWord, T } from './strings.ts';

export type HtmlOptions = {
  /** IANA time zone the times are shown in (the election's; default Europe/Berlin) */
  readonly timeZone: string;
  readonly contests: ReadonlyMap<string, Contest>;
};

function breadcrumb(model: ResultsHeader, a: AreaModel, lang: Lang): string {
  if (a.path.length < 2) return '';
  const items = a.path.map((p, i) =>
    i === a.path.length - 1
      ? `<li aria-current="page">${esc(p.name)}</li>`
      : `<li><a href="${pageFile(p.id, model.rootAreaId, lang)}">${esc(p.name)}</a></li>`,
  );
  return `<nav aria-label="${T.areas[lang]}"><ol class="wk-breadcrumb">${items.join('')}</ol></nav>`;
}

const fileLink = (file: string, what: string) =>
  `<li><a href="${esc(file)}">${esc(file)}</a> <span class="wk-muted">${what}</span></li>`;

/** The open files of the contests held in this area (on the contest's own area page). */
function contestFiles(model: ResultsHeader, a: AreaModel, lang: Lang): string[] {
  return model.contests
    .filter((c) => c.areaId === a.area.id)
    .flatMap((c) => [
      fileLink(`${c.id}.kerg.csv`, `${esc(c.name)}: ${T.csv[lang]}`),
      fileLink(`${c.id}.eml.xml`, `${esc(c.name)}: ${T.eml[lang]}`),
    ]);
}

/** The root page: all results, the signed manifest and how to check it. */
function dataSection(model: ResultsHeader, a: AreaModel, lang: Lang): string {
  const files = [
    fileLink('results.json', T.json[lang]),
    ...contestFiles(model, a, lang),
    fileLink('manifest.json', T.manifest[lang]),
    fileLink('manifest.p7s', T.manifest[lang]),
  ];
  return (
    `<section class="wk-card" aria-labelledby="daten"><h2 id="daten">${T.data[lang]}</h2>` +
    `<p>${T.dataIntro[lang]}</p><ul class="wk-files">${files.join('')}</ul>` +
    '<pre class="wk-code">openssl cms -verify -binary -inform DER -in manifest.p7s \\\n' +
    '  -content manifest.json -CAfile root-ca.pem -purpose any -out /dev/null\n' +
    'jq -r \'.files[] | "\\(.sha256)  \\(.path)"\' manifest.json | sha256sum -c</pre></section>'
  );
}

/** A contest's own area (not the root): its files. */
function contestDataSection(model: ResultsHeader, a: AreaModel, lang: Lang): string {
  const files = contestFiles(model, a, lang);
  if (files.length === 0) return '';
  return (
    `<section class="wk-card" aria-labelledby="daten"><h2 id="daten">${T.data[lang]}</h2>` +
    `<ul class="wk-files">${files.join('')}</ul>` +
    `<p class="wk-small"><a href="${pageFile(model.rootAreaId, model.rootAreaId, lang)}#daten">${T.dataCheck[lang]}</a></p></section>`
  );
}

function areaMain(model: ResultsHeader, a: AreaModel, lang: Lang, options: HtmlOptions): string {
  const stand =
    a.lastChange === null
      ? T.noReportYet[lang]
      : `${T.asOf[lang]}: ${formatDateTime(a.lastChange, lang, options.timeZone)}`;
  const level = a.path.length > 1 ? `${levelWord(a.area.level, lang, false)} · ` : '';
  return (
    breadcrumb(model, a, lang) +
    `<div><h1>${esc(a.area.name)}</h1><p class="wk-muted">${level}${stand}</p>` +
    // one ballot shows its own progress; with several (or none) the area's says how far it is
    (a.ballots.length === 1 ? '' : progress(a.progress, lang)) +
    '</div>' +
    (a.ballots.length === 0 ? `<p>${T.noBallot[lang]}</p>` : '') +
    a.ballots.map((b) => ballotCard(b, lang, options.timeZone)).join('') +
    childrenTable(a, model.rootAreaId, lang) +
    districtTable(a.districts, options.contests, lang, options.timeZone) +
    (a.area.id === model.rootAreaId
      ? dataSection(model, a, lang)
      : contestDataSection(model, a, lang))
  );
}

/**
 * One area's page in one language (pure). The page's "Stand" is the area's own newest figures,
 * so the page of an unchanged area keeps its bytes from snapshot to snapshot.
 */
export function renderAreaPage(
  model: ResultsHeader,
  a: AreaModel,
  lang: Lang,
  options: HtmlOptions,
): { file: string; html: string } {
  const other = lang === 'de' ? 'en' : 'de';
  return {
    file: pageFile(a.area.id, model.rootAreaId, lang),
    html: page(model, {
      lang,
      title: `${a.area.name} – ${model.election.name} – ${T.results[lang]}`,
      alternate: pageFile(a.area.id, model.rootAreaId, other),
      main: areaMain(model, a, lang, options),
    }),
  };
}
