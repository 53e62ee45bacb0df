import { JsonHttpClient } from '../../cli/simulate/http.ts';
import { latencySummary, tallyAnswer, tallyFailure } from './load.ts';
import type { PreparedSend, Tally } from './load.ts';

/** `latencyMs`: from the moment a report was due to the answer, waiting for a free kit connection included. */
export type ArrivalPhase = Tally & {
  /** reports per second offered: arrivals at random times (exponential gaps), whatever the answers */
  readonly offeredPerSecond: number;
  /** its share of the closed-loop throughput the arrivals level was set from */
  readonly shareOfCapacity: number;
  readonly kits: number;
  readonly achievedPerSecond: number;
};

/** A small deterministic generator (mulberry32): the same seed, the same arrival times. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Arrival times (ms from the start) of `n` reports at `perSecond` on average, Poisson-distributed. */
export function arrivalTimes(n: number, perSecond: number, seed: number): Float64Array {
  const next = random(seed);
  const times = new Float64Array(n);
  let t = 0;
  for (let i = 0; i < n; i += 1) {
    t += (-Math.log(1 - next()) * 1000) / perSecond;
    times[i] = t;
  }
  return times;
}

/**
 * Open-loop load: `sends` arrive at `perSecond` on average (a night's kits report when their count
 * is done, not when the server has answered the last one), over at most `kits` keep-alive
 * connections; a report due while every connection is busy waits for one, and a station's
 * revisions still go in order. Latency is measured from when the report was due, so a server that
 * falls behind shows it in full (no coordinated omission). Counts 201 ACCEPTED as success and
 * tallies any other answer by status/code.
 */
export async function fireArrivals(
  serverUrl: string,
  sends: readonly PreparedSend[],
  options: { readonly kits: number; readonly perSecond: number; readonly seed: number },
): Promise<Omit<ArrivalPhase, 'shareOfCapacity'>> {
  const client = new JsonHttpClient(serverUrl, { maxSockets: options.kits });
  const due = arrivalTimes(sends.length, options.perSecond, options.seed);
  const latencies = new Float64Array(sends.length);
  const other: Record<string, number> = {};
  const inFlight = new Map<string, Promise<void>>();
  const waiting: (() => void)[] = [];
  let free = options.kits;
  let accepted = 0;
  const acquire = (): Promise<void> =>
    free > 0 ? Promise.resolve(void (free -= 1)) : new Promise((resolve) => waiting.push(resolve));
  const release = (): void => {
    const next = waiting.shift();
    if (next === undefined) free += 1;
    else next();
  };
  const started = performance.now();
  const send = async (i: number): Promise<void> => {
    const s = sends[i]!;
    const before = s.key === undefined ? undefined : inFlight.get(s.key);
    let done = (): void => {};
    if (s.key !== undefined) inFlight.set(s.key, new Promise<void>((r) => (done = r)));
    if (before !== undefined) await before;
    await acquire();
    try {
      const answer = await client.post('/api/v1/reports', s.envelope, s.token);
      latencies[i] = performance.now() - (started + due[i]!);
      if (tallyAnswer(answer, other) !== undefined) accepted += 1;
    } catch (error) {
      latencies[i] = performance.now() - (started + due[i]!);
      tallyFailure(error, other);
    } finally {
      release();
      done();
    }
  };
  const all: Promise<void>[] = [];
  for (let i = 0; i < sends.length; i += 1) {
    const wait = started + due[i]! - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    all.push(send(i));
  }
  await Promise.all(all);
  const seconds = (performance.now() - started) / 1000;
  client.close();
  return {
    offeredPerSecond: options.perSecond,
    kits: options.kits,
    reports: sends.length,
    accepted,
    other,
    seconds,
    achievedPerSecond: sends.length / seconds,
    latencyMs: latencySummary(latencies),
  };
}
