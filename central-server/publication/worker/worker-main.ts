import { Worker, parentPort, workerData } from 'node:worker_threads';
import { loadPublicationSigner } from '../../../pki/index.ts';
import { loadElection } from '../../election-file.ts';
import { createLogger } from '../../logger.ts';
import { THREAD_RESOURCE_LIMITS } from '../../threads/entries.ts';
import { Publisher } from '../publisher.ts';
import {
  deltaToWire,
  transferOf,
  wholeTable,
  type ServedDelta,
  type WireDelta,
} from '../served.ts';
import { file } from '../snapshot.ts';
import { signManifest } from '../sign.ts';
import {
  FromServeSchema,
  ToWorkerSchema,
  WorkerSetupSchema,
  type CountedWire,
  type FromWorker,
} from './messages.ts';
import { announceThread } from '../../threads/os-thread.ts';

/**
 * The publication thread: counts the reports the main thread sends after each COMMIT, builds,
 * signs and writes the snapshots, and (with `--public-port`) hands each one to a listener thread of
 * its own, so readers, building and the intake never wait for each other. It loads the publication key
 * from the PKI directory itself; no key crosses the thread boundary.
 */
announceThread('publication');
const setup = WorkerSetupSchema.parse(workerData);
const logger = createLogger(setup.logLevel as Parameters<typeof createLogger>[0]);
/** `served`: the wire delta inside `message`, whose buffers are moved, not cloned */
const post = (message: FromWorker, served: WireDelta | null = null) =>
  parentPort?.postMessage(message, served === null ? [] : transferOf(served));
/** A snapshot's files to the listener thread, their buffers moved, not cloned. */
const toListener = (listener: Worker, served: WireDelta) =>
  listener.postMessage({ t: 'served', served }, transferOf(served));
/**
 * The files the main thread keeps in memory for its own fast path: the small start pages. Not
 * results.json (~3.7 MB at national size, new in every build): a copy of it per build made the
 * main thread hold up to ~60 MB of old ones whenever it was idle, as after the night's last
 * report (its collector runs on what the thread allocates), for a path the public does not use
 * (the listener or nginx serve it); the main thread reads it from the snapshot directory
 * (decision 0067, follow-up s11).
 */
const HOT = new Set(['index.html', 'index.en.html', 'style.css']);

/** Each snapshot goes to the main thread and the listener as the change from the one before. */
const toMain = (delta: ServedDelta) => deltaToWire(delta, (path) => HOT.has(path));
const toServe = (delta: ServedDelta) => deltaToWire(delta, () => true);

const index = await loadElection(setup.electionFile);
const signer = await loadPublicationSigner(setup.pkiDir);
const publisher = await Publisher.open({
  index,
  publishDir: setup.publishDir,
  css: setup.css,
  timeZone: setup.timeZone,
  sign: (content, at) => signManifest(signer, content, at),
  clock: () => new Date(),
  logger,
  ...(setup.coalesceMs === undefined ? {} : { coalesceMs: setup.coalesceMs }),
  ...(setup.periodMs === undefined ? {} : { periodMs: setup.periodMs }),
  ...(setup.budgetMs === undefined ? {} : { budgetMs: setup.budgetMs }),
  ...(setup.memoryBytes === undefined ? {} : { memoryBytes: setup.memoryBytes }),
  ...(setup.graceMs === undefined ? {} : { graceMs: setup.graceMs }),
  // the threads that serve files from the snapshot directories (serve.ts `DirectoryReads`)
  readers: setup.listen === null ? ['main'] : ['main', 'serve'],
  onPublished: (p) => {
    if (listener !== undefined) toListener(listener, toServe(p.delta));
    const served = toMain(p.delta);
    post(
      {
        t: 'published',
        version: p.version,
        lastSequence: p.lastSequence,
        generatedAt: p.generatedAt.getTime(),
        manifestSha256: p.manifestSha256,
        served,
      },
      served,
    );
  },
});

/** With `--public-port`: a thread of its own that only answers readers (serve-main.ts). */
let listener: Worker | undefined;
let publicUrl: string | null = null;
if (setup.listen !== null) {
  const entry =
    setup.serveEntry === undefined
      ? new URL('./serve.mjs', import.meta.url)
      : new URL(setup.serveEntry);
  const serving = new Worker(entry, {
    workerData: setup.listen,
    resourceLimits: THREAD_RESOURCE_LIMITS.serve,
  });
  publicUrl = await new Promise<string>((resolve, reject) => {
    serving.once('error', reject);
    serving.on('message', (raw: unknown) => {
      const m = FromServeSchema.safeParse(raw);
      if (m.success && m.data.t === 'listening') resolve(m.data.url);
      if (m.success && m.data.t === 'reading') publisher.reading('serve', m.data.dir);
    });
  });
  serving.once('exit', () => publisher.forget('serve'));
  listener = serving;
  if (publisher.files !== undefined) toListener(listener, toServe(wholeTable(publisher.files)));
}

/** Stops the listener thread: it closes its server (idle connections at once), then ends. */
async function stopListener(): Promise<void> {
  if (listener === undefined) return;
  const serving = listener;
  const closed = new Promise<void>((resolve) => {
    serving.on('message', (raw: unknown) => {
      if (FromServeSchema.safeParse(raw).data?.t === 'closed') resolve();
    });
    serving.once('exit', () => resolve());
  });
  serving.postMessage({ t: 'close' });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([closed, new Promise<void>((r) => (timer = setTimeout(r, 10_000)))]);
  clearTimeout(timer);
  await serving.terminate();
}

const counted = (r: CountedWire) => ({ ...r, acceptedAt: new Date(r.acceptedAt) });

parentPort?.on('message', (raw: unknown) => {
  const message = ToWorkerSchema.safeParse(raw);
  if (!message.success) {
    logger.error({ issues: message.error.issues.slice(0, 3) }, 'publication: a malformed message');
    return;
  }
  const m = message.data;
  switch (m.t) {
    case 'reports':
      publisher.record(m.reports.map(counted));
      return;
    case 'begin':
      void publisher.release().then(() => post({ t: 'first', ok: true }));
      return;
    case 'extras':
      try {
        publisher.contribute(
          m.name,
          m.files.map((f) => file(f.path, Buffer.from(f.bytes))),
        );
      } catch (error) {
        logger.error({ err: error, name: m.name }, 'publication: extra files refused');
      }
      return;
    case 'flush':
      void publisher.flush().then(() => post({ t: 'flushed', id: m.id }));
      return;
    case 'reading':
      publisher.reading('main', m.dir);
      return;
    case 'close':
      void publisher
        .close()
        .then(stopListener)
        .then(() => post({ t: 'closed' }));
      return;
  }
});

const previous = publisher.files === undefined ? null : toMain(wholeTable(publisher.files));
post({ t: 'ready', publicUrl, previous }, previous);
