import type { LocalizedMessage } from '../../election/index.ts';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * When kits may open sessions for an election: from noon (12:00 UTC) the day before election
 * day to noon the day after — 48 hours around the day, whatever the time zone of the office.
 * No genuine Schnellmeldung exists before election day, and a kit sets up in the morning, so
 * a session before the window can only be a test against the real election (which belongs in a
 * rehearsal election, `election generate --date today`) or an attack; after the window,
 * corrections go through the office. A token lasts until the window closes, through the night
 * and across restarts (docs/decisions/0032-stateless-session-tokens.md).
 */
export type SessionWindow = { readonly opensAt: Date; readonly closesAt: Date };

export function sessionWindow(electionDate: string): SessionWindow {
  const noon = Date.parse(`${electionDate}T12:00:00.000Z`);
  return { opensAt: new Date(noon - DAY_MS), closesAt: new Date(noon + DAY_MS) };
}

export type WindowState = 'NOT_YET_OPEN' | 'OPEN' | 'CLOSED';

export function windowState(window: SessionWindow, now: Date): WindowState {
  if (now.getTime() < window.opensAt.getTime()) return 'NOT_YET_OPEN';
  if (now.getTime() >= window.closesAt.getTime()) return 'CLOSED';
  return 'OPEN';
}

const utc = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/**
 * The warning the server prints at start when no kit can sign in now: the classic rehearsal
 * mistake is a generated election that keeps its historical date (2020), where every report is
 * refused. Undefined while the window is open.
 */
export function windowWarning(electionDate: string, now: Date): LocalizedMessage | undefined {
  const w = sessionWindow(electionDate);
  switch (windowState(w, now)) {
    case 'OPEN':
      return undefined;
    case 'CLOSED':
      return {
        de: `Wahltag ${electionDate} ist vorbei: Anmeldungen waren nur bis ${utc(w.closesAt)} möglich, jeder Wahlkoffer wird abgewiesen. Für eine Probe die Wahl mit "wahlkoffer election generate --date today" erzeugen.`,
        en: `election day ${electionDate} is over: sessions could be opened until ${utc(w.closesAt)} only, every kit will be refused. For a rehearsal, generate the election with "wahlkoffer election generate --date today".`,
      };
    case 'NOT_YET_OPEN':
      return {
        de: `Wahltag ist ${electionDate}: Wahlkoffer können sich erst ab ${utc(w.opensAt)} anmelden, bis dahin wird jeder abgewiesen. Für eine Probe die Wahl mit "wahlkoffer election generate --date today" erzeugen.`,
        en: `election day is ${electionDate}: kits can sign in from ${utc(w.opensAt)} only and are refused until then. For a rehearsal, generate the election with "wahlkoffer election generate --date today".`,
      };
  }
}
