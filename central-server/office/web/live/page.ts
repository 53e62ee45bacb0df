import type { ElectionIndex } from '../../../../election/index.ts';
import { formatInteger } from '../../../publication/html/format.ts';
import type { LiveBoard, StateCounts } from '../../live/board.ts';
import {
  DISTRICT_STATES,
  REPORTED_STATES,
  stateSlot,
  type DistrictState,
} from '../../live/district-state.ts';
import { minutesSincePollsClosed } from '../../live/polls-close.ts';
import { html, type SafeHtml } from '../html.ts';
import {
  alertLevel,
  alertText,
  ATTEMPT_LABEL,
  formatDuration,
  formatTime,
  ofTotal,
  refusalReason,
  STATE_BADGE,
  STATE_LABEL,
  T,
  type Lang,
} from './messages.ts';

/** What the overview shows: one area, optionally one state, one page of its districts. */
export type OverviewQuery = {
  readonly areaId: string;
  readonly state: DistrictState | undefined;
  readonly page: number;
};

export type OverviewInput = {
  readonly board: LiveBoard;
  readonly index: ElectionIndex;
  readonly lang: Lang;
  readonly query: OverviewQuery;
  readonly pageSize: number;
  readonly now: Date;
  readonly pollsCloseAt: Date;
  readonly timeZone: string;
  /** the stream id the page shows: the client's event stream continues from it */
  readonly version: string;
  readonly districtName: (precinctId: string) => string;
};

const reportedOf = (counts: StateCounts) =>
  REPORTED_STATES.reduce((n, s) => n + (counts[stateSlot(s)] ?? 0), 0);
const totalOf = (counts: StateCounts) => counts.reduce((a, b) => a + b, 0);

/** A link to the overview with the given filter (the page starts again at 1). */
export function overviewHref(areaId: string, state: DistrictState | undefined, page = 1): string {
  const q = new URLSearchParams({ area: areaId });
  if (state !== undefined) q.set('state', state);
  if (page > 1) q.set('page', String(page));
  return `/office/?${q.toString()}`;
}

function badge(state: DistrictState, lang: Lang, id?: string): SafeHtml {
  return html`<span
    class="wk-badge wk-badge--${STATE_BADGE[state]}"
    ${id === undefined ? '' : html`data-badge="${id}"`}
    >${STATE_LABEL[state][lang]}</span
  >`;
}

/** "x von y Stimmbezirken gemeldet" with its bar, for an area (ids for live.js). */
function progress(areaId: string, counts: StateCounts, lang: Lang): SafeHtml {
  const reported = reportedOf(counts);
  const total = totalOf(counts);
  const share = total === 0 ? 0 : (100 * reported) / total;
  return html`<div class="wk-progress ${reported === total ? 'wk-progress--complete' : ''}">
    <span
      ><span data-reported="${areaId}">${ofTotal(reported, total, lang)}</span>
      ${T.ofDistricts[lang]}</span
    >
    <svg class="wk-progress__bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true">
      <rect data-bar="${areaId}" width="${share.toFixed(1)}" height="1"></rect>
    </svg>
  </div>`;
}

function header(input: OverviewInput): SafeHtml {
  const { lang, index, query } = input;
  const minutes = minutesSincePollsClosed(input.pollsCloseAt, input.now);
  const area = index.area(query.areaId);
  const trail = index.ancestors(query.areaId).slice(1).reverse();
  const counts = input.board.counts(query.areaId);
  return html`<section class="wk-card wk-stack" aria-labelledby="live-title">
    <div class="wk-card__title">
      <h1 id="live-title">${T.title[lang]}</h1>
      <span
        id="live-status"
        class="wk-badge wk-badge--neutral"
        data-live="${T.live[lang]}"
        data-offline="${T.offline[lang]}"
        hidden
        >${T.live[lang]}</span
      >
    </div>
    <p>
      ${minutes >= 0 ? T.pollsClosed[lang] : T.pollsOpen[lang]}
      <strong id="live-since" data-minutes="${minutes}">${formatDuration(minutes, lang)}</strong>
      (${T.pollsAt[lang]})
    </p>
    <nav aria-label="${T.area[lang]}">
      <ol class="wk-breadcrumb">
        ${trail.map(
          (id) =>
            html`<li>
              <a href="${overviewHref(id, query.state)}">${index.area(id)?.name ?? id}</a>
            </li>`,
        )}
        <li aria-current="page">${area?.name ?? query.areaId}</li>
      </ol>
    </nav>
    ${progress(query.areaId, counts, lang)}
    <ul class="wk-cluster live-counts" aria-label="${T.byState[lang]}">
      ${DISTRICT_STATES.map(
        (s) =>
          html`<li>
            <a
              href="${overviewHref(query.areaId, s)}"
              ${s === query.state ? html`aria-current="true"` : ''}
            >
              ${badge(s, lang)}
              <span class="wk-num" data-count="${query.areaId}" data-state="${s}"
                >${formatInteger(counts[stateSlot(s)] ?? 0, lang)}</span
              >
            </a>
          </li>`,
      )}
    </ul>
  </section>`;
}

function areaTable(input: OverviewInput): SafeHtml {
  const { lang, index, query, board } = input;
  const children = index.children(query.areaId);
  if (children.length === 0) return html``;
  return html`<section class="wk-card" aria-labelledby="live-areas">
    <h2 id="live-areas">${T.areas[lang]}</h2>
    <div class="wk-table-wrap">
      <table class="wk-table">
        <thead>
          <tr>
            <th scope="col">${T.area[lang]}</th>
            <th scope="col">${T.reported[lang]}</th>
            <th scope="col" class="wk-num">${STATE_LABEL.refused[lang]}</th>
            <th scope="col" class="wk-num">${STATE_LABEL['not-reported'][lang]}</th>
          </tr>
        </thead>
        <tbody>
          ${children.map((id) => {
            const counts = board.counts(id);
            return html`<tr>
              <th scope="row">
                <a href="${overviewHref(id, query.state)}">${index.area(id)?.name ?? id}</a>
              </th>
              <td>${progress(id, counts, lang)}</td>
              <td class="wk-num" data-count="${id}" data-state="refused">
                ${formatInteger(counts[stateSlot('refused')] ?? 0, lang)}
              </td>
              <td class="wk-num" data-count="${id}" data-state="not-reported">
                ${formatInteger(counts[stateSlot('not-reported')] ?? 0, lang)}
              </td>
            </tr>`;
          })}
        </tbody>
      </table>
    </div>
  </section>`;
}

function districtTable(input: OverviewInput): SafeHtml {
  const { lang, index, query, board, pageSize } = input;
  const { total, rows } = board.districts({
    areaId: query.areaId,
    ...(query.state === undefined ? {} : { state: query.state }),
    offset: (query.page - 1) * pageSize,
    limit: pageSize,
  });
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (query.page - 1) * pageSize + 1;
  const to = Math.min(total, query.page * pageSize);
  return html`<section class="wk-card wk-stack" aria-labelledby="live-districts">
    <h2 id="live-districts">${T.districts[lang]}</h2>
    <form method="get" action="/office/" class="wk-cluster live-filter">
      <input type="hidden" name="area" value="${query.areaId}" />
      <div class="wk-field">
        <label for="live-state">${T.state[lang]}</label>
        <select id="live-state" name="state" class="wk-input">
          <option value="">${T.allStates[lang]}</option>
          ${DISTRICT_STATES.map(
            (s) =>
              html`<option value="${s}" ${s === query.state ? html`selected` : ''}>
                ${STATE_LABEL[s][lang]}
              </option>`,
          )}
        </select>
      </div>
      <button type="submit" class="wk-button">${T.filter[lang]}</button>
    </form>
    <p id="live-stale" class="wk-alert wk-alert--info" hidden>${T.reload[lang]}</p>
    ${
      rows.length === 0
        ? html`<p class="wk-muted">${T.noDistricts[lang]}</p>`
        : html`<div class="wk-table-wrap">
            <table class="wk-table">
              <thead>
                <tr>
                  <th scope="col">${T.number[lang]}</th>
                  <th scope="col">${T.name[lang]}</th>
                  <th scope="col">${T.area[lang]}</th>
                  <th scope="col">${T.state[lang]}</th>
                  <th scope="col">${T.revision[lang]}</th>
                  <th scope="col">${T.lastChange[lang]}</th>
                  <th scope="col" class="wk-num">${T.refusals[lang]}</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (r) =>
                    html`<tr data-district="${r.precinct.id}">
                      <td class="wk-num">${r.precinct.number}</td>
                      <td>${r.precinct.name}</td>
                      <td>${index.area(r.precinct.areaId)?.name ?? r.precinct.areaId}</td>
                      <td>${badge(r.state, lang, r.precinct.id)}</td>
                      <td>
                        ${r.reports.map(
                          (rep) =>
                            html`<span class="wk-small"
                              >${rep.contestId} · ${rep.revision} ·
                              ${rep.source === 'kit' ? T.kit[lang] : T.phone[lang]}</span
                            > `,
                        )}
                      </td>
                      <td>
                        ${r.changedAt === undefined ? '–' : formatTime(r.changedAt, input.timeZone)}
                      </td>
                      <td class="wk-num">${formatInteger(r.refusals, lang)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
    <nav class="wk-cluster live-pager" aria-label="${T.page[lang]}">
      <span
        >${formatInteger(from, lang)}–${formatInteger(to, lang)} ${T.of[lang]}
        ${formatInteger(total, lang)} ${T.showing[lang]}</span
      >
      ${
        query.page > 1
          ? html`<a rel="prev" href="${overviewHref(query.areaId, query.state, query.page - 1)}"
              >${T.previous[lang]}</a
            >`
          : ''
      }
      ${
        query.page < pages
          ? html`<a rel="next" href="${overviewHref(query.areaId, query.state, query.page + 1)}"
              >${T.next[lang]}</a
            >`
          : ''
      }
    </nav>
  </section>`;
}

function alertList(input: OverviewInput): SafeHtml {
  const { lang, board } = input;
  const alerts = board.recentAlerts(50);
  return html`<section class="wk-card" aria-labelledby="live-alerts">
    <h2 id="live-alerts">
      ${T.alerts[lang]} <small class="wk-muted">(${T.newestFirst[lang]})</small>
    </h2>
    <p class="wk-muted" id="live-no-alerts" ${alerts.length > 0 ? html`hidden` : ''}>
      ${T.noAlerts[lang]}
    </p>
    <ol class="live-alerts" id="live-alert-list">
      ${alerts.map(
        (a) =>
          html`<li data-alert="${a.id}">
            <span class="wk-badge wk-badge--${alertLevel(a)}"
              >${formatTime(a.at, input.timeZone)}</span
            >
            ${alertText(a, lang, input.districtName)}
          </li>`,
      )}
    </ol>
  </section>`;
}

function refusalTable(input: OverviewInput): SafeHtml {
  const { lang, board } = input;
  const refusals = board.recentRefusals(50);
  return html`<section class="wk-card" aria-labelledby="live-refused">
    <h2 id="live-refused">
      ${T.refused[lang]} <small class="wk-muted">(${T.newestFirst[lang]})</small>
    </h2>
    <p class="wk-muted" id="live-no-refusals" ${refusals.length > 0 ? html`hidden` : ''}>
      ${T.noRefused[lang]}
    </p>
    <div class="wk-table-wrap">
      <table class="wk-table">
        <thead>
          <tr>
            <th scope="col">${T.time[lang]}</th>
            <th scope="col">${T.station[lang]}</th>
            <th scope="col">${T.attempt[lang]}</th>
            <th scope="col">${T.code[lang]}</th>
            <th scope="col">${T.reason[lang]}</th>
          </tr>
        </thead>
        <tbody id="live-refusal-list">
          ${refusals.map(
            (r) =>
              html`<tr>
                <td>${formatTime(r.at, input.timeZone)}</td>
                <td>
                  ${r.precinctId !== null ? input.districtName(r.precinctId) : (r.origin ?? '')}
                </td>
                <td>${ATTEMPT_LABEL[r.attempt][lang]}</td>
                <td><code>${r.code}</code></td>
                <td>${refusalReason(r.code, lang)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}

/**
 * The live overview (/office/): readable without script — counts by state, the area tree with
 * "x von y", the filtered and paged districts, alerts, refused attempts. The data attributes
 * are where /office/static/live.js writes the event stream's changes.
 */
export function overviewBody(input: OverviewInput): SafeHtml {
  const events = `/office/events?${new URLSearchParams({ area: input.query.areaId, since: input.version }).toString()}`;
  return html`<div
    class="wk-stack wk-office-wide"
    id="live"
    data-events="${events}"
    data-lang="${input.lang}"
    data-states="${DISTRICT_STATES.join(' ')}"
    data-filter="${input.query.state ?? ''}"
    data-of="${T.of[input.lang]}"
  >
    ${header(input)} ${areaTable(input)} ${districtTable(input)} ${alertList(input)}
    ${refusalTable(input)}
  </div>`;
}
