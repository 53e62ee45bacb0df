import { retryDelayMs, type BackoffConfig } from './backoff.ts';
import { ApiClientError } from './client-error.ts';

/**
 * How a client sends a request again when no answer came or the server answered 5xx (nothing
 * was stored): the SAME bytes, after the back-off of backoff.ts, at most `maxAttempts` times in
 * all. A 4xx refusal is final and never sent again. The clock and the randomness are injected.
 */
export type ResendPolicy = {
  /** attempts in all, the first included (≥ 1) */
  readonly maxAttempts: number;
  readonly backoff: BackoffConfig;
  /** in [0, 1): the jitter of each wait */
  readonly random: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** told before each wait: the failure and how long the client will wait */
  readonly onRetry?: (error: ApiClientError, attempt: number, waitMs: number) => void;
};

/**
 * The wait before sending again: the back-off, or longer when the server said when to come back
 * (SERVER_BUSY's `retryAfterSeconds`), never longer than the back-off's cap.
 */
export function resendDelayMs(
  policy: Pick<ResendPolicy, 'backoff'>,
  error: ApiClientError,
  attempts: number,
  random: number,
): number {
  const backoff = retryDelayMs(policy.backoff, attempts, random);
  const asked = (error.details.retryAfterSeconds ?? 0) * 1000;
  return Math.min(Math.max(backoff, asked), policy.backoff.maxMs);
}

/**
 * Runs `send` until it succeeds, it is refused (4xx), or `maxAttempts` are used up; rethrows the
 * last error then. `send` must send the same bytes each time (the caller's closure holds them):
 * the server recognises a repeat by its bytes and answers with the original receipt (HTTP 200).
 */
export async function withResend<T>(send: () => Promise<T>, policy: ResendPolicy): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await send();
    } catch (error) {
      if (!(error instanceof ApiClientError) || !error.retryable || attempt >= policy.maxAttempts) {
        throw error;
      }
      const waitMs = resendDelayMs(policy, error, attempt, policy.random());
      policy.onRetry?.(error, attempt, waitMs);
      await policy.sleep(waitMs);
    }
  }
}
