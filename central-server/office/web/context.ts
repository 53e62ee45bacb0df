import type { Response } from 'express';

export const OFFICE_ROLES = ['admin', 'operator', 'auditor'] as const;

/** admin = everything; operator = phone confirmation and phoned-in entries; auditor = read only. */
export type OfficeRole = (typeof OFFICE_ROLES)[number];

/** The logged-in user as routes see it (never the hash, the secret or the counters). */
export type OfficeUserView = {
  readonly id: number;
  readonly name: string;
  readonly role: OfficeRole;
};

export type OfficeLang = 'de' | 'en';

/** What `requireRole` found out about a request; routes read it with `officeRequest(res)`. */
export type OfficeRequest = {
  readonly user: OfficeUserView;
  /** the session's synchronizer token: every form carries it as `_csrf` */
  readonly csrfToken: string;
  readonly lang: OfficeLang;
};

const KEY = 'wahlkofferOffice';

/** Set by `requireRole` once the session, the role and (on non-GET) CSRF and Origin passed. */
export function setOfficeRequest(res: Response, request: OfficeRequest): void {
  res.locals[KEY] = request;
}

/**
 * The request's user, CSRF token and language. Throws when the route is not behind
 * `requireRole`: a route that forgot it fails closed instead of serving without a user.
 */
export function officeRequest(res: Response): OfficeRequest {
  const request = res.locals[KEY] as OfficeRequest | undefined;
  if (request === undefined) throw new Error('officeRequest: the route is not behind requireRole');
  return request;
}

/** The language of any /office request (login page included): `?lang=`, its cookie, German. */
export function officeLang(res: Response): OfficeLang {
  return (res.locals['wahlkofferLang'] as OfficeLang | undefined) ?? 'de';
}

export function setOfficeLang(res: Response, lang: OfficeLang): void {
  res.locals['wahlkofferLang'] = lang;
}
