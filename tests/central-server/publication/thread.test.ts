import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../central-server/logger.ts';
import {
  PublicationThread,
  file,
  type CountedReport,
} from '../../../central-server/publication/index.ts';
import { createOffice, urneReport, type Office } from '../fixture.ts';

let office: Office;
let thread: PublicationThread;
const reports: CountedReport[] = [];
const counted = (
  precinctId: string,
  votes: [number, number, number],
  sequence: number,
): CountedReport => ({
  schnellmeldung: urneReport(precinctId, votes),
  sequence,
  acceptedAt: new Date(),
  source: 'kit',
});
const results = () =>
  JSON.parse(readFileSync(join(office.dir, 'public', 'results.json'), 'utf8')) as {
    lastSequence: number;
    reportsCounted: number;
  };

beforeAll(async () => {
  office = await createOffice();
  reports.push(counted('P1', [300, 250, 140], 1));
  thread = await PublicationThread.start({
    setup: {
      electionFile: office.electionFile,
      pkiDir: office.pkiDir,
      publishDir: join(office.dir, 'public'),
      css: 'body{}',
      timeZone: 'Europe/Berlin',
      logLevel: 'silent',
      listen: { host: '127.0.0.1', port: 0 },
    },
    stored: () => reports,
    logger: createLogger('silent'),
  });
});
afterAll(async () => {
  await thread.close();
  office.cleanup();
});

describe('the publication thread', () => {
  it('publishes the stored reports before it is ready, and serves the snapshot on its own port', async () => {
    expect(results()).toMatchObject({ lastSequence: 1, reportsCounted: 1 });
    const page = await fetch(thread.publicUrl!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('1 von 4 Stimmbezirken ausgezählt');
    const json = await fetch(`${thread.publicUrl!}results.json`);
    expect(
      Buffer.from(await json.arrayBuffer()).equals(
        readFileSync(join(office.dir, 'public', 'results.json')),
      ),
    ).toBe(true);
    expect((await fetch(`${thread.publicUrl!}api/v1/results`)).status).toBe(404);
  });

  it("takes other parts' files into the signed manifest, and refuses a path outside a folder", async () => {
    thread.contribute('transparency', [file('transparency/checkpoint.txt', 'wahlkoffer log\n1\n')]);
    thread.contribute('bad', [file('index.html', 'not yours')]);
    reports.push(counted('P2', [410, 380, 190], 2));
    thread.record(reports.slice(-1));
    await thread.flush();
    const manifest = JSON.parse(
      readFileSync(join(office.dir, 'public', 'manifest.json'), 'utf8'),
    ) as { files: { path: string }[] };
    expect(manifest.files.map((f) => f.path)).toContain('transparency/checkpoint.txt');
    expect(readFileSync(join(office.dir, 'public', 'index.html'), 'utf8')).toContain('2 von 4');
  });

  it('is started again with every current report when it dies, and goes on publishing', async () => {
    await (thread as unknown as { worker: Worker }).worker.terminate();
    // committed while the thread was down: the new thread gets it with all stored reports
    reports.push(counted('P3', [220, 260, 90], 3));
    for (let i = 0; i < 600 && results().lastSequence < 3; i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(results()).toMatchObject({ lastSequence: 3, reportsCounted: 3 });
    expect(readFileSync(join(office.dir, 'public', 'index.html'), 'utf8')).toContain('3 von 4');
  });
});

describe('the snapshot directories behind the threads', () => {
  it('are reused once the main thread and the listener read a later snapshot, and serve the same bytes meanwhile', async () => {
    const publishDir = join(office.dir, 'reused');
    const own: CountedReport[] = [counted('P1', [300, 250, 140], 1)];
    const other = await PublicationThread.start({
      setup: {
        electionFile: office.electionFile,
        pkiDir: office.pkiDir,
        publishDir,
        css: 'body{}',
        timeZone: 'Europe/Berlin',
        logLevel: 'silent',
        listen: { host: '127.0.0.1', port: 0 },
        coalesceMs: 0,
        periodMs: 0,
        graceMs: 0,
        memoryBytes: 0, // every file read from the snapshot directory
      },
      stored: () => own,
      logger: createLogger('silent'),
    });
    try {
      const builds = 12;
      for (let n = 0; n < builds; n++) {
        const report = urneReport('P2', [300 + n, 250, 140], { revision: n + 1 });
        other.record([
          { schnellmeldung: report, sequence: n + 2, acceptedAt: new Date(), source: 'kit' },
        ]);
        await other.flush();
        const index = await fetch(other.publicUrl!);
        expect(await index.text()).toBe(readFileSync(join(publishDir, 'index.html'), 'utf8'));
        await new Promise((r) => setTimeout(r, 30)); // the threads' word reaches the builder
      }
      // without the threads' word every superseded snapshot would be held (one per build); with
      // it: the current one, the mirror's, those just superseded, and at most two spares
      const store = readdirSync(`${publishDir}.snapshots`);
      expect(store.length).toBeLessThanOrEqual(6);
      expect(store.length).toBeLessThan(builds);
    } finally {
      await other.close();
    }
  });
});
