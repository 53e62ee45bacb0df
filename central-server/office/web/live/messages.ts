import { isRefusalCode, REFUSALS } from '../../../../api/index.ts';
import { formatInteger, formatPercent } from '../../../publication/html/format.ts';
import type { Alert } from '../../live/alerts.ts';
import type { DistrictState } from '../../live/district-state.ts';
import type { RefusalEntry } from '../../live/events.ts';

export type Lang = 'de' | 'en';

/** Every text of the live view, German first (design/README.md: the shared status words). */
export const STATE_LABEL: Record<DistrictState, Record<Lang, string>> = {
  'not-reported': { de: 'nicht gemeldet', en: 'not reported' },
  received: { de: 'eingegangen', en: 'received' },
  refused: { de: 'abgelehnt', en: 'refused' },
  corrected: { de: 'korrigiert', en: 'corrected' },
  'phone-confirmed': { de: 'telefonisch bestätigt', en: 'confirmed by phone' },
  'phoned-in': { de: 'telefonisch erfasst', en: 'taken by phone' },
};

/** The badge colour of each state (design/README.md). */
export const STATE_BADGE: Record<DistrictState, 'neutral' | 'ok' | 'error' | 'info' | 'warn'> = {
  'not-reported': 'neutral',
  received: 'ok',
  refused: 'error',
  corrected: 'info',
  'phone-confirmed': 'ok',
  'phoned-in': 'warn',
};

export const T = {
  title: { de: 'Eingang der Schnellmeldungen', en: 'Incoming quick reports' },
  pollsClosed: { de: 'Wahllokale geschlossen seit', en: 'Polls closed for' },
  pollsOpen: { de: 'Wahllokale schließen in', en: 'Polls close in' },
  pollsAt: { de: 'um 18:00 Uhr', en: 'at 18:00' },
  reported: { de: 'gemeldet', en: 'reported' },
  ofDistricts: { de: 'Stimmbezirken gemeldet', en: 'districts reported' },
  of: { de: 'von', en: 'of' },
  byState: { de: 'Stand nach Zustand', en: 'By state' },
  areas: { de: 'Gebiete', en: 'Areas' },
  area: { de: 'Gebiet', en: 'Area' },
  allStates: { de: 'alle Zustände', en: 'all states' },
  districts: { de: 'Stimmbezirke', en: 'Districts' },
  number: { de: 'Nr.', en: 'No.' },
  name: { de: 'Name', en: 'Name' },
  state: { de: 'Zustand', en: 'State' },
  revision: { de: 'Meldung', en: 'Report' },
  lastChange: { de: 'zuletzt', en: 'last change' },
  refusals: { de: 'Ablehnungen', en: 'refusals' },
  filter: { de: 'Filtern', en: 'Filter' },
  noDistricts: { de: 'Keine Stimmbezirke in diesem Zustand.', en: 'No districts in this state.' },
  page: { de: 'Seite', en: 'Page' },
  previous: { de: 'vorherige Seite', en: 'previous page' },
  next: { de: 'nächste Seite', en: 'next page' },
  showing: { de: 'Stimmbezirke', en: 'districts' },
  alerts: { de: 'Warnungen', en: 'Alerts' },
  noAlerts: { de: 'Keine Warnungen.', en: 'No alerts.' },
  refused: { de: 'Abgelehnte Versuche', en: 'Refused attempts' },
  noRefused: { de: 'Keine abgelehnten Versuche.', en: 'No refused attempts.' },
  time: { de: 'Zeit', en: 'Time' },
  code: { de: 'Code', en: 'Code' },
  reason: { de: 'Grund', en: 'Reason' },
  station: { de: 'Station', en: 'Station' },
  attempt: { de: 'Art', en: 'Kind' },
  live: { de: 'live', en: 'live' },
  offline: { de: 'Verbindung unterbrochen', en: 'connection lost' },
  reload: {
    de: 'Neue Meldungen sind eingegangen – Seite neu laden, um die Liste zu aktualisieren.',
    en: 'New reports arrived – reload the page to update the list.',
  },
  address: { de: 'Adresse', en: 'address' },
  newestFirst: { de: 'neueste zuerst', en: 'newest first' },
  kit: { de: 'Wahlkoffer', en: 'kit' },
  phone: { de: 'telefonisch', en: 'by phone' },
} as const satisfies Record<string, Record<Lang, string>>;

export const ATTEMPT_LABEL: Record<RefusalEntry['attempt'], Record<Lang, string>> = {
  report: { de: 'Schnellmeldung', en: 'report' },
  session: { de: 'Anmeldung', en: 'session' },
  request: { de: 'Anfrage ohne Sitzung', en: 'request without session' },
};

/** "1 Std. 23 Min." / "1 h 23 min": whole minutes, as a clerk says it. */
export function formatDuration(minutes: number, lang: Lang): string {
  const m = Math.abs(minutes);
  const h = Math.floor(m / 60);
  const rest = m % 60;
  if (lang === 'de') return h > 0 ? `${h} Std. ${rest} Min.` : `${rest} Min.`;
  return h > 0 ? `${h} h ${rest} min` : `${rest} min`;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** "19:42:07" in the election's time zone. */
export function formatTime(at: Date, timeZone: string): string {
  let f = timeFormats.get(timeZone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat('de-DE', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    timeFormats.set(timeZone, f);
  }
  return f.format(at);
}

/** The reason of a refusal code in the reader's language (api/refusals.ts), else the code. */
export function refusalReason(code: string, lang: Lang): string {
  return isRefusalCode(code) ? REFUSALS[code][lang] : code;
}

/** "x von y" */
export function ofTotal(x: number, y: number, lang: Lang): string {
  return `${formatInteger(x, lang)} ${T.of[lang]} ${formatInteger(y, lang)}`;
}

/** An alert as one sentence; `name` turns a district id into "0101 Schule Nord". */
export function alertText(alert: Alert, lang: Lang, name: (precinctId: string) => string): string {
  const de = lang === 'de';
  switch (alert.kind) {
    case 'PLAUSIBILITY_WARNING':
      return de
        ? `${name(alert.precinctId)}: Warnung ${alert.code} bestätigt (Meldung ${alert.revision}, ${alert.contestId}) – Begründung: „${alert.reason}“`
        : `${name(alert.precinctId)}: warning ${alert.code} acknowledged (report ${alert.revision}, ${alert.contestId}) – reason: “${alert.reason}”`;
    case 'IDENTICAL_RESULTS':
      return de
        ? `Gleiches Ergebnis in ${formatInteger(alert.count, lang)} Stimmbezirken (${alert.contestId}): ${alert.precinctIds.map(name).join(', ')}`
        : `Identical result in ${formatInteger(alert.count, lang)} districts (${alert.contestId}): ${alert.precinctIds.map(name).join(', ')}`;
    case 'TURNOUT_OUTLIER':
      return de
        ? `${name(alert.precinctId)}: Wahlbeteiligung ${formatPercent(alert.turnout, lang)}, die ${formatInteger(alert.peers, lang)} anderen Stimmbezirke des Gebiets im Mittel ${formatPercent(alert.peerMean, lang)}`
        : `${name(alert.precinctId)}: turnout ${formatPercent(alert.turnout, lang)}, the other ${formatInteger(alert.peers, lang)} districts of the area ${formatPercent(alert.peerMean, lang)} on average`;
    case 'REFUSALS': {
      const who =
        alert.precinctId !== null
          ? name(alert.precinctId)
          : `${T.address[lang]} ${alert.origin ?? '?'}`;
      return de
        ? `${who}: ${formatInteger(alert.count, lang)} abgelehnte Versuche`
        : `${who}: ${formatInteger(alert.count, lang)} refused attempts`;
    }
  }
}

/** The badge colour of an alert. */
export function alertLevel(alert: Alert): 'warn' | 'error' {
  return alert.kind === 'REFUSALS' || alert.kind === 'IDENTICAL_RESULTS' ? 'error' : 'warn';
}
