import type { Contest } from '../../../election/index.ts';
import type { DistrictContestState, DistrictRow } from '../model.ts';
import { esc, formatDateTime, type Lang } from './format.ts';
import { precinctKindWord, T } from './strings.ts';

/** The status word of one district's figures for one contest, with where they came from. */
function stateCell(state: DistrictContestState, lang: Lang): string {
  if (!state.reported) {
    return `<span class="wk-badge wk-badge--neutral">${T.notReported[lang]}</span>`;
  }
  const badge =
    state.source === 'telefonisch'
      ? `<span class="wk-badge wk-badge--warn">${T.byPhone[lang]}</span>`
      : `<span class="wk-badge wk-badge--ok">${T.received[lang]}</span> <span class="wk-small wk-muted">${T.fromKit[lang]}</span>`;
  const corrected =
    state.revision > 1
      ? ` <span class="wk-badge wk-badge--info">${T.corrected[lang]} (${state.revision})</span>`
      : '';
  return badge + corrected;
}

/**
 * The Stimmbezirke of a leaf area: number, name, Urnen- or Briefwahl, and per contest whether
 * figures arrived, from the kit or by phone, and when (the source stays visible for every
 * district, as the office decided it).
 */
export function districtTable(
  rows: readonly DistrictRow[],
  contests: ReadonlyMap<string, Contest>,
  lang: Lang,
  timeZone: string,
): string {
  if (rows.length === 0) return '';
  const contestIds = [...new Set(rows.flatMap((r) => r.contests.map((c) => c.contestId)))];
  const several = contestIds.length > 1;
  const head = several
    ? contestIds.map((id) => `<th scope="col">${esc(contests.get(id)?.name ?? id)}</th>`).join('')
    : `<th scope="col">${T.state[lang]}</th>`;
  const body = rows
    .map((row) => {
      const states = contestIds.map((id) => row.contests.find((c) => c.contestId === id)?.state);
      const latest = states.reduce<Date | null>(
        (at, s) => (s?.reported === true && (at === null || s.acceptedAt > at) ? s.acceptedAt : at),
        null,
      );
      const time =
        latest === null
          ? ''
          : `<br><span class="wk-small wk-muted">${formatDateTime(latest, lang, timeZone)}</span>`;
      const cells = states.map((s, i) => {
        const last = i === states.length - 1 ? time : '';
        return `<td>${s === undefined ? '' : stateCell(s, lang)}${last}</td>`;
      });
      return (
        `<tr><th scope="row">${esc(row.precinct.name)}<br><span class="wk-small wk-muted">` +
        `${T.number[lang]} ${esc(row.precinct.number)} · ${precinctKindWord(row.precinct.kind, lang)}</span></th>` +
        `${cells.join('')}</tr>`
      );
    })
    .join('');
  return (
    `<section class="wk-card" aria-labelledby="stimmbezirke"><h2 id="stimmbezirke">${T.districts[lang]}</h2>` +
    `<div class="wk-table-wrap"><table class="wk-table wk-districts"><thead><tr>` +
    `<th scope="col">${T.districtColumn[lang]}</th>` +
    `${head}</tr></thead><tbody>${body}</tbody></table></div></section>`
  );
}
