import type { OfficeLang, OfficeRole } from './context.ts';

type Text = Readonly<Record<OfficeLang, string>>;

/** Every fixed word of the dashboard's frame, log-in and users page; German first. */
export const T = {
  office: { de: 'Wahlamt', en: 'Election office' },
  skip: { de: 'Zum Inhalt springen', en: 'Skip to content' },
  otherLanguage: { de: 'English', en: 'Deutsch' },
  navigation: { de: 'Navigation', en: 'Navigation' },
  live: { de: 'Übersicht', en: 'Overview' },
  stations: { de: 'Stationen', en: 'Stations' },
  phone: { de: 'Telefon', en: 'Phone' },
  users: { de: 'Benutzer', en: 'Users' },
  logout: { de: 'Abmelden', en: 'Log out' },
  loggedInAs: { de: 'Angemeldet als', en: 'Logged in as' },
  loginTitle: { de: 'Anmeldung im Wahlamt', en: 'Election office log-in' },
  loginIntro: {
    de: 'Mit Benutzername, Passwort und dem sechsstelligen Code aus der Authenticator-App anmelden.',
    en: 'Log in with your user name, your password and the six-digit code from your authenticator app.',
  },
  name: { de: 'Benutzername', en: 'User name' },
  password: { de: 'Passwort', en: 'Password' },
  code: { de: 'Code aus der App', en: 'Code from the app' },
  codeHint: {
    de: 'Sechs Ziffern; jeder Code gilt nur einmal.',
    en: 'Six digits; each code works once only.',
  },
  login: { de: 'Anmelden', en: 'Log in' },
  loggedOut: { de: 'Sie sind abgemeldet.', en: 'You are logged out.' },
  error: { de: 'Fehler', en: 'Error' },
  code_: { de: 'Code', en: 'Code' },
  retryIn: { de: 'Erneut möglich in', en: 'Possible again in' },
  seconds: { de: 'Sekunden', en: 'seconds' },
  back: { de: 'Zurück zur Übersicht', en: 'Back to the overview' },
  usersIntro: {
    de: 'Benutzer werden mit „wahlkoffer users add“ angelegt. Gesperrte Benutzer können sich nicht mehr anmelden; ihre Sitzungen enden sofort.',
    en: 'Users are created with `wahlkoffer users add`. Disabled users cannot log in any more; their sessions end at once.',
  },
  role: { de: 'Rolle', en: 'Role' },
  state: { de: 'Stand', en: 'Status' },
  created: { de: 'Angelegt', en: 'Created' },
  action: { de: 'Aktion', en: 'Action' },
  active: { de: 'aktiv', en: 'active' },
  disabled: { de: 'gesperrt', en: 'disabled' },
  lockedUntil: { de: 'nach Fehlversuchen gesperrt bis', en: 'locked after failures until' },
  disable: { de: 'Sperren', en: 'Disable' },
  you: { de: '(Sie)', en: '(you)' },
  userDisabled: { de: 'Benutzer gesperrt', en: 'User disabled' },
} as const satisfies Record<string, Text>;

export const ROLE_NAMES: Readonly<Record<OfficeRole, Text>> = {
  admin: { de: 'Administration', en: 'Administrator' },
  operator: { de: 'Sachbearbeitung', en: 'Operator' },
  auditor: { de: 'Prüfung (nur lesen)', en: 'Auditor (read only)' },
};

export function t(key: keyof typeof T, lang: OfficeLang): string {
  return T[key][lang];
}
