import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets an old generation grow past what its last full collection left alive before it
 * collects again, in percent, in every thread of the server process (decision 0067, s9 follow-up).
 *
 * Left to itself, V8 picks the factor from how fast the thread allocates against how fast it
 * collects, up to 4× (300 %) on a machine with ≥ 16 GB — and the main thread starts with a limit of
 * 512 MB before its first full collection. So the main thread carried its start's garbage (the
 * election's text and parse, ~75 MB) and everything it allocated during a level of 8,000 reports
 * without one full collection: its heap reached 248 MB for ~100 MB alive. 50 % bounds each heap
 * near 1.5× its live size; a bound, not a limit: no thread can die of it (V8's heap limits are
 * unchanged), and with more live data the heap may grow further.
 */
export const SERVER_HEAP_GROWTH_PERCENT = 50;

/**
 * Sets V8's heap growth for every isolate of this process, those already running included (V8
 * reads the flag whenever it sets a heap's next limit, after each full collection). 0 leaves V8's
 * own choice. Only for a process that is the server: the flag is process-wide.
 */
export function limitHeapGrowth(percent: number): void {
  if (!Number.isInteger(percent) || percent < 0) {
    throw new RangeError(`heap growth must be a whole number of percent ≥ 0, not ${percent}`);
  }
  setFlagsFromString(`--heap-growing-percent=${percent}`);
  applied = percent;
}

let applied: number | undefined;

/** What `limitHeapGrowth` set in this process (V8 has no getter for its flags); undefined: never called. */
export function appliedHeapGrowth(): number | undefined {
  return applied;
}
