import type { LocalizedMessage } from '../../../election/index.ts';
import type { OfficeLang } from './context.ts';
import { html, type SafeHtml } from './html.ts';
import { t } from './strings.ts';

export type LoginNotice =
  | {
      readonly kind: 'error';
      readonly code: string;
      readonly message: LocalizedMessage;
      readonly retryAfterSeconds?: number;
    }
  | { readonly kind: 'info'; readonly message: LocalizedMessage };

/** The log-in form: name, password, code; `next` is where a successful log-in goes. */
export function loginPage(input: {
  readonly lang: OfficeLang;
  readonly next: string;
  readonly name: string;
  readonly notice: LoginNotice | null;
}): SafeHtml {
  const { lang, notice } = input;
  const alert =
    notice === null
      ? ''
      : notice.kind === 'error'
        ? html`<div class="wk-alert wk-alert--error" role="alert">
            <strong>${t('error', lang)}:</strong> <span>${notice.message[lang]}</span>
            ${notice.retryAfterSeconds === undefined ? '' : html` <span>${t('retryIn', lang)} ${notice.retryAfterSeconds} ${t('seconds', lang)}.</span>`}
            <span class="wk-small wk-muted">(${notice.code})</span>
          </div>`
        : html`<div class="wk-alert wk-alert--ok" role="status">
            <span>${notice.message[lang]}</span>
          </div>`;
  return html`<section class="wk-card wk-office-login">
    <div class="wk-card__title"><h1>${t('loginTitle', lang)}</h1></div>
    <p>${t('loginIntro', lang)}</p>
    ${alert}
    <form method="post" action="/office/login" class="wk-stack" novalidate>
      <input type="hidden" name="next" value="${input.next}" />
      <div class="wk-field">
        <label for="name">${t('name', lang)}</label>
        <input
          id="name"
          name="name"
          class="wk-input"
          autocomplete="username"
          autocapitalize="none"
          spellcheck="false"
          required
          maxlength="40"
          value="${input.name}"
          ${input.name === '' ? html` autofocus` : ''}
        />
      </div>
      <div class="wk-field">
        <label for="password">${t('password', lang)}</label>
        <input
          id="password"
          name="password"
          type="password"
          class="wk-input"
          autocomplete="current-password"
          required
          maxlength="256"
          ${input.name === '' ? '' : html` autofocus`}
        />
      </div>
      <div class="wk-field">
        <label for="code">${t('code', lang)}</label>
        <input
          id="code"
          name="code"
          class="wk-input wk-input--number"
          inputmode="numeric"
          autocomplete="one-time-code"
          pattern="[0-9 ]{6,7}"
          maxlength="7"
          required
          aria-describedby="code-hint"
        />
        <span id="code-hint" class="wk-field__hint">${t('codeHint', lang)}</span>
      </div>
      <button type="submit" class="wk-button wk-button--primary">${t('login', lang)}</button>
    </form>
  </section>`;
}
