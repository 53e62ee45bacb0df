import type {
  AreaModel,
  AreaSummary,
  BallotResult,
  DistrictProgress,
  SectionResult,
} from '../model.ts';
import {
  esc,
  formatDateTime,
  formatInteger,
  formatPercent,
  partySlug,
  type Lang,
} from './format.ts';
import { pageFile } from './paths.ts';
import { levelWord, phonedText, progressText, statusWord, T } from './strings.ts';

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** An SVG bar: drawn without script or inline style (width is an SVG attribute, CSP-safe). */
export function bar(share: number | null, cssClass: string, rectClass = ''): string {
  const width = share === null ? 0 : Math.max(0, Math.min(100, share * 100));
  const cls = rectClass === '' ? '' : ` class="${rectClass}"`;
  return (
    `<svg class="${cssClass}" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">` +
    `<rect${cls} width="${width.toFixed(2)}" height="1"/></svg>`
  );
}

export function progress(d: DistrictProgress, lang: Lang): string {
  const share = d.expected > 0 ? d.reported / d.expected : 0;
  const complete = d.expected > 0 && d.reported === d.expected;
  const phoned =
    d.byPhone > 0
      ? ` <span class="wk-muted">(${phonedText(formatInteger(d.byPhone, lang), lang)})</span>`
      : '';
  return (
    `<div class="wk-progress${complete ? ' wk-progress--complete' : ''}">` +
    `<span>${progressText(formatInteger(d.reported, lang), formatInteger(d.expected, lang), lang)}${phoned}</span>` +
    bar(share, 'wk-progress__bar') +
    '</div>'
  );
}

export function statusBadge(ballot: BallotResult, lang: Lang): string {
  const tone = ballot.status === 'VORLAEUFIGES_ERGEBNIS' ? 'ok' : 'warn';
  return `<span class="wk-badge wk-badge--${tone}">${statusWord(ballot.status, lang)}</span>`;
}

/** Choices by votes (most first; ties in ballot order), each with its bar, share and votes. */
function sectionTable(section: SectionResult, lang: Lang): string {
  const rows = section.choices
    .map((c, i) => ({ c, i }))
    .sort((a, b) => b.c.votes - a.c.votes || a.i - b.i)
    .map(({ c }) => {
      // a Landesliste by its party's short name, its long name below; a candidate by name
      const list = c.key?.startsWith('F') === true && c.party !== undefined;
      const main = list ? (c.party ?? c.name) : c.name;
      const second = list ? c.name : c.party;
      const extra =
        second !== undefined && second !== main
          ? ` <span class="wk-muted${list ? ' wk-small' : ''}">${esc(second)}</span>`
          : '';
      return (
        `<tr><th scope="row"><span class="wk-choice">${esc(main)}</span>${extra}` +
        bar(c.share, 'wk-bar', `wk-party-${partySlug(c.party ?? c.name)}`) +
        `</th><td class="wk-num wk-share">${formatPercent(c.share, lang)}</td>` +
        `<td class="wk-num">${formatInteger(c.votes, lang)}</td></tr>`
      );
    })
    .join('');
  const invalidShare =
    section.valid + section.invalid > 0
      ? section.invalid / (section.valid + section.invalid)
      : null;
  return (
    `<div class="wk-table-wrap"><table class="wk-table wk-results">` +
    `<caption>${esc(capitalise(section.label[lang]))}</caption>` +
    `<thead><tr><th scope="col">${T.choice[lang]}</th><th scope="col" class="wk-num">${T.share[lang]}</th>` +
    `<th scope="col" class="wk-num">${T.votes[lang]}</th></tr></thead><tbody>${rows}</tbody></table></div>` +
    `<p class="wk-small wk-muted">${T.valid[lang]}: ${formatInteger(section.valid, lang)} · ` +
    `${T.invalid[lang]}: ${formatInteger(section.invalid, lang)} (${formatPercent(invalidShare, lang)})</p>`
  );
}

export function ballotCard(ballot: BallotResult, lang: Lang, timeZone: string): string {
  const facts = [
    `${T.turnout[lang]}: <strong>${formatPercent(ballot.turnout, lang)}</strong>`,
    ballot.lastChange === null
      ? T.noReportYet[lang]
      : `${T.lastReport[lang]}: ${formatDateTime(ballot.lastChange, lang, timeZone)}`,
  ];
  const body =
    ballot.districts.reported === 0
      ? `<p>${T.notYet[lang]}</p>`
      : `<p class="wk-cluster wk-facts">${facts.map((f) => `<span>${f}</span>`).join('')}</p>` +
        ballot.sections.map((s) => sectionTable(s, lang)).join('');
  return (
    `<section class="wk-card wk-ballot" aria-labelledby="b-${esc(ballot.id)}">` +
    `<div class="wk-card__title"><h2 id="b-${esc(ballot.id)}">${esc(ballot.name[lang])}</h2>${statusBadge(ballot, lang)}</div>` +
    progress(ballot.districts, lang) +
    body +
    '</section>'
  );
}

/** "Vorn: Dieter Reiter 43,8 %" under a sub-area's name. */
function leader(summary: AreaSummary, lang: Lang): string {
  const l = summary.leader;
  if (l === undefined) return '';
  return `<br><span class="wk-small wk-muted">${T.leading[lang]}: ${esc(l.name)} ${formatPercent(l.share, lang)}</span>`;
}

export function childrenTable(area: AreaModel, rootAreaId: string, lang: Lang): string {
  const first = area.children[0];
  if (first === undefined) return '';
  const heading = levelWord(first.area.level, lang, true);
  const rows = area.children
    .map((child) => {
      const d = child.districts;
      const share = d.expected > 0 ? d.reported / d.expected : 0;
      return (
        `<tr><th scope="row"><a href="${pageFile(child.area.id, rootAreaId, lang)}">${esc(child.area.name)}</a>` +
        `${leader(child, lang)}</th>` +
        `<td><span class="wk-num">${formatInteger(d.reported, lang)} ${T.ofDistricts[lang]} ${formatInteger(d.expected, lang)}</span>` +
        bar(share, 'wk-progress__bar') +
        '</td></tr>'
      );
    })
    .join('');
  return (
    `<section class="wk-card" aria-labelledby="teilgebiete"><h2 id="teilgebiete">${heading}</h2>` +
    `<div class="wk-table-wrap"><table class="wk-table wk-areas"><thead><tr>` +
    `<th scope="col">${T.area[lang]}</th><th scope="col">${T.counted[lang]}</th>` +
    `</tr></thead><tbody>${rows}</tbody></table></div></section>`
  );
}
