import { z } from 'zod';
import type { JsonHttpClient } from './http.ts';
import type { AcceptedAnswer, Station } from './station.ts';

/** What one POST /api/v1/reports produced, as the simulator sees it. */
export type SendAnswer =
  | (AcceptedAnswer & {
      readonly kind: 'ACCEPTED';
      readonly repeat: boolean;
      readonly latencyMs: number;
    })
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

const AcceptedSchema = z.object({
  status: z.literal('ACCEPTED'),
  sequence: z.number().int().nonnegative(),
  receipt: z.string().min(1),
  receiptCode: z.string().min(1),
  revision: z.number().int().min(1),
});
const RefusalSchema = z.object({ error: z.object({ code: z.string().min(1) }) });
const ChallengeSchema = z.object({ challenge: z.string().min(1) });
const SessionSchema = z.object({ token: z.string().min(1) });

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Reads a coded refusal, or undefined when the body is not one. */
function refusalCode(body: unknown): string | undefined {
  const parsed = RefusalSchema.safeParse(body);
  return parsed.success ? parsed.data.error.code : undefined;
}

/**
 * Opens a session as the kit does in the morning: challenge → proof of possession of the
 * station key → TOTP from the Wahlvorsteher's token. One session per station, reused for every
 * send (a TOTP code is accepted once only).
 */
export async function openSession(
  client: JsonHttpClient,
  station: Station,
  now: () => Date,
): Promise<SessionAnswer> {
  try {
    const challengeAnswer = await client.post('/api/v1/sessions/challenge', '{}');
    const challenge = ChallengeSchema.safeParse(challengeAnswer.body);
    if (challengeAnswer.status !== 200 || !challenge.success) {
      const code = refusalCode(challengeAnswer.body);
      return code === undefined
        ? { kind: 'ERROR', message: `challenge: HTTP ${challengeAnswer.status}` }
        : { kind: 'REFUSED', code, httpStatus: challengeAnswer.status };
    }
    const proof = await station.proveSession(challenge.data.challenge);
    const totp = await station.totp(now());
    const body = JSON.stringify({ ...proof, challenge: challenge.data.challenge, totp });
    const answer = await client.post('/api/v1/sessions', body);
    const session = SessionSchema.safeParse(answer.body);
    if (answer.status === 201 && session.success)
      return { kind: 'OPEN', token: session.data.token };
    const code = refusalCode(answer.body);
    return code === undefined
      ? { kind: 'ERROR', message: `session: HTTP ${answer.status}` }
      : { kind: 'REFUSED', code, httpStatus: answer.status };
  } catch (error) {
    return { kind: 'ERROR', message: `session: ${errorMessage(error)}` };
  }
}

/** Sends one sealed envelope and classifies the answer (201 new, 200 idempotent repeat, 4xx coded refusal). */
export async function sendReport(
  client: JsonHttpClient,
  token: string,
  envelope: string,
): Promise<SendAnswer> {
  const started = performance.now();
  try {
    const answer = await client.post('/api/v1/reports', envelope, token);
    const accepted = AcceptedSchema.safeParse(answer.body);
    if ((answer.status === 201 || answer.status === 200) && accepted.success) {
      return {
        kind: 'ACCEPTED',
        ...accepted.data,
        repeat: answer.status === 200,
        latencyMs: answer.latencyMs,
      };
    }
    const code = refusalCode(answer.body);
    if (answer.status >= 400 && answer.status < 500 && code !== undefined) {
      return { kind: 'REFUSED', code, httpStatus: answer.status, latencyMs: answer.latencyMs };
    }
    return {
      kind: 'ERROR',
      message: `HTTP ${answer.status}${code === undefined ? '' : ` ${code}`}`,
      latencyMs: answer.latencyMs,
    };
  } catch (error) {
    return { kind: 'ERROR', message: errorMessage(error), latencyMs: performance.now() - started };
  }
}
