import { parentPort, workerData } from 'node:worker_threads';
import type { Schnellmeldung } from '../../election/index.ts';
import { DEFAULT_BACKOFF, StationClient } from '../../api/index.ts';
import { loadPkiStation } from '../../cli/simulate/pki-station.ts';
import { openSession } from '../../cli/simulate/transmit.ts';

export type PrepareInput = {
  readonly serverUrl: string;
  /** stations of this worker prepared at once (overlaps the session round trips) */
  readonly concurrency: number;
  readonly stations: readonly {
    readonly bundleFile: string;
    readonly passphrase: string;
    readonly totpSecret: string;
    readonly tally: Schnellmeldung;
    /** the station seals revisions 1…revisions (2… as corrections with a reason) */
    readonly revisions: number;
  }[];
};
export type PreparedStation = {
  readonly precinctId: string;
  readonly token: string;
  readonly envelopes: string[];
};
/** posted every PROGRESS_EVERY stations, then the result */
export type PrepareMessage =
  | { readonly kind: 'progress'; readonly done: number }
  | { readonly kind: 'done'; readonly stations: PreparedStation[] };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const clock = { now: () => new Date(), sleep };
const resend = { maxAttempts: 3, backoff: DEFAULT_BACKOFF, random: Math.random, sleep };

const REASON = 'Benchmark: erneute Übermittlung derselben Zahlen als Berichtigung';
const PROGRESS_EVERY = 2000;

/**
 * Before the clock starts: each kit unlocks its bundle, opens its session and seals its report
 * as revisions 1…n (2…n as corrections with a reason), so the load generator's own crypto is
 * not part of the measurement.
 */
async function prepare(input: PrepareInput): Promise<PreparedStation[]> {
  const client = new StationClient({ serverUrl: input.serverUrl });
  const out: PreparedStation[] = new Array(input.stations.length);
  let next = 0;
  let done = 0;
  const one = async (s: PrepareInput['stations'][number]): Promise<PreparedStation> => {
    const station = await loadPkiStation(s.bundleFile, s.tally.precinctId, s, undefined);
    const session = await openSession(client, station, clock, resend);
    if (session.kind !== 'OPEN')
      throw new Error(`${s.tally.precinctId}: session ${JSON.stringify(session)}`);
    const envelopes: string[] = [];
    for (let revision = 1; revision <= s.revisions; revision++) {
      const tally: Schnellmeldung =
        revision === 1 ? s.tally : { ...s.tally, revision, correctionReason: REASON };
      envelopes.push(await station.seal(tally, new Date()));
    }
    return { precinctId: s.tally.precinctId, token: session.token, envelopes };
  };
  const lane = async (): Promise<void> => {
    for (let i = next++; i < input.stations.length; i = next++) {
      out[i] = await one(input.stations[i]!);
      if (++done % PROGRESS_EVERY === 0)
        parentPort?.postMessage({ kind: 'progress', done } satisfies PrepareMessage);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, input.concurrency) }, lane));
  await client.close();
  return out;
}

const { input } = workerData as { input: PrepareInput };
parentPort?.postMessage({ kind: 'done', stations: await prepare(input) } satisfies PrepareMessage);
