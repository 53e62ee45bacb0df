import type { OfficeUsers, OfficeUserSummary } from '../auth/users.ts';
import { officeRequest, type OfficeLang } from './context.ts';
import { html } from './html.ts';
import { ROLE_NAMES, t } from './strings.ts';
import type { OfficeMount } from './web.ts';

function formatTime(at: Date, lang: OfficeLang, timeZone: string): string {
  return at.toLocaleString(lang === 'de' ? 'de-DE' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'short',
    timeZone,
  });
}

function stateBadge(u: OfficeUserSummary, lang: OfficeLang, now: Date, timeZone: string) {
  if (u.disabledAt !== null) {
    return html`<span class="wk-badge wk-badge--error">${t('disabled', lang)}</span>`;
  }
  if (u.lockedUntil !== null && u.lockedUntil > now) {
    return html`<span class="wk-badge wk-badge--warn"
      >${t('lockedUntil', lang)} ${formatTime(u.lockedUntil, lang, timeZone)}</span
    >`;
  }
  return html`<span class="wk-badge wk-badge--ok">${t('active', lang)}</span>`;
}

/** `/office/users` (admin only): every user with role and state; disabling one. */
export function mountUsers(
  users: OfficeUsers,
  clock: () => Date,
  /** the office's time zone (e.g. Europe/Berlin) */
  timeZone: string,
): OfficeMount {
  return (router, web) => {
    router.get('/users', web.requireRole('admin'), async (_req, res, next) => {
      try {
        const { lang, user, csrfToken } = officeRequest(res);
        const now = clock();
        const rows = (await users.list()).map(
          (u) =>
            html`<tr>
              <td>
                ${u.name}
                ${u.id === user.id ? html`<span class="wk-muted">${t('you', lang)}</span>` : ''}
              </td>
              <td>${ROLE_NAMES[u.role][lang]}</td>
              <td>${stateBadge(u, lang, now, timeZone)}</td>
              <td>${formatTime(u.createdAt, lang, timeZone)}</td>
              <td>
                ${
                  u.disabledAt === null && u.id !== user.id
                    ? html`<form method="post" action="/office/users/${u.name}/disable">
                        <input type="hidden" name="_csrf" value="${csrfToken}" />
                        <button type="submit" class="wk-button wk-button--danger">
                          ${t('disable', lang)}
                        </button>
                      </form>`
                    : ''
                }
              </td>
            </tr>`,
        );
        web.render(res, {
          title: t('users', lang),
          active: 'users',
          body: html`<section class="wk-card">
            <div class="wk-card__title"><h1>${t('users', lang)}</h1></div>
            <p>${t('usersIntro', lang)}</p>
            <div class="wk-table-wrap">
              <table class="wk-table">
                <thead>
                  <tr>
                    <th scope="col">${t('name', lang)}</th>
                    <th scope="col">${t('role', lang)}</th>
                    <th scope="col">${t('state', lang)}</th>
                    <th scope="col">${t('created', lang)}</th>
                    <th scope="col">${t('action', lang)}</th>
                  </tr>
                </thead>
                <tbody>
                  ${rows}
                </tbody>
              </table>
            </div>
          </section>`,
        });
      } catch (error) {
        next(error);
      }
    });

    router.post('/users/:name/disable', web.requireRole('admin'), async (req, res, next) => {
      try {
        const { user } = officeRequest(res);
        await users.disable({
          name: String(req.params['name']),
          actor: { name: user.name, via: 'dashboard' },
          requestId: req.requestId,
        });
        res.redirect(303, '/office/users');
      } catch (error) {
        next(error);
      }
    });
  };
}
