import { ApiClientError, type ReportAnswer, type StationClient } from '../../api/index.ts';
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

/**
 * Opens a session as the kit does in the morning: challenge → proof of possession of the
 * station key → TOTP from the Wahlvorsteher's token. One session per station, reused for every
 * send (a TOTP code is accepted once only).
 */
export async function openSession(
  client: StationClient,
  station: Station,
  now: () => Date,
): Promise<SessionAnswer> {
  try {
    const { challenge } = await client.challenge();
    const proof = await station.proveSession(challenge);
    const totp = await station.totp(now());
    const session = await client.openSession({ ...proof, challenge, totp });
    return { kind: 'OPEN', token: session.token };
  } catch (error) {
    return classify(error);
  }
}

/** Sends one sealed envelope and classifies the answer (201 new, 200 repeat, 4xx coded refusal). */
export async function sendReport(
  client: StationClient,
  token: string,
  envelope: string,
): Promise<SendAnswer> {
  const started = performance.now();
  try {
    const answer = await client.submitReport(token, envelope);
    return { kind: 'ACCEPTED', ...answer, latencyMs: performance.now() - started };
  } catch (error) {
    return { ...classify(error), latencyMs: performance.now() - started };
  }
}
