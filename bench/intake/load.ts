import { JsonHttpClient } from '../../cli/simulate/http.ts';
import { percentile } from '../../cli/simulate/summary.ts';

/** One pre-sealed report: the station's session token and the envelope JSON text. */
export type PreparedSend = {
  readonly token: string;
  readonly envelope: string;
  /** sends with the same key go strictly one after another (a station's revisions in order) */
  readonly key?: string;
};

export type LatencySummary = { readonly p50: number; readonly p99: number; readonly max: number };

/** What any load counts: every answer that is not 201 ACCEPTED by status/code, nothing hidden. */
export type Tally = {
  readonly reports: number;
  readonly accepted: number;
  readonly other: Readonly<Record<string, number>>;
  readonly seconds: number;
  readonly latencyMs: LatencySummary;
};

export type LoadResult = Tally & {
  readonly concurrency: number;
  readonly reportsPerSecond: number;
};

/** The receipt's sequence number of a 201 ACCEPTED answer (-1 without one); otherwise notes it in `other`. */
export function tallyAnswer(
  answer: { readonly status: number; readonly body: unknown },
  other: Record<string, number>,
): number | undefined {
  const body = answer.body as
    { status?: unknown; sequence?: unknown; error?: { code?: unknown } } | undefined;
  if (answer.status === 201 && body?.status === 'ACCEPTED') {
    return typeof body.sequence === 'number' ? body.sequence : -1;
  }
  const key = `${answer.status} ${String(body?.error?.code ?? body?.status ?? '')}`.trim();
  other[key] = (other[key] ?? 0) + 1;
  return undefined;
}

/** A request that got no answer at all, noted in `other` by its error. */
export function tallyFailure(error: unknown, other: Record<string, number>): void {
  const key = `network ${error instanceof Error ? error.message : String(error)}`;
  other[key] = (other[key] ?? 0) + 1;
}

export function latencySummary(latencies: Float64Array): LatencySummary {
  const samples = Array.from(latencies);
  return {
    p50: percentile(samples, 50),
    p99: percentile(samples, 99),
    max: samples.reduce((m, x) => Math.max(m, x), 0),
  };
}

/**
 * Closed-loop load: `concurrency` kits, each sending its next pre-sealed report as soon as the
 * previous answer arrived, over keep-alive connections. Counts 201 ACCEPTED as success; any
 * other answer is tallied by status/code so nothing is hidden.
 */
export async function fireLoad(
  serverUrl: string,
  sends: readonly PreparedSend[],
  concurrency: number,
  onProgress?: (done: number) => void,
  /** each 201 ACCEPTED answer's receipt sequence number and arrival time (performance.now()) */
  onAccepted?: (sequence: number, at: number) => void,
): Promise<LoadResult> {
  const client = new JsonHttpClient(serverUrl, { maxSockets: concurrency });
  const latencies = new Float64Array(sends.length);
  const other: Record<string, number> = {};
  const inFlight = new Map<string, Promise<void>>();
  let accepted = 0;
  let next = 0;
  let done = 0;
  const started = performance.now();
  const worker = async (): Promise<void> => {
    while (next < sends.length) {
      const i = next++;
      const s = sends[i]!;
      const before = s.key === undefined ? undefined : inFlight.get(s.key);
      let release = (): void => {};
      if (s.key !== undefined) {
        inFlight.set(s.key, new Promise<void>((resolve) => (release = resolve)));
      }
      if (before !== undefined) await before;
      try {
        const answer = await client.post('/api/v1/reports', s.envelope, s.token);
        latencies[i] = answer.latencyMs;
        const sequence = tallyAnswer(answer, other);
        if (sequence !== undefined) {
          accepted += 1;
          if (sequence >= 0) onAccepted?.(sequence, performance.now());
        }
      } catch (error) {
        tallyFailure(error, other);
      }
      release();
      done += 1;
      if (onProgress !== undefined && done % 5000 === 0) onProgress(done);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  client.close();
  return {
    concurrency,
    reports: sends.length,
    accepted,
    other,
    seconds,
    reportsPerSecond: sends.length / seconds,
    latencyMs: latencySummary(latencies),
  };
}
