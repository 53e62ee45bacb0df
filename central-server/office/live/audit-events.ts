import { z } from 'zod';
import type { BoardEvent } from './events.ts';
import type { LiveAuditRow, LiveRefusedRequestRow } from './store.ts';

// The audit rows are our own, but read back from the database they are parsed like any input.
const Rejected = z.object({ data: z.object({ code: z.string().min(1).max(64) }) });
const SessionRefused = z.object({
  data: z.object({ reason: z.enum(['INVALID', 'REPLAYED', 'CLOCK_BEHIND']) }),
});
const Confirmed = z.object({
  data: z.object({
    contestId: z.string().min(1).max(64),
    sequence: z.number().int().positive(),
    by: z.string().max(200),
  }),
});

/** The refusal code a refused session answered the kit with (app.ts, sessions/totp.ts). */
const SESSION_CODES = {
  INVALID: 'TOTP_INVALID',
  REPLAYED: 'TOTP_REPLAYED',
  CLOCK_BEHIND: 'SERVER_CLOCK_BEHIND',
} as const;

/** An audit row as a board event; undefined for a row the board has no use for or cannot read. */
export function auditEvent(row: LiveAuditRow): BoardEvent | undefined {
  let event: unknown;
  try {
    event = JSON.parse(row.event);
  } catch {
    return undefined;
  }
  switch (row.kind) {
    case 'REPORT_REJECTED': {
      const parsed = Rejected.safeParse(event);
      if (!parsed.success) return undefined;
      return {
        kind: 'refused',
        attempt: 'report',
        at: row.at,
        code: parsed.data.data.code,
        precinctId: row.precinctId,
        origin: null,
      };
    }
    case 'SESSION_REFUSED': {
      const parsed = SessionRefused.safeParse(event);
      if (!parsed.success) return undefined;
      return {
        kind: 'refused',
        attempt: 'session',
        at: row.at,
        code: SESSION_CODES[parsed.data.data.reason],
        precinctId: row.precinctId,
        origin: null,
      };
    }
    case 'PHONE_CONFIRMED': {
      const parsed = Confirmed.safeParse(event);
      if (!parsed.success || row.precinctId === null) return undefined;
      const { contestId, sequence, by } = parsed.data.data;
      return { kind: 'confirmed', precinctId: row.precinctId, contestId, sequence, by, at: row.at };
    }
    default:
      return undefined;
  }
}

/** A request refused without a session: only the peer address is known. */
export function refusedRequestEvent(row: LiveRefusedRequestRow): BoardEvent {
  return {
    kind: 'refused',
    attempt: 'request',
    at: row.at,
    code: row.code,
    precinctId: null,
    origin: row.source,
  };
}
