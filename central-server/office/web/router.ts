import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import type { LocalizedMessage } from '../../../election/index.ts';
import type { Logger } from '../../logger.ts';
import type { AuditWriter } from '../auth/audit-writer.ts';
import { OfficeAuthError } from '../auth/errors.ts';
import type { AuthenticatedSession, OfficeAuth } from '../auth/login.ts';
import type { OfficeUserStore } from '../auth/store.ts';
import { officeLang, officeRequest, setOfficeLang, type OfficeLang } from './context.ts';
import { readCookies, serializeCookie } from './cookies.ts';
import { checkOrigin, requireRole, type GuardDeps } from './guard.ts';
import { html } from './html.ts';
import { officeLayout, publicLayout } from './layout.ts';
import { loginPage, type LoginNotice } from './login-page.ts';
import { t } from './strings.ts';
import type { OfficeMount, OfficeWeb } from './web.ts';

const HERE = dirname(fileURLToPath(import.meta.url));
const DESIGN_DIR = join(HERE, '..', '..', '..', 'design');
const STATIC_DIR = join(HERE, 'static');
const LANG_COOKIE = 'wk_lang';

export type OfficeRouterDeps = {
  readonly auth: OfficeAuth;
  readonly store: OfficeUserStore;
  readonly audit: AuditWriter;
  readonly clock: () => Date;
  readonly logger: Logger;
  /**
   * the dashboard is reached over HTTPS (TLS at nginx, docs/operations.md): the session cookie
   * is then `__Host-wahlkoffer_office` with `Secure`, and the expected Origin https://<host>
   */
  readonly https: boolean;
};

/**
 * The strict CSP of every /office answer: nothing but this origin's own scripts, styles and
 * images; no inline script or style, no framing, forms only to this origin.
 */
const officeHelmet = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
  },
  referrerPolicy: { policy: 'same-origin' },
  crossOriginResourcePolicy: { policy: 'same-origin' },
});

/** Where a log-in may send the browser: a path of the dashboard, never another site. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' &&
    /^\/office\/[A-Za-z0-9/_.?=&%-]{0,200}$/.test(next) &&
    !next.includes('//')
    ? next
    : '/office/';
}

const wantsJson = (req: Request) =>
  req.accepts(['text/html', 'application/json']) === 'application/json';

/** A coded error of any office module: its status, code and bilingual message. */
function describe(
  error: unknown,
):
  | { status: number; code: string; message: LocalizedMessage; details: Record<string, unknown> }
  | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { status?: unknown; code?: unknown; localized?: unknown; details?: unknown };
  if (typeof e.status !== 'number' || typeof e.code !== 'string') return undefined;
  const message = e.localized as LocalizedMessage | undefined;
  if (message === undefined || typeof message.de !== 'string') return undefined;
  const details = (typeof e.details === 'object' && e.details !== null ? e.details : {}) as Record<
    string,
    unknown
  >;
  return { status: e.status, code: e.code, message, details };
}

async function readStatic(name: string): Promise<{ type: string; body: string } | undefined> {
  if (name === 'office.css') {
    const parts = await Promise.all([
      readFile(join(DESIGN_DIR, 'tokens.css'), 'utf8'),
      readFile(join(DESIGN_DIR, 'base.css'), 'utf8'),
      readFile(join(STATIC_DIR, 'office.css'), 'utf8'),
    ]);
    return { type: 'text/css; charset=utf-8', body: parts.join('\n') };
  }
  const match = /^[a-z0-9-]+\.(js|css)$/.exec(name);
  if (match === null) return undefined;
  const body = await readFile(join(STATIC_DIR, name), 'utf8').catch((e: unknown) => {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  });
  if (body === undefined) return undefined;
  return {
    type: match[1] === 'js' ? 'text/javascript; charset=utf-8' : 'text/css; charset=utf-8',
    body,
  };
}

/**
 * The dashboard under /office (decisions/0086): log-in and log-out, its static files, the users
 * page, then each module's routes (`mounts`: the live view, the office actions). Every answer
 * carries the strict CSP and `no-store`; the language comes from `?lang=` (remembered in a cookie).
 */
export function createOfficeRouter(
  deps: OfficeRouterDeps,
  mounts: readonly OfficeMount[],
): express.Router {
  const cookieName = deps.https ? '__Host-wahlkoffer_office' : 'wahlkoffer_office';
  const guard: GuardDeps = { ...deps, cookieName };
  const router = express.Router();
  const staticCache = new Map<string, { type: string; body: string }>();

  router.use(officeHelmet);
  router.use((req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    const asked = req.query['lang'];
    const cookie = readCookies(req.headers.cookie).get(LANG_COOKIE);
    const lang: OfficeLang =
      asked === 'en' || asked === 'de' ? asked : cookie === 'en' ? 'en' : 'de';
    if ((asked === 'en' || asked === 'de') && asked !== cookie) {
      res.append(
        'Set-Cookie',
        serializeCookie(LANG_COOKIE, lang, {
          httpOnly: true,
          secure: deps.https,
          maxAge: 31_536_000,
        }),
      );
    }
    setOfficeLang(res, lang);
    next();
  });
  router.use(express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 200 }));
  router.use(express.json({ limit: '64kb', strict: true }));

  const path = (req: Request) => (req.originalUrl.split('?')[0] ?? '/office/').slice(0, 300);

  const web: OfficeWeb = {
    requireRole: (...roles) => requireRole(guard, roles),
    render: (res, page) => {
      const request = officeRequest(res);
      res
        .status(page.status ?? 200)
        .type('html')
        .send(officeLayout(request, path(res.req), page).text);
    },
    audit: async (event) => {
      const now = deps.clock();
      await deps.audit.run((draft) =>
        deps.store.appendAudit(
          draft({
            at: now,
            kind: event.type,
            precinctId: event.precinctId ?? null,
            requestId: event.requestId ?? null,
            data: { ...event.detail, by: event.actor.name, role: event.actor.role },
          }),
        ),
      );
    },
    refuse: (res, refusal) => {
      const req = res.req;
      const lang = officeLang(res);
      if (wantsJson(req)) {
        res.status(refusal.status).json({
          error: { code: refusal.code, message: refusal.message[lang], requestId: req.requestId },
        });
        return;
      }
      const body = html`<section class="wk-card">
        <div class="wk-alert wk-alert--error" role="alert">
          <strong>${t('error', lang)}:</strong> <span>${refusal.message[lang]}</span>
          <span class="wk-small wk-muted">(${refusal.code})</span>
        </div>
        <p><a href="/office/">${t('back', lang)}</a></p>
      </section>`;
      if (res.locals['wahlkofferOffice'] !== undefined) {
        web.render(res, { title: t('error', lang), active: 'live', body, status: refusal.status });
      } else {
        res
          .status(refusal.status)
          .type('html')
          .send(publicLayout(lang, path(req), t('error', lang), body).text);
      }
    },
  };

  const showLogin = (
    res: Response,
    status: number,
    next: string,
    name: string,
    notice: LoginNotice | null,
  ) => {
    const lang = officeLang(res);
    res
      .status(status)
      .type('html')
      .send(
        publicLayout(
          lang,
          '/office/login',
          t('loginTitle', lang),
          loginPage({ lang, next, name, notice }),
        ).text,
      );
  };

  router.get('/login', (req, res) => {
    const notice: LoginNotice | null =
      req.query['bye'] === '1'
        ? { kind: 'info', message: { de: t('loggedOut', 'de'), en: t('loggedOut', 'en') } }
        : null;
    showLogin(res, 200, safeNext(req.query['next']), '', notice);
  });

  router.post('/login', async (req, res, next) => {
    const form = (req.body ?? {}) as Record<string, unknown>;
    const target = safeNext(form['next']);
    try {
      checkOrigin(req, deps.https);
      const { name, password, code } = form;
      const opened = await deps.auth.login({
        form: { name, password, code },
        source: req.socket.remoteAddress ?? 'unknown',
        requestId: req.requestId,
      });
      res.append(
        'Set-Cookie',
        serializeCookie(cookieName, opened.token, { httpOnly: true, secure: deps.https }),
      );
      res.redirect(303, target);
    } catch (error) {
      const known = error instanceof OfficeAuthError ? error : undefined;
      if (known === undefined || known.code === 'ORIGIN_REFUSED') {
        next(error);
        return;
      }
      const retry = known.details['retryAfterSeconds'];
      if (typeof retry === 'number') res.setHeader('Retry-After', String(retry));
      showLogin(
        res,
        known.status,
        target,
        typeof form['name'] === 'string' ? form['name'].slice(0, 40) : '',
        {
          kind: 'error',
          code: known.code,
          message: known.localized,
          ...(typeof retry === 'number' ? { retryAfterSeconds: retry } : {}),
        },
      );
    }
  });

  router.post('/logout', web.requireRole(), async (req, res, next) => {
    try {
      await deps.auth.logout(
        res.locals['wahlkofferSession'] as AuthenticatedSession,
        req.requestId,
      );
      res.append(
        'Set-Cookie',
        serializeCookie(cookieName, '', { httpOnly: true, secure: deps.https, maxAge: 0 }),
      );
      res.redirect(303, '/office/login?bye=1');
    } catch (error) {
      next(error);
    }
  });

  router.get('/static/:file', async (req, res, next) => {
    try {
      const name = String(req.params['file']);
      let file = staticCache.get(name);
      if (file === undefined) {
        file = await readStatic(name);
        if (file !== undefined) staticCache.set(name, file);
      }
      if (file === undefined) {
        web.refuse(res, {
          status: 404,
          code: 'NOT_FOUND',
          message: { de: 'Nicht gefunden.', en: 'Not found.' },
        });
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.status(200).type(file.type).send(file.body);
    } catch (error) {
      next(error);
    }
  });

  for (const mount of mounts) mount(router, web);

  // Every other /office path: behind the log-in, then not found (no probing without a session).
  router.use(web.requireRole(), (_req, res) => {
    web.refuse(res, {
      status: 404,
      code: 'NOT_FOUND',
      message: { de: 'Diese Seite gibt es nicht.', en: 'There is no such page.' },
    });
  });

  router.use((error: unknown, req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const known = describe(error);
    if (known === undefined) {
      deps.logger.error({ err: error, requestId: req.requestId }, 'office: unhandled error');
      web.refuse(res, {
        status: 500,
        code: 'INTERNAL',
        message: {
          de: 'Interner Fehler; bitte noch einmal versuchen.',
          en: 'Internal error; please try again.',
        },
      });
      return;
    }
    const loginNeeded = known.code === 'LOGIN_REQUIRED' || known.code === 'SESSION_EXPIRED';
    if (loginNeeded && req.method === 'GET' && !wantsJson(req)) {
      res.redirect(303, `/office/login?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
      return;
    }
    deps.logger.info(
      { requestId: req.requestId, code: known.code, status: known.status },
      'office: refused',
    );
    web.refuse(res, known);
  });
  return router;
}
