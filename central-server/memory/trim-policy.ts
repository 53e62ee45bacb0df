/**
 * When the server asks glibc to give its free memory back (`malloc_trim`, decision 0106).
 *
 * glibc returns freed memory to the system only at the top of a heap; the typed arrays and Buffers
 * the server frees between live ones stay resident (≈ 130 MB at a national night's end, decision
 * 0067). A trim walks every free chunk of every arena and costs tens of milliseconds of CPU at
 * national size even when there is little to return, so it is worth it only when the process has
 * grown: the decision is "has the resident size grown by `growthBytes` since the lowest it has been
 * since the last trim, and is the last trim at least `minSpacingMs` ago". A server that does not
 * grow (idle, or quiet between bursts) is never trimmed again.
 */

export type TrimPolicy = {
  /** how often the resident size is read (a read of /proc/self/stat: microseconds) */
  readonly checkEveryMs: number;
  /** trim once the resident size has grown by this much since its low after the last trim */
  readonly growthBytes: number;
  /** … and at least this long after the last trim (bounds the CPU: one call per spacing at most) */
  readonly minSpacingMs: number;
};

export const DEFAULT_TRIM_POLICY: TrimPolicy = {
  checkEveryMs: 1_000,
  growthBytes: 32 * 1024 * 1024,
  minSpacingMs: 5_000,
};

/** What the policy remembers between checks. */
export type TrimState = {
  /** the lowest resident size seen since the last trim (or since the start) */
  readonly lowBytes: number;
  /** when the last trim ended (ms since the epoch); null before the first */
  readonly lastTrimAt: number | null;
};

export const initialTrimState = (rssBytes: number): TrimState => ({
  lowBytes: rssBytes,
  lastTrimAt: null,
});

export type TrimDecision =
  | { readonly trim: true; readonly grownBytes: number }
  | { readonly trim: false; readonly state: TrimState };

/** One check: trim now, or the state to keep (the low updated). */
export function decideTrim(
  policy: TrimPolicy,
  state: TrimState,
  now: number,
  rssBytes: number,
): TrimDecision {
  const low = Math.min(state.lowBytes, rssBytes);
  const grownBytes = rssBytes - low;
  const spaced = state.lastTrimAt === null || now - state.lastTrimAt >= policy.minSpacingMs;
  if (grownBytes >= policy.growthBytes && spaced) return { trim: true, grownBytes };
  return { trim: false, state: low === state.lowBytes ? state : { ...state, lowBytes: low } };
}

/** The state after a trim that ended at `now` with the resident size `rssAfterBytes`. */
export const afterTrim = (now: number, rssAfterBytes: number): TrimState => ({
  lowBytes: rssAfterBytes,
  lastTrimAt: now,
});
