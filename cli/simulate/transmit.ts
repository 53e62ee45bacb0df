import {
  ApiClientError,
  withResend,
  type ReportAnswer,
  type ResendPolicy,
  type StationClient,
} from '../../api/index.ts';
import type { Station } from './station.ts';

/** What one POST /api/v1/reports produced, as the simulator counts it. */
export type SendAnswer =
  | (ReportAnswer & { readonly kind: 'ACCEPTED'; readonly latencyMs: number })
  | {
      readonly kind: 'REFUSED';
      readonly code: string;
      readonly httpStatus: number;
      readonly latencyMs: number;
    }
  | { readonly kind: 'ERROR'; readonly message: string; readonly latencyMs: number };

export type SessionAnswer =
  | { readonly kind: 'OPEN'; readonly token: string }
  | { readonly kind: 'REFUSED'; readonly code: string; readonly httpStatus: number }
  | { readonly kind: 'ERROR'; readonly message: string };

/** A 4xx refusal is an outcome to count; anything else (no answer, 5xx, a reply outside the contract) an error. */
function classify(
  error: unknown,
): { kind: 'REFUSED'; code: string; httpStatus: number } | { kind: 'ERROR'; message: string } {
  if (error instanceof ApiClientError && error.refused && error.status !== undefined) {
    return {
      kind: 'REFUSED',
      code: error.details.serverCode ?? error.code,
      httpStatus: error.status,
    };
  }
  return { kind: 'ERROR', message: error instanceof Error ? error.message : String(error) };
}

/** RFC 6238 time step of the Wahlvorsteher's token */
const TOTP_STEP_MS = 30_000;

/** How long until the token shows its next code (plus a second, so the server's clock agrees). */
export function untilNextTotpStepMs(now: Date): number {
  return TOTP_STEP_MS - (now.getTime() % TOTP_STEP_MS) + 1000;
}

/**
 * Opens a session as the kit does in the morning: challenge → proof of possession of the
 * station key → TOTP from the Wahlvorsteher's token. One session per station, reused for every
 * send. A TOTP code is accepted once only: when this station's current code was used already
 * (an earlier simulation against the same server, within the same 30 s), the simulated
 * Wahlvorsteher waits for the next code, as a real one would, and tries once more. No answer or
 * a 5xx: the same request is sent again after the back-off (the server answers a resent session
 * request with the same token, decisions/0112).
 */
export async function openSession(
  client: StationClient,
  station: Station,
  clock: { readonly now: () => Date; readonly sleep: (ms: number) => Promise<void> },
  resend: ResendPolicy,
): Promise<SessionAnswer> {
  const attempt = async () => {
    const { challenge } = await withResend(() => client.challenge(), resend);
    const proof = await station.proveSession(challenge);
    const request = { ...proof, challenge, totp: await station.totp(clock.now()) };
    return withResend(() => client.openSession(request), resend);
  };
  try {
    try {
      return { kind: 'OPEN', token: (await attempt()).token };
    } catch (error) {
      if (!(error instanceof ApiClientError) || error.code !== 'TOTP_REPLAYED') throw error;
      await clock.sleep(untilNextTotpStepMs(clock.now()));
      return { kind: 'OPEN', token: (await attempt()).token };
    }
  } catch (error) {
    return classify(error);
  }
}

/**
 * Sends one sealed envelope and classifies the final answer (201 new, 200 repeat, 4xx coded
 * refusal). No answer or a 5xx: the SAME bytes again after the back-off (api withResend); each
 * failed attempt is reported to `onResend` before the wait.
 */
export async function sendReport(
  client: StationClient,
  token: string,
  envelope: string,
  resend: ResendPolicy,
  onResend?: (failed: SendAnswer) => void,
): Promise<SendAnswer> {
  let started = performance.now();
  try {
    const answer = await withResend(() => client.submitReport(token, envelope), {
      ...resend,
      onRetry: (error, attempt, waitMs) => {
        onResend?.({ ...classify(error), latencyMs: performance.now() - started });
        resend.onRetry?.(error, attempt, waitMs);
      },
      sleep: async (ms) => {
        await resend.sleep(ms);
        started = performance.now();
      },
    });
    return { kind: 'ACCEPTED', ...answer, latencyMs: performance.now() - started };
  } catch (error) {
    return { ...classify(error), latencyMs: performance.now() - started };
  }
}
