/**
 * When a client sends the same bytes again after no answer or a 5xx: exponential back-off with
 * "equal jitter" (half the delay fixed, half random), so a thousand kits that lost the network
 * at the same moment do not come back at the same moment, and no client retries in a tight loop.
 * The kit's outbox and the simulator both wait by this rule (docs/api.md "Sending again").
 * Pure: `random` is in [0, 1).
 */
export type BackoffConfig = { readonly baseMs: number; readonly maxMs: number };

/** 2 s, 4 s, 8 s … up to 2 min: an LTE link that comes back is used within a minute or two. */
export const DEFAULT_BACKOFF: BackoffConfig = { baseMs: 2000, maxMs: 120_000 };

/** The wait before attempt `attempts + 1`, after `attempts` failed ones. */
export function retryDelayMs(config: BackoffConfig, attempts: number, random: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  const ceiling = Math.min(config.baseMs * 2 ** exponent, config.maxMs);
  return Math.round(ceiling / 2 + (random * ceiling) / 2);
}
