import type { Replacement, StationOverview } from '../../actions/index.ts';
import { html, type SafeHtml } from '../html.ts';
import { formatAgo, formatCount, formatTime } from './format.ts';
import { REVOCATION_REASON_WORDS, t, type Lang, type OfficeRevocationReason } from './messages.ts';
import { csrfField, refusalAlert, type Refusal } from './phone-view.ts';

export type StationsPageModel = {
  readonly lang: Lang;
  readonly timeZone: string;
  readonly now: Date;
  /** admin: the revoke and replace links; everyone else reads */
  readonly mayAct: boolean;
  /** whether this machine holds the issuing CA's key at all */
  readonly canIssue: boolean;
  readonly query: string;
  /** the page shown (1-based), the stations on it, and how many match and exist */
  readonly page: number;
  readonly pages: number;
  readonly rows: readonly (StationOverview & { readonly number: string })[];
  readonly matching: number;
  readonly total: number;
  readonly counts: Readonly<Record<StationOverview['status'], number>>;
};

const TONE: Record<StationOverview['status'], string> = {
  ISSUED: 'ok',
  REVOKED: 'error',
  NOT_ISSUED: 'neutral',
};

export const stationPath = (precinctId: string, action: 'revoke' | 'replace'): string =>
  `/office/stations/${encodeURIComponent(precinctId)}/${action}`;

function statusBadge(lang: Lang, status: StationOverview['status']): SafeHtml {
  return html`<span class="wk-badge wk-badge--${TONE[status]}">${t(lang, status)}</span>`;
}

function contact(m: StationsPageModel, s: StationOverview): SafeHtml {
  if (s.lastContact === null) return html`<span class="wk-muted">${t(m.lang, 'never')}</span>`;
  return html`${formatTime(s.lastContact, m.lang, m.timeZone)}
    <span class="wk-small wk-muted">(${formatAgo(s.lastContact, m.now, m.lang)})</span>`;
}

function pageLink(m: StationsPageModel, page: number, label: string, rel: string): SafeHtml {
  const params = new URLSearchParams({ q: m.query, page: String(page) });
  return html`<a class="wk-button" rel="${rel}" href="/office/stations?${params.toString()}"
    >${label}</a
  >`;
}

/** The Stationen page: every kit's certificate and last contact, paged and searchable. */
export function stationsPage(m: StationsPageModel): SafeHtml {
  const { lang } = m;
  const rows = m.rows.map((s) => {
    const actions: SafeHtml[] = [];
    if (m.mayAct && m.canIssue && s.status === 'ISSUED') {
      actions.push(
        html`<a class="wk-button wk-button--danger" href="${stationPath(s.precinctId, 'revoke')}"
          >${t(lang, 'revoke')}</a
        >`,
      );
    }
    if (m.mayAct && m.canIssue) {
      actions.push(
        html`<a class="wk-button" href="${stationPath(s.precinctId, 'replace')}"
          >${t(lang, 'replace')}</a
        >`,
      );
    }
    return html`<tr id="station-${s.precinctId}">
      <th scope="row">
        ${s.number} ${s.name}<br /><span class="wk-small wk-muted">${s.precinctId}</span>
      </th>
      <td>
        ${statusBadge(lang, s.status)}<br /><span class="wk-small wk-muted wk-mono"
          >${s.serial ?? ''}</span
        >
      </td>
      <td>${contact(m, s)}</td>
      <td class="wk-num">${s.failedAttempts}</td>
      ${m.mayAct ? html`<td><div class="wk-cluster">${actions}</div></td>` : ''}
    </tr>`;
  });
  const summary = (['ISSUED', 'REVOKED', 'NOT_ISSUED'] as const).map(
    (status) =>
      html`<span>${statusBadge(lang, status)} ${formatCount(m.counts[status], lang)}</span>`,
  );
  return html`<div class="wk-stack wk-office-wide">
    <h1>${t(lang, 'stationsTitle')}</h1>
    <p>${t(lang, 'stationsIntro')}</p>
    ${m.mayAct ? '' : html`<div class="wk-alert wk-alert--info">${t(lang, 'readOnly')}</div>`}
    ${m.mayAct && !m.canIssue ? html`<div class="wk-alert wk-alert--warn">${t(lang, 'noIssuingKey')}</div>` : ''}
    <p class="wk-cluster">${summary}</p>
    <form method="get" action="/office/stations" class="wk-cluster wk-form-row" role="search">
      <div class="wk-field">
        <label for="stations-q">${t(lang, 'filter')}</label>
        <input
          id="stations-q"
          name="q"
          class="wk-input"
          value="${m.query}"
          maxlength="64"
          aria-describedby="stations-q-hint"
        />
        <p id="stations-q-hint" class="wk-field__hint">${t(lang, 'filterHint')}</p>
      </div>
      <button type="submit" class="wk-button">${t(lang, 'filterButton')}</button>
    </form>
    <p>
      ${t(lang, 'shown', { shown: formatCount(m.matching, lang), total: formatCount(m.total, lang) })}
    </p>
    <div class="wk-table-wrap">
      <table class="wk-table wk-stations">
        <thead>
          <tr>
            <th scope="col">${t(lang, 'precinct')}</th>
            <th scope="col">${t(lang, 'certificate')}</th>
            <th scope="col">${t(lang, 'lastContact')}</th>
            <th scope="col" class="wk-num">${t(lang, 'failedAttempts')}</th>
            ${m.mayAct ? html`<th scope="col">${t(lang, 'actions')}</th>` : ''}
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>
    <p class="wk-cluster">
      ${m.page > 1 ? pageLink(m, m.page - 1, t(lang, 'previous'), 'prev') : ''}
      <span>${m.page} / ${m.pages}</span>
      ${m.page < m.pages ? pageLink(m, m.page + 1, t(lang, 'next'), 'next') : ''}
    </p>
  </div>`;
}

export type StationActionModel = {
  readonly lang: Lang;
  readonly csrfToken: string;
  readonly station: StationOverview & { readonly number: string };
  readonly refusal?: Refusal;
  readonly reason?: OfficeRevocationReason;
};

function passphraseAndConfirmation(m: StationActionModel): SafeHtml {
  const { lang } = m;
  return html`<div class="wk-field">
      <label for="ca-passphrase">${t(lang, 'caPassphrase')}</label>
      <input
        id="ca-passphrase"
        name="caPassphrase"
        type="password"
        class="wk-input"
        required
        maxlength="1024"
        autocomplete="off"
        aria-describedby="ca-passphrase-hint"
      />
      <p id="ca-passphrase-hint" class="wk-field__hint">${t(lang, 'caPassphraseHint')}</p>
    </div>
    <div class="wk-field">
      <label for="confirm-number">${t(lang, 'typeNumber', { number: m.station.number })}</label>
      <input
        id="confirm-number"
        name="confirmNumber"
        class="wk-input"
        required
        maxlength="16"
        autocomplete="off"
        inputmode="numeric"
      />
    </div>`;
}

function stationFacts(m: StationActionModel): SafeHtml {
  const { lang, station } = m;
  return html`<p class="wk-cluster">
    <span
      >${t(lang, 'precinct')}:
      <strong>${station.number} ${station.name}</strong> (${station.precinctId})</span
    >
    <span>${statusBadge(lang, station.status)}</span>
    <span>${t(lang, 'certificate')}: <span class="wk-mono">${station.serial ?? '–'}</span></span>
  </p>`;
}

/** Revoke: reason, CA passphrase and the district's number typed as explicit confirmation. */
export function revokePage(m: StationActionModel): SafeHtml {
  const { lang } = m;
  const options = (Object.keys(REVOCATION_REASON_WORDS) as OfficeRevocationReason[]).map(
    (r) =>
      html`<option value="${r}" ${r === (m.reason ?? 'keyCompromise') ? 'selected' : ''}>
        ${REVOCATION_REASON_WORDS[r][lang]}
      </option>`,
  );
  return html`<div class="wk-stack">
    <p><a href="/office/stations">← ${t(lang, 'backToStations')}</a></p>
    <h1>${t(lang, 'revokeTitle')}</h1>
    ${stationFacts(m)}
    <div class="wk-alert wk-alert--warn">${t(lang, 'revokeIntro')}</div>
    ${m.refusal === undefined ? '' : refusalAlert(lang, t(lang, 'errors'), m.refusal)}
    <form
      method="post"
      action="${stationPath(m.station.precinctId, 'revoke')}"
      class="wk-card wk-stack"
      autocomplete="off"
    >
      ${csrfField(m.csrfToken)}
      <div class="wk-field">
        <label for="revoke-reason">${t(lang, 'revokeReason')}</label>
        <select id="revoke-reason" name="reason" class="wk-input" autofocus>
          ${options}
        </select>
      </div>
      ${passphraseAndConfirmation(m)}
      <button type="submit" class="wk-button wk-button--danger">${t(lang, 'revokeButton')}</button>
    </form>
  </div>`;
}

export function revokedPage(m: StationActionModel & { readonly serial: string }): SafeHtml {
  const { lang } = m;
  return html`<div class="wk-stack">
    <h1>${t(lang, 'revokeTitle')}</h1>
    <div class="wk-alert wk-alert--ok" role="status">
      <strong>${t(lang, 'revokedHeading')}:</strong>
      <span
        >${t(lang, 'revokedText', { serial: m.serial, precinct: `${m.station.number} ${m.station.name}` })}</span
      >
    </div>
    <p class="wk-cluster">
      <a class="wk-button wk-button--primary" href="${stationPath(m.station.precinctId, 'replace')}"
        >${t(lang, 'replace')}</a
      >
      <a class="wk-button" href="/office/stations">${t(lang, 'backToStations')}</a>
    </p>
  </div>`;
}

/** Replace: a new certificate, bundle and letter; CA passphrase and explicit confirmation. */
export function replacePage(m: StationActionModel): SafeHtml {
  const { lang } = m;
  return html`<div class="wk-stack">
    <p><a href="/office/stations">← ${t(lang, 'backToStations')}</a></p>
    <h1>${t(lang, 'replaceTitle')}</h1>
    ${stationFacts(m)}
    <div class="wk-alert wk-alert--info">${t(lang, 'replaceIntro')}</div>
    ${m.refusal === undefined ? '' : refusalAlert(lang, t(lang, 'errors'), m.refusal)}
    <form
      method="post"
      action="${stationPath(m.station.precinctId, 'replace')}"
      class="wk-card wk-stack"
      autocomplete="off"
    >
      ${csrfField(m.csrfToken)} ${passphraseAndConfirmation(m)}
      <button type="submit" class="wk-button wk-button--primary">
        ${t(lang, 'replaceButton')}
      </button>
    </form>
  </div>`;
}

export function replacedPage(
  m: StationActionModel & { readonly replacement: Replacement },
): SafeHtml {
  const { lang, replacement: r } = m;
  return html`<div class="wk-stack">
    <h1>${t(lang, 'replaceTitle')}</h1>
    <div class="wk-alert wk-alert--ok" role="status">
      <strong>${t(lang, 'replacedHeading')}:</strong>
      <span
        >${t(lang, 'replacedText', { serial: r.serial, precinct: `${m.station.number} ${m.station.name}` })}</span
      >
      ${r.superseded.length === 0 ? '' : html`<span>${t(lang, 'supersededText', { serials: r.superseded.join(', ') })}</span>`}
    </div>
    <section class="wk-card wk-stack">
      <p>${t(lang, 'bundleWhere')}</p>
      <p><code class="wk-path">${r.bundle}</code></p>
      <p>${t(lang, 'letterWhere')}</p>
      <p><code class="wk-path">${r.letter}</code></p>
      <p>${t(lang, 'handOver')}</p>
    </section>
    <p><a class="wk-button" href="/office/stations">${t(lang, 'backToStations')}</a></p>
  </div>`;
}
