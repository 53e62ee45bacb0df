import { parentPort, workerData } from 'node:worker_threads';
import type { Schnellmeldung } from '../../election/index.ts';
import { StationClient } from '../../api/index.ts';
import { loadPkiStation } from '../../cli/simulate/pki-station.ts';
import { openSession } from '../../cli/simulate/transmit.ts';

export type PrepareInput = {
  readonly serverUrl: string;
  readonly revisions: number;
  readonly stations: readonly {
    readonly bundleFile: string;
    readonly passphrase: string;
    readonly totpSecret: string;
    readonly tally: Schnellmeldung;
  }[];
};
export type PreparedStation = {
  readonly precinctId: string;
  readonly token: string;
  readonly envelopes: string[];
};

const REASON = 'Benchmark: erneute Übermittlung derselben Zahlen als Berichtigung';

/**
 * Before the clock starts: each kit unlocks its bundle, opens its session and seals its report
 * as revisions 1…n (2…n as corrections with a reason), so the load generator's own crypto is
 * not part of the measurement.
 */
async function prepare(input: PrepareInput): Promise<PreparedStation[]> {
  const client = new StationClient({ serverUrl: input.serverUrl });
  const out: PreparedStation[] = [];
  for (const s of input.stations) {
    const station = await loadPkiStation(s.bundleFile, s.tally.precinctId, s, undefined);
    const session = await openSession(client, station, () => new Date());
    if (session.kind !== 'OPEN')
      throw new Error(`${s.tally.precinctId}: session ${JSON.stringify(session)}`);
    const envelopes: string[] = [];
    for (let revision = 1; revision <= input.revisions; revision++) {
      const tally: Schnellmeldung =
        revision === 1 ? s.tally : { ...s.tally, revision, correctionReason: REASON };
      envelopes.push(await station.seal(tally, new Date()));
    }
    out.push({ precinctId: s.tally.precinctId, token: session.token, envelopes });
  }
  await client.close();
  return out;
}

const { input } = workerData as { input: PrepareInput };
parentPort?.postMessage(await prepare(input));
