import type { PhoneEntryView } from '../../actions/index.ts';
import { html, type SafeHtml } from '../html.ts';
import { formatCount } from './format.ts';
import { STATUS_WORDS, t, type Lang } from './messages.ts';
import { csrfField, entryPath, refusalAlert, type Refusal } from './phone-view.ts';

export type EntryPageModel = {
  readonly lang: Lang;
  readonly csrfToken: string;
  /** "0201 Schule Süd" */
  readonly precinct: string;
  readonly contest: string;
  readonly view: PhoneEntryView;
  /** the operator looking at the page */
  readonly you: { readonly id: string; readonly name: string };
  /** the last step was refused: why, and the fields concerned (keys) */
  readonly refusal?: Refusal & { readonly fields?: readonly string[] };
  /** what the operator typed when the step was refused (kept, so nothing typed is lost) */
  readonly typed?: Readonly<Record<string, string>>;
  /** set once the result was counted */
  readonly counted?: { readonly sequence: number; readonly receiptCode: string | null };
};

const action = (m: EntryPageModel) => entryPath(m.view.precinctId, m.view.contestId);

function person(m: EntryPageModel, p: { id: string; name: string } | null): string {
  if (p === null) return t(m.lang, 'nobody');
  return p.id === m.you.id ? `${p.name} (${t(m.lang, 'you')})` : p.name;
}

function header(m: EntryPageModel): SafeHtml {
  const { lang, view } = m;
  const tone =
    m.counted !== undefined ? 'warn' : view.status === 'ENTRIES_DIFFER' ? 'error' : 'info';
  const status = m.counted !== undefined ? STATUS_WORDS.SIGNED : STATUS_WORDS[view.status];
  return html`<div class="wk-stack">
    <p><a href="/office/phone">← ${t(lang, 'back')}</a></p>
    <h1>${t(lang, 'entryTitle')}: ${m.precinct} · ${m.contest}</h1>
    <p class="wk-cluster">
      <span class="wk-badge wk-badge--${tone}">${status[lang]}</span>
      <span>${t(lang, 'firstPerson')}: <strong>${person(m, view.first)}</strong></span>
      <span>${t(lang, 'secondPerson')}: <strong>${person(m, view.second)}</strong></span>
    </p>
  </div>`;
}

/** One step as a button of its own form: the step's name travels in `step`. */
function stepButton(m: EntryPageModel, step: string, label: string, tone = ''): SafeHtml {
  return html`<form method="post" action="${action(m)}">
    ${csrfField(m.csrfToken)}<input type="hidden" name="step" value="${step}" />
    <button type="submit" class="wk-button ${tone}">${label}</button>
  </form>`;
}

const fieldId = (key: string) => `feld-${key}`;

function findingsList(m: EntryPageModel): SafeHtml | '' {
  const { lang, view } = m;
  if (view.findings.length === 0) return '';
  const item = (f: PhoneEntryView['findings'][number]) =>
    html`<li><code>${f.code}</code> ${f.message[lang]}</li>`;
  const errors = shownFindings(view).filter((f) => f.severity === 'error');
  const warnings = shownFindings(view).filter((f) => f.severity === 'warning');
  return html`${
    errors.length === 0
      ? ''
      : html`<div class="wk-alert wk-alert--error">
          <strong>${t(lang, 'errors')}:</strong>
          <ul>
            ${errors.map(item)}
          </ul>
        </div>`
  }${
    warnings.length === 0
      ? ''
      : html`<div class="wk-alert wk-alert--warn">
          <strong>${t(lang, 'warnings')}:</strong>
          <ul>
            ${warnings.map(item)}
          </ul>
        </div>`
  }`;
}

/**
 * The findings worth showing while figures are typed: not "a field is still empty" (F.101),
 * which would mark the whole form red before the first figure; an incomplete entry is refused
 * at "finish" with ENTRY_INCOMPLETE, naming exactly the empty fields.
 */
const shownFindings = (view: PhoneEntryView) => view.findings.filter((f) => f.code !== 'F.101');

/** The keys a finding or the refusal points at (field paths are `counts.X`). */
function flagged(m: EntryPageModel): Set<string> {
  const keys = new Set<string>(m.refusal?.fields ?? []);
  for (const f of shownFindings(m.view)) for (const path of f.fields) keys.add(path);
  return new Set([...keys].map((k) => k.replace(/^counts\./, '')));
}

/** The form of Anlage 28 in its order: one large input per Kennbuchstabe. */
function entryForm(m: EntryPageModel): SafeHtml {
  const { lang, view } = m;
  const marked = flagged(m);
  const first = view.fields[0]?.key;
  const rows = view.fields.map((f) => {
    const typed = m.typed?.[`v_${f.key}`];
    const value = typed ?? (Object.hasOwn(view.values, f.key) ? String(view.values[f.key]) : '');
    return html`<div class="wk-field wk-entry-row">
      <label for="${fieldId(f.key)}"
        ><span class="wk-kennbuchstabe">${f.key}</span> ${f.label[lang]}</label
      >
      <input
        id="${fieldId(f.key)}"
        name="v_${f.key}"
        class="wk-input wk-input--number"
        inputmode="numeric"
        autocomplete="off"
        maxlength="11"
        value="${value}"
        aria-invalid="${marked.has(f.key) ? 'true' : 'false'}"
        ${f.key === first ? 'autofocus' : ''}
      />
    </div>`;
  });
  const hint = view.status === 'SECOND_ENTRY_IN_PROGRESS' ? 'startSecondHint' : 'startFirstHint';
  return html`<form
    method="post"
    action="${action(m)}"
    class="wk-card wk-stack wk-entry-form"
    autocomplete="off"
  >
    ${csrfField(m.csrfToken)}
    <p>${t(lang, hint)}</p>
    ${findingsList(m)}
    <div class="wk-entry-fields">${rows}</div>
    <div class="wk-cluster">
      <button type="submit" name="step" value="save" class="wk-button">${t(lang, 'save')}</button>
      <button type="submit" name="step" value="finish" class="wk-button wk-button--primary">
        ${t(lang, 'finish')}
      </button>
    </div>
  </form>`;
}

/** The three ways to settle a difference: form value, the four-eyes resolution, its label. */
const RESOLUTION_CHOICES = [
  ['first', 'KEEP_FIRST', 'keepFirst'],
  ['second', 'KEEP_SECOND', 'keepSecond'],
  ['again', 'ENTERED_AGAIN', 'enterAgain'],
] as const;

function differences(m: EntryPageModel): SafeHtml {
  const { lang, view } = m;
  const label = new Map(view.fields.map((f) => [f.key, f.label[lang]] as const));
  const figure = (n: number | undefined) => (n === undefined ? '–' : formatCount(n, lang));
  const rows = view.differences.map((d) => {
    const chosen = d.resolution?.kind;
    const again = d.resolution?.kind === 'ENTERED_AGAIN' ? String(d.resolution.value) : '';
    const name = `r_${d.key}`;
    // the clerk picks a figure, not a person: each choice names the figure it keeps
    const suffix = (value: (typeof RESOLUTION_CHOICES)[number][0]) =>
      value === 'first'
        ? ` (${figure(d.first)})`
        : value === 'second'
          ? ` (${figure(d.second)})`
          : ':';
    return html`<tr>
      <th scope="row">
        <span class="wk-kennbuchstabe">${d.key}</span> ${label.get(d.key) ?? d.key}
      </th>
      <td class="wk-num">${figure(d.first)}</td>
      <td class="wk-num">${figure(d.second)}</td>
      <td>
        <fieldset class="wk-choice-group">
          <legend class="wk-visually-hidden">${d.key}</legend>
          ${RESOLUTION_CHOICES.map(
            ([value, kind, text]) =>
              html`<label
                ><input
                  type="radio"
                  name="${name}"
                  value="${value}"
                  ${chosen === kind ? 'checked' : ''}
                />
                ${t(lang, text)}${suffix(value)}</label
              >`,
          )}
          <input
            name="a_${d.key}"
            class="wk-input wk-input--number"
            inputmode="numeric"
            maxlength="11"
            value="${again}"
            aria-label="${d.key} ${t(lang, 'enterAgain')}"
          />
        </fieldset>
      </td>
    </tr>`;
  });
  return html`<form method="post" action="${action(m)}" class="wk-card wk-stack">
    ${csrfField(m.csrfToken)}
    <h2>${t(lang, 'differHeading')}</h2>
    <p>${t(lang, 'differIntro')}</p>
    ${findingsList(m)}
    <div class="wk-table-wrap">
      <table class="wk-table">
        <thead>
          <tr>
            <th scope="col">${t(lang, 'field')}</th>
            <th scope="col" class="wk-num">${t(lang, 'firstPerson')} (${person(m, view.first)})</th>
            <th scope="col" class="wk-num">
              ${t(lang, 'secondPerson')} (${person(m, view.second)})
            </th>
            <th scope="col">${t(lang, 'resolve')}</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>
    <button type="submit" name="step" value="resolve" class="wk-button wk-button--primary">
      ${t(lang, 'resolve')}
    </button>
  </form>`;
}

function readyToSign(m: EntryPageModel): SafeHtml {
  const { lang, view } = m;
  const rows = view.fields.map(
    (f) =>
      html`<tr>
        <th scope="row"><span class="wk-kennbuchstabe">${f.key}</span> ${f.label[lang]}</th>
        <td class="wk-num">
          ${Object.hasOwn(view.values, f.key) ? formatCount(view.values[f.key]!, lang) : '–'}
        </td>
      </tr>`,
  );
  const given = new Map(view.acknowledgements.map((a) => [a.code, a.reason] as const));
  const warnings = view.findings
    .filter((f) => f.severity === 'warning')
    .map(
      (w) =>
        html`<div class="wk-field">
          <label for="ack-${w.code}"><code>${w.code}</code> ${w.message[lang]}</label>
          <textarea
            id="ack-${w.code}"
            name="ack_${w.code}"
            class="wk-input"
            rows="2"
            maxlength="500"
            aria-invalid="${view.unacknowledged.includes(w.code) && m.refusal !== undefined ? 'true' : 'false'}"
          >
${m.typed?.[`ack_${w.code}`] ?? given.get(w.code) ?? ''}</textarea>
          <p class="wk-field__hint">${t(lang, 'reason')} (3–500)</p>
        </div>`,
    );
  const errors = view.findings.filter((f) => f.severity === 'error');
  return html`<form method="post" action="${action(m)}" class="wk-card wk-stack">
    ${csrfField(m.csrfToken)}
    <h2>${t(lang, 'readyHeading')}</h2>
    <p>${t(lang, 'readyIntro')}</p>
    ${
      errors.length === 0
        ? ''
        : html`<div class="wk-alert wk-alert--error">
            <strong>${t(lang, 'errors')}:</strong>
            <ul>
              ${errors.map((f) => html`<li><code>${f.code}</code> ${f.message[lang]}</li>`)}
            </ul>
          </div>`
    }
    <div class="wk-table-wrap">
      <table class="wk-table">
        <thead>
          <tr>
            <th scope="col">${t(lang, 'field')}</th>
            <th scope="col" class="wk-num">${t(lang, 'value')}</th>
          </tr>
        </thead>
        <tbody>
          ${rows}
        </tbody>
      </table>
    </div>
    ${
      warnings.length === 0
        ? ''
        : html`<h3>${t(lang, 'warnings')}</h3>
            ${warnings}`
    }
    <button type="submit" name="step" value="sign" class="wk-button wk-button--primary">
      ${t(lang, 'sign')}
    </button>
  </form>`;
}

function counted(m: EntryPageModel, c: NonNullable<EntryPageModel['counted']>): SafeHtml {
  const { lang } = m;
  return html`<section class="wk-card wk-stack" aria-labelledby="gezaehlt">
    <div class="wk-alert wk-alert--ok" role="status">
      <strong id="gezaehlt">${t(lang, 'countedHeading')}:</strong>
      <span
        >${t(lang, 'countedText', { precinct: m.precinct, contest: m.contest, sequence: c.sequence })}</span
      >
    </div>
    ${
      c.receiptCode === null
        ? ''
        : html`<p>${t(lang, 'readBack')}</p>
            <p class="wk-receipt-code">${c.receiptCode}</p>`
    }
    <p><a class="wk-button" href="/office/phone">${t(lang, 'back')}</a></p>
  </section>`;
}

/** What the operator may do now, by the events the machine allows them. */
function body(m: EntryPageModel): SafeHtml {
  const { lang, view } = m;
  if (m.counted !== undefined) return counted(m, m.counted);
  const allowed = new Set(view.allowed);
  const parts: SafeHtml[] = [];
  if (allowed.has('START_FIRST_ENTRY')) {
    parts.push(
      html`<section class="wk-card wk-stack">
        <p>${t(lang, 'startFirstHint')}</p>
        ${stepButton(m, 'start-first', t(lang, 'startFirst'), 'wk-button--primary')}
      </section>`,
    );
  }
  if (allowed.has('START_SECOND_ENTRY')) {
    parts.push(
      html`<section class="wk-card wk-stack">
        <p>${t(lang, 'startSecondHint')}</p>
        ${stepButton(m, 'start-second', t(lang, 'startSecond'), 'wk-button--primary')}
      </section>`,
    );
  }
  if (allowed.has('SET_VALUE')) parts.push(entryForm(m));
  if (view.status === 'FIRST_ENTRY_DONE' && view.role === 'first') {
    parts.push(
      html`<div class="wk-alert wk-alert--info" role="status">${t(lang, 'waitForSecond')}</div>`,
    );
  }
  if (view.status === 'ENTRIES_DIFFER' && allowed.has('RESOLVE_DIFFERENCE'))
    parts.push(differences(m));
  if (view.status === 'READY_TO_SIGN' && allowed.has('SIGN')) parts.push(readyToSign(m));
  if (allowed.size === 0 && view.role === 'other') {
    const second = view.second === null ? '' : t(lang, 'andSecond', { name: view.second.name });
    parts.push(
      html`<div class="wk-alert wk-alert--info" role="status">
        ${t(lang, 'waitForOther', {
          first: view.first?.name ?? t(lang, 'nobody'),
          second,
        })}
      </div>`,
    );
  }
  const side: SafeHtml[] = [];
  if (allowed.has('REOPEN_FIRST_ENTRY')) side.push(stepButton(m, 'reopen', t(lang, 'reopen')));
  if (allowed.has('DISCARD'))
    side.push(stepButton(m, 'discard', t(lang, 'discard'), 'wk-button--danger'));
  return html`${parts}${side.length === 0 ? '' : html`<div class="wk-cluster">${side}</div>`}`;
}

/** The page of one phoned-in entry, as this operator may see it (blind where it must be). */
export function entryPage(m: EntryPageModel): SafeHtml {
  return html`<div class="wk-stack">
    ${header(m)}
    ${m.refusal === undefined ? '' : refusalAlert(m.lang, t(m.lang, 'errors'), m.refusal)}
    ${body(m)}
  </div>`;
}
