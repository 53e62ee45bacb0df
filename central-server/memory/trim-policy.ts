/**
 * When the server asks glibc to give its free memory back (`malloc_trim`, decision 0106).
 *
 * glibc returns freed memory to the system only at the top of a heap; the typed arrays and Buffers
 * the server frees between live ones stay resident (≈ 130 MB at a national night's end, decision
 * 0067). A trim walks every free chunk of every arena: 3–100 ms on a thread of libuv's pool at
 * national size, even when there is little to return. So the server trims
 * - once at its first check (what the start freed: the election's text and parse, the import),
 * - when the resident size has grown by `growthBytes` since its lowest after the last trim, at
 *   most once per `minSpacingMs` (during a burst of reports),
 * - and once more `settleAfterMs` after the last trim if the size moved by `settleBytes` since
 *   (what the collectors freed after a burst, without any growth to show it).
 * A quiet server is not trimmed again.
 */

export type TrimPolicy = {
  /** how often the resident size is read (a read of /proc/self/stat: microseconds) */
  readonly checkEveryMs: number;
  /** trim once the resident size has grown by this much since its low after the last trim */
  readonly growthBytes: number;
  /** … and at least this long after the last trim (bounds the CPU: one call per spacing at most) */
  readonly minSpacingMs: number;
  /** trim again this long after the last trim … */
  readonly settleAfterMs: number;
  /** … if the resident size moved by this much since (high minus low) */
  readonly settleBytes: number;
};

export const DEFAULT_TRIM_POLICY: TrimPolicy = {
  checkEveryMs: 1_000,
  growthBytes: 32 * 1024 * 1024,
  minSpacingMs: 5_000,
  settleAfterMs: 30_000,
  settleBytes: 8 * 1024 * 1024,
};

/** What the policy remembers between checks. */
export type TrimState = {
  /** the lowest and highest resident size seen since the last trim (or since the start) */
  readonly lowBytes: number;
  readonly highBytes: number;
  /** when the last trim ended (ms since the epoch); null before the first */
  readonly lastTrimAt: number | null;
};

export const initialTrimState = (rssBytes: number): TrimState => ({
  lowBytes: rssBytes,
  highBytes: rssBytes,
  lastTrimAt: null,
});

export type TrimReason = 'start' | 'growth' | 'settle';

export type TrimDecision =
  | { readonly trim: true; readonly reason: TrimReason }
  | { readonly trim: false; readonly state: TrimState };

/** One check: trim now (and why), or the state to keep (low and high updated). */
export function decideTrim(
  policy: TrimPolicy,
  state: TrimState,
  now: number,
  rssBytes: number,
): TrimDecision {
  if (state.lastTrimAt === null) return { trim: true, reason: 'start' };
  const low = Math.min(state.lowBytes, rssBytes);
  const high = Math.max(state.highBytes, rssBytes);
  const since = now - state.lastTrimAt;
  if (rssBytes - low >= policy.growthBytes && since >= policy.minSpacingMs) {
    return { trim: true, reason: 'growth' };
  }
  if (high - low >= policy.settleBytes && since >= policy.settleAfterMs) {
    return { trim: true, reason: 'settle' };
  }
  const unchanged = low === state.lowBytes && high === state.highBytes;
  return { trim: false, state: unchanged ? state : { ...state, lowBytes: low, highBytes: high } };
}

/** The state after a trim that ended at `now` with the resident size `rssAfterBytes`. */
export const afterTrim = (now: number, rssAfterBytes: number): TrimState => ({
  lowBytes: rssAfterBytes,
  highBytes: rssAfterBytes,
  lastTrimAt: now,
});
