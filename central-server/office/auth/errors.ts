import type { LocalizedMessage } from '../../../election/index.ts';
import { CatalogueRefusal } from '../refusal-error.ts';

/**
 * The refusals of the dashboard's log-in, sessions and user administration: stable codes with an
 * HTTP status and a German and English message. A failed log-in never says which factor was
 * wrong (name, password or code): the audit log records that, the page does not.
 */
export const OFFICE_AUTH_REFUSALS = {
  LOGIN_FAILED: {
    status: 401,
    de: 'Anmeldung fehlgeschlagen: Name, Passwort oder Code stimmen nicht. Jeder Code gilt nur einmal; gegebenenfalls auf den nächsten Code warten.',
    en: 'Log-in failed: the name, the password or the code is wrong. Each code works once only; if needed, wait for the next code.',
  },
  LOGIN_LOCKED: {
    status: 429,
    de: 'Nach mehreren Fehlversuchen ist dieses Konto vorübergehend gesperrt. Bitte später erneut versuchen.',
    en: 'After several failed attempts this account is locked for a while. Please try again later.',
  },
  LOGIN_RATE_LIMITED: {
    status: 429,
    de: 'Zu viele Anmeldeversuche von diesem Rechner. Bitte eine Minute warten.',
    en: 'Too many log-in attempts from this computer. Please wait a minute.',
  },
  LOGIN_INPUT_INVALID: {
    status: 400,
    de: 'Bitte Name, Passwort und den sechsstelligen Code eingeben.',
    en: 'Please enter the name, the password and the six-digit code.',
  },
  LOGIN_REQUIRED: {
    status: 401,
    de: 'Bitte anmelden.',
    en: 'Please log in.',
  },
  SESSION_EXPIRED: {
    status: 401,
    de: 'Die Sitzung ist abgelaufen. Bitte erneut anmelden.',
    en: 'The session has expired. Please log in again.',
  },
  ROLE_FORBIDDEN: {
    status: 403,
    de: 'Dafür fehlt Ihrer Rolle die Berechtigung.',
    en: 'Your role is not allowed to do this.',
  },
  CSRF_INVALID: {
    status: 403,
    de: 'Das Formular ist veraltet oder stammt nicht von dieser Seite. Bitte die Seite neu laden und noch einmal senden.',
    en: 'The form is outdated or did not come from this page. Please reload the page and send it again.',
  },
  ORIGIN_REFUSED: {
    status: 403,
    de: 'Die Anfrage kam nicht von dieser Seite und wurde abgelehnt.',
    en: 'The request did not come from this site and was refused.',
  },
  USER_NAME_INVALID: {
    status: 400,
    de: 'Ein Benutzername hat 2 bis 40 Zeichen: Kleinbuchstaben, Ziffern, Punkt, Binde- oder Unterstrich, beginnend mit einem Buchstaben.',
    en: 'A user name has 2 to 40 characters: lower-case letters, digits, dot, hyphen or underscore, starting with a letter.',
  },
  PASSWORD_TOO_SHORT: {
    status: 400,
    de: 'Das Passwort braucht mindestens 12 Zeichen.',
    en: 'The password needs at least 12 characters.',
  },
  PASSWORD_TOO_LONG: {
    status: 400,
    de: 'Das Passwort darf höchstens 256 Zeichen haben.',
    en: 'The password may have at most 256 characters.',
  },
  ROLE_INVALID: {
    status: 400,
    de: 'Die Rolle ist admin, operator oder auditor.',
    en: 'The role is admin, operator or auditor.',
  },
  USER_EXISTS: {
    status: 409,
    de: 'Einen Benutzer mit diesem Namen gibt es schon.',
    en: 'A user with this name exists already.',
  },
  USER_UNKNOWN: {
    status: 404,
    de: 'Einen Benutzer mit diesem Namen gibt es nicht.',
    en: 'There is no user with this name.',
  },
  LAST_ADMIN: {
    status: 409,
    de: 'Der letzte aktive Administrator kann nicht gesperrt werden.',
    en: 'The last active administrator cannot be disabled.',
  },
} as const satisfies Record<string, LocalizedMessage & { status: number }>;

export type OfficeAuthCode = keyof typeof OFFICE_AUTH_REFUSALS;

export class OfficeAuthError extends CatalogueRefusal<OfficeAuthCode> {
  constructor(
    code: OfficeAuthCode,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(OFFICE_AUTH_REFUSALS, code, details, options);
  }
}
