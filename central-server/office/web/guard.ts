import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { OfficeAuthError } from '../auth/errors.ts';
import { sameToken, type AuthenticatedSession, type OfficeAuth } from '../auth/login.ts';
import type { AuditWriter } from '../auth/audit-writer.ts';
import type { OfficeUserStore } from '../auth/store.ts';
import { officeLang, setOfficeRequest, type OfficeRole } from './context.ts';
import { readCookies } from './cookies.ts';

export type GuardDeps = {
  readonly auth: OfficeAuth;
  readonly store: OfficeUserStore;
  readonly audit: AuditWriter;
  readonly clock: () => Date;
  /** the session cookie's name (`__Host-` prefixed over HTTPS) */
  readonly cookieName: string;
  /** served over HTTPS (TLS at nginx): the expected Origin is https://<Host> */
  readonly https: boolean;
};

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The origin this request was addressed to, as the browser names it in `Origin`. */
export function expectedOrigin(req: Request, https: boolean): string | undefined {
  const host = req.headers.host;
  if (host === undefined || !/^[A-Za-z0-9.:[\]-]{1,300}$/.test(host)) return undefined;
  return `${https ? 'https' : 'http'}://${host.toLowerCase()}`;
}

/**
 * Cross-site requests are refused twice over: the `Origin` header must name this site (browsers
 * send it with every POST; a missing one is refused too), and the form or header must carry the
 * session's synchronizer token (OWASP CSRF cheat sheet: both defences).
 */
export function checkOrigin(req: Request, https: boolean): void {
  const origin = req.headers.origin;
  const expected = expectedOrigin(req, https);
  if (origin === undefined || expected === undefined || origin.toLowerCase() !== expected) {
    throw new OfficeAuthError('ORIGIN_REFUSED');
  }
}

function presentedCsrf(req: Request): string | undefined {
  const header = req.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body: unknown = req.body;
  if (typeof body === 'object' && body !== null && '_csrf' in body) {
    const field = (body as Record<string, unknown>)['_csrf'];
    return typeof field === 'string' ? field : undefined;
  }
  return undefined;
}

export function sessionToken(req: Request, cookieName: string): string | undefined {
  return readCookies(req.headers.cookie).get(cookieName);
}

/** The session of a request, or the coded refusal (no cookie, unknown, expired). */
export async function sessionOf(req: Request, deps: GuardDeps): Promise<AuthenticatedSession> {
  return deps.auth.authenticate(sessionToken(req, deps.cookieName));
}

export function requireRole(deps: GuardDeps, roles: readonly OfficeRole[]): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    void (async () => {
      const session = await sessionOf(req, deps);
      if (!SAFE_METHODS.has(req.method)) {
        checkOrigin(req, deps.https);
        const csrf = presentedCsrf(req);
        if (csrf === undefined || !sameToken(csrf, session.csrfToken)) {
          throw new OfficeAuthError('CSRF_INVALID');
        }
      }
      // set before the role check: a refusal page of a logged-in user keeps the navigation
      setOfficeRequest(res, {
        user: session.user,
        csrfToken: session.csrfToken,
        lang: officeLang(res),
      });
      if (roles.length > 0 && !roles.includes(session.user.role)) {
        const now = deps.clock();
        await deps.audit.run((draft) =>
          deps.store.appendAudit(
            draft({
              at: now,
              requestId: req.requestId,
              kind: 'OFFICE_FORBIDDEN',
              data: {
                name: session.user.name,
                role: session.user.role,
                method: req.method,
                path: (req.originalUrl.split('?')[0] ?? '').slice(0, 200),
              },
            }),
          ),
        );
        throw new OfficeAuthError('ROLE_FORBIDDEN');
      }
      res.locals['wahlkofferSession'] = session;
    })().then(() => next(), next);
  };
}
