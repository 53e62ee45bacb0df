import type express from 'express';
import type { RequestHandler, Response } from 'express';
import type { LocalizedMessage } from '../../../election/index.ts';
import type { OfficeRole, OfficeUserView } from './context.ts';
import type { SafeHtml } from './html.ts';

/** Which navigation entry a page belongs to. */
export type OfficeSection = 'live' | 'stations' | 'phone' | 'users';

export type OfficePage = {
  /** the page's title (already in the request's language) */
  readonly title: string;
  readonly active: OfficeSection;
  readonly body: SafeHtml;
  /** extra scripts, from /office/static/ only (CSP script-src 'self'), e.g. ['live.js'] */
  readonly scripts?: readonly string[];
  /** HTTP status (default 200) */
  readonly status?: number;
};

/** What every dashboard module gets from the foundation (decisions/0086). */
export type OfficeWeb = {
  /**
   * Lets a request through only with a valid session of one of `roles` (none given: any role),
   * and on every non-GET also only with the session's CSRF token (form field `_csrf` or header
   * `x-csrf-token`) and this site's Origin. Sets `officeRequest(res)`. A GET without a session is
   * sent to the log-in page; everything else refused with a coded error.
   */
  requireRole(...roles: OfficeRole[]): RequestHandler;
  /** Renders a page in the layout (navigation, user, language switch, log-out). */
  render(res: Response, page: OfficePage): void;
  /** Writes an event to the hash-chained audit log (e.g. `OFFICE_PHONE_CONFIRMED`). */
  audit(event: {
    type: string;
    actor: OfficeUserView;
    detail: Record<string, unknown>;
    precinctId?: string;
    requestId?: string;
  }): Promise<void>;
  /**
   * Refuses in the dashboard's way: an error page in the layout (or `{error:{code,message}}` to a
   * request that accepts JSON), with a stable code and a German and English message.
   */
  refuse(res: Response, refusal: { status: number; code: string; message: LocalizedMessage }): void;
};

/** A module of the dashboard: adds its routes (under /office) to the router. */
export type OfficeMount = (router: express.Router, web: OfficeWeb) => void;
