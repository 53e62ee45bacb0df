import path from 'node:path';
import { startServerProcess } from '../../cli/demo/server-process.ts';
import { fireLoad, type PreparedSend } from '../intake/load.ts';
import { SERVER_START_TIMEOUT_MS, type Prepared } from '../intake/prepare.ts';

/** An election night stored in a server database, ready for `audit export`. */
export type FilledNight = {
  readonly dbFile: string;
  readonly publishDir: string;
  readonly stations: number;
  readonly accepted: number;
  readonly intakeSeconds: number;
};

/**
 * Sends `sends` (prepared by the intake benchmark's prepareScenario: every kit's session opened
 * and its reports sealed before any clock starts) over HTTP to one `wahlkoffer server` process
 * on a fresh SQLite file in `dir`, which stores, logs and publishes them as on election night.
 * Ends when the published snapshot holds the last report, then stops the server.
 */
export async function fillDatabase(
  dir: string,
  prepared: Prepared,
  sends: readonly PreparedSend[],
  log: (line: string) => void,
): Promise<FilledNight> {
  const dbFile = path.join(dir, 'wahlkoffer.db');
  const publishDir = path.join(dir, 'publication');
  const server = await startServerProcess({
    pkiDir: prepared.office.pkiDir,
    electionFile: prepared.office.electionFile,
    dbFile,
    extraArgs: ['--publish-dir', publishDir, '--log-level', 'warn'],
    // the national election's server reads 90,652 districts before it listens
    timeoutMs: SERVER_START_TIMEOUT_MS,
  });
  try {
    const started = performance.now();
    log(`  sending ${sends.length} reports to the server (${dbFile})`);
    const load = await fireLoad(server.url, sends, 256, (done) =>
      log(`    ${done}/${sends.length} sent`),
    );
    if (load.accepted !== sends.length) {
      throw new Error(
        `only ${load.accepted} of ${sends.length} accepted: ${JSON.stringify(load.other)}`,
      );
    }
    await publishedUpTo(server.url, load.accepted);
    return {
      dbFile,
      publishDir,
      stations: new Set(sends.map((s) => s.key)).size,
      accepted: load.accepted,
      intakeSeconds: (performance.now() - started) / 1000,
    };
  } finally {
    await server.stop('SIGTERM');
  }
}

/** Waits until the public results.json counts report `sequence` (the last one). */
async function publishedUpTo(serverUrl: string, sequence: number): Promise<void> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline) {
    const res = await fetch(`${serverUrl}/ergebnisse/results.json`);
    if (res.ok) {
      const body = (await res.json()) as { lastSequence?: number };
      if (body.lastSequence === sequence) return;
    } else await res.body?.cancel();
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the published results did not reach report ${sequence}`);
}
