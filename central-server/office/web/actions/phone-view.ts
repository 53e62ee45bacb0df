import type { LocalizedMessage } from '../../../../election/index.ts';
import { html, type SafeHtml } from '../html.ts';
import { formatAgo, formatTime } from './format.ts';
import { STATUS_WORDS, t, type Lang } from './messages.ts';
import type { FourEyesStatus } from '../../../../election/index.ts';

/** A refusal as the pages show it: the code for the phone call, the message saying what to do. */
export type Refusal = { readonly code: string; readonly message: LocalizedMessage };

export type ConfirmationRowView = {
  readonly precinct: string;
  readonly contest: string;
  readonly sequence: number;
  readonly by: string;
  readonly at: Date;
};

export type PhonePageModel = {
  readonly lang: Lang;
  readonly csrfToken: string;
  readonly timeZone: string;
  readonly now: Date;
  readonly confirm: {
    readonly precinct: string;
    readonly code: string;
    readonly outcome?:
      | { readonly ok: true; readonly row: ConfirmationRowView }
      | { readonly ok: false; readonly refusal: Refusal };
  };
  readonly confirmations: readonly ConfirmationRowView[];
  readonly entry: {
    readonly precinct: string;
    readonly contestId: string;
    readonly contests: readonly { readonly id: string; readonly name: string }[];
    readonly refusal?: Refusal;
  };
  readonly inProgress: readonly {
    readonly precinctId: string;
    readonly precinct: string;
    readonly contestId: string;
    readonly contest: string;
    readonly status: FourEyesStatus;
    readonly updatedAt: Date;
  }[];
};

export function refusalAlert(lang: Lang, heading: string, refusal: Refusal): SafeHtml {
  return html`<div class="wk-alert wk-alert--error" role="alert">
    <strong>${heading}:</strong> <span>${refusal.message[lang]}</span>
    <p class="wk-small">${t(lang, 'errorCode')}: <code>${refusal.code}</code></p>
  </div>`;
}

export const csrfField = (token: string): SafeHtml =>
  html`<input type="hidden" name="_csrf" value="${token}" />`;

function confirmSection(m: PhonePageModel): SafeHtml {
  const { lang, confirm } = m;
  const outcome = confirm.outcome;
  const failed = outcome !== undefined && !outcome.ok;
  const result =
    outcome === undefined
      ? ''
      : outcome.ok
        ? html`<div class="wk-alert wk-alert--ok" role="status">
            <strong>${t(lang, 'confirmed')}:</strong>
            <span
              >${t(lang, 'confirmedText', {
                sequence: outcome.row.sequence,
                contest: outcome.row.contest,
                precinct: outcome.row.precinct,
                by: outcome.row.by,
                at: formatTime(outcome.row.at, lang, m.timeZone),
              })}</span
            >
          </div>`
        : refusalAlert(lang, t(lang, 'refused'), outcome.refusal);
  return html`<section class="wk-card wk-stack" aria-labelledby="bestaetigen">
    <h2 id="bestaetigen">${t(lang, 'confirmHeading')}</h2>
    <p>${t(lang, 'confirmIntro')}</p>
    ${result}
    <form method="post" action="/office/phone/confirm" class="wk-stack" autocomplete="off">
      ${csrfField(m.csrfToken)}
      <div class="wk-field">
        <label for="confirm-precinct">${t(lang, 'precinct')}</label>
        <input
          id="confirm-precinct"
          name="precinct"
          class="wk-input"
          required
          maxlength="64"
          value="${failed ? confirm.precinct : ''}"
          aria-describedby="confirm-precinct-hint"
          autofocus
        />
        <p id="confirm-precinct-hint" class="wk-field__hint">${t(lang, 'precinctHint')}</p>
      </div>
      <div class="wk-field">
        <label for="confirm-code">${t(lang, 'receiptCode')}</label>
        <input
          id="confirm-code"
          name="code"
          class="wk-input wk-input--code"
          required
          maxlength="32"
          spellcheck="false"
          autocapitalize="characters"
          value="${failed ? confirm.code : ''}"
          aria-describedby="confirm-code-hint"
          aria-invalid="${failed ? 'true' : 'false'}"
        />
        <p id="confirm-code-hint" class="wk-field__hint">${t(lang, 'receiptCodeHint')}</p>
      </div>
      <button type="submit" class="wk-button wk-button--primary">
        ${t(lang, 'confirmButton')}
      </button>
    </form>
  </section>`;
}

function confirmationsTable(m: PhonePageModel): SafeHtml {
  const { lang } = m;
  if (m.confirmations.length === 0) return html`<p>${t(lang, 'noConfirmations')}</p>`;
  const rows = m.confirmations.map(
    (c) =>
      html`<tr>
        <th scope="row">${c.precinct}</th>
        <td>${c.contest}</td>
        <td class="wk-num">${c.sequence}</td>
        <td>${c.by}</td>
        <td>${formatTime(c.at, lang, m.timeZone)}</td>
      </tr>`,
  );
  return html`<div class="wk-table-wrap">
    <table class="wk-table">
      <thead>
        <tr>
          <th scope="col">${t(lang, 'precinct')}</th>
          <th scope="col">${t(lang, 'contest')}</th>
          <th scope="col" class="wk-num">${t(lang, 'report')}</th>
          <th scope="col">${t(lang, 'by')}</th>
          <th scope="col">${t(lang, 'at')}</th>
        </tr>
      </thead>
      <tbody>
        ${rows}
      </tbody>
    </table>
  </div>`;
}

function entryStartSection(m: PhonePageModel): SafeHtml {
  const { lang, entry } = m;
  const options = entry.contests.map(
    (c) =>
      html`<option value="${c.id}" ${c.id === entry.contestId ? 'selected' : ''}>
        ${c.name}
      </option>`,
  );
  const rows = m.inProgress.map(
    (e) =>
      html`<tr>
        <th scope="row"><a href="${entryPath(e.precinctId, e.contestId)}">${e.precinct}</a></th>
        <td>${e.contest}</td>
        <td>${STATUS_WORDS[e.status][lang]}</td>
        <td>${formatAgo(e.updatedAt, m.now, lang)}</td>
      </tr>`,
  );
  return html`<section class="wk-card wk-stack" aria-labelledby="erfassen">
    <h2 id="erfassen">${t(lang, 'phonedHeading')}</h2>
    <p>${t(lang, 'phonedIntro')}</p>
    ${entry.refusal === undefined ? '' : refusalAlert(lang, t(lang, 'errors'), entry.refusal)}
    <form method="get" action="/office/phone/entry" class="wk-cluster wk-form-row">
      <div class="wk-field">
        <label for="entry-precinct">${t(lang, 'precinct')}</label>
        <input
          id="entry-precinct"
          name="precinct"
          class="wk-input"
          required
          maxlength="64"
          value="${entry.precinct}"
        />
      </div>
      <div class="wk-field">
        <label for="entry-contest">${t(lang, 'contest')}</label>
        <select id="entry-contest" name="contest" class="wk-input">
          ${options}
        </select>
      </div>
      <button type="submit" class="wk-button">${t(lang, 'openEntry')}</button>
    </form>
    <h3>${t(lang, 'entriesHeading')}</h3>
    ${
      m.inProgress.length === 0
        ? html`<p>${t(lang, 'noEntries')}</p>`
        : html`<div class="wk-table-wrap">
            <table class="wk-table">
              <thead>
                <tr>
                  <th scope="col">${t(lang, 'precinct')}</th>
                  <th scope="col">${t(lang, 'contest')}</th>
                  <th scope="col">${t(lang, 'status')}</th>
                  <th scope="col">${t(lang, 'since')}</th>
                </tr>
              </thead>
              <tbody>
                ${rows}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}

export const entryPath = (precinctId: string, contestId: string): string =>
  `/office/phone/entry/${encodeURIComponent(precinctId)}/${encodeURIComponent(contestId)}`;

/** The Telefon page: confirm by receipt code, start or continue a phoned-in result. */
export function phonePage(m: PhonePageModel): SafeHtml {
  return html`<div class="wk-stack wk-office-wide">
    <h1>${t(m.lang, 'phoneTitle')}</h1>
    <div class="wk-grid wk-office-columns">${confirmSection(m)} ${entryStartSection(m)}</div>
    <section class="wk-card" aria-labelledby="bestaetigungen">
      <h2 id="bestaetigungen">${t(m.lang, 'confirmationsHeading')}</h2>
      ${confirmationsTable(m)}
    </section>
  </div>`;
}
