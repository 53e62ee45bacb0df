import type { OfficeLang, OfficeRequest } from './context.ts';
import { html, raw, type SafeHtml } from './html.ts';
import { ROLE_NAMES, t } from './strings.ts';
import type { OfficePage, OfficeSection } from './web.ts';

const NAV: readonly {
  section: OfficeSection;
  href: string;
  label: 'live' | 'stations' | 'phone' | 'users';
}[] = [
  { section: 'live', href: '/office/', label: 'live' },
  { section: 'stations', href: '/office/stations', label: 'stations' },
  { section: 'phone', href: '/office/phone', label: 'phone' },
  { section: 'users', href: '/office/users', label: 'users' },
];

/** The same path with `lang` switched (the query otherwise dropped: it may carry form values). */
export function switchLanguageHref(path: string, lang: OfficeLang): string {
  return `${path}?lang=${lang === 'de' ? 'en' : 'de'}`;
}

export function document(input: {
  readonly lang: OfficeLang;
  readonly title: string;
  readonly header: SafeHtml;
  readonly body: SafeHtml;
  readonly scripts?: readonly string[];
}): SafeHtml {
  const scripts = (input.scripts ?? []).filter((s) => /^[a-z0-9-]+\.js$/.test(s));
  return html`<!doctype html>
    <html lang="${input.lang}">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="same-origin" />
        <title>${input.title} · Wahlkoffer ${t('office', input.lang)}</title>
        <link rel="stylesheet" href="/office/static/office.css" />
        ${scripts.map((s) => html`<script src="/office/static/${s}" defer></script>`)}
      </head>
      <body>
        <a class="wk-skip-link" href="#inhalt">${t('skip', input.lang)}</a>
        ${input.header}
        <main id="inhalt" class="wk-main wk-stack">${input.body}</main>
      </body>
    </html> `;
}

/** The frame of every page behind the log-in: navigation, the user and role, language, log-out. */
export function officeLayout(request: OfficeRequest, path: string, page: OfficePage): SafeHtml {
  const { lang, user } = request;
  const entries = NAV.filter((n) => n.section !== 'users' || user.role === 'admin');
  const header = html`<header class="wk-header wk-office-header">
    <div class="wk-header__inner">
      <a class="wk-brand" href="/office/">Wahlkoffer<small>${t('office', lang)}</small></a>
      <nav class="wk-office-nav" aria-label="${t('navigation', lang)}">
        <ul>
          ${entries.map(
            (n) =>
              html`<li>
                <a href="${n.href}" ${n.section === page.active ? raw(' aria-current="page"') : ''}
                  >${t(n.label, lang)}</a
                >
              </li>`,
          )}
        </ul>
      </nav>
      <div class="wk-office-user">
        <span
          ><span class="wk-visually-hidden">${t('loggedInAs', lang)} </span
          ><strong>${user.name}</strong> · ${ROLE_NAMES[user.role][lang]}</span
        >
        <a
          class="wk-lang"
          href="${switchLanguageHref(path, lang)}"
          hreflang="${lang === 'de' ? 'en' : 'de'}"
          >${t('otherLanguage', lang)}</a
        >
        <form method="post" action="/office/logout" class="wk-office-logout">
          <input type="hidden" name="_csrf" value="${request.csrfToken}" />
          <button type="submit" class="wk-button">${t('logout', lang)}</button>
        </form>
      </div>
    </div>
  </header>`;
  return document({
    lang,
    title: page.title,
    header,
    body: page.body,
    scripts: page.scripts ?? [],
  });
}

/** The frame before the log-in: only the brand and the language switch. */
export function publicLayout(
  lang: OfficeLang,
  path: string,
  title: string,
  body: SafeHtml,
): SafeHtml {
  const header = html`<header class="wk-header">
    <div class="wk-header__inner">
      <a class="wk-brand" href="/office/login">Wahlkoffer<small>${t('office', lang)}</small></a>
      <a
        class="wk-lang"
        href="${switchLanguageHref(path, lang)}"
        hreflang="${lang === 'de' ? 'en' : 'de'}"
        >${t('otherLanguage', lang)}</a
      >
    </div>
  </header>`;
  return document({ lang, title, header, body });
}
