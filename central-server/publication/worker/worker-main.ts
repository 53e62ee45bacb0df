import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { loadPublicationSigner } from '../../../pki/index.ts';
import { loadElection } from '../../election-file.ts';
import { createLogger } from '../../logger.ts';
import { Publisher } from '../publisher.ts';
import { servePublication, type ServedFile } from '../serve.ts';
import { file } from '../snapshot.ts';
import { signManifest } from '../sign.ts';
import {
  ToWorkerSchema,
  WorkerSetupSchema,
  type CountedWire,
  type FromWorker,
} from './messages.ts';

/**
 * The publication thread: counts the reports the main thread sends after each COMMIT, builds,
 * signs and writes the snapshots, and (with a public listener) serves them on a port of its own,
 * so neither a flood of readers nor the intake slows the other. It loads the publication key
 * from the PKI directory itself; no key crosses the thread boundary.
 */
const setup = WorkerSetupSchema.parse(workerData);
const logger = createLogger(setup.logLevel as Parameters<typeof createLogger>[0]);
const post = (message: FromWorker) => parentPort?.postMessage(message);
/** the files the main thread keeps in memory for its own fast path */
const HOT = new Set(['results.json', 'index.html', 'index.en.html', 'style.css']);

const wire = (files: ReadonlyMap<string, ServedFile>) =>
  [...files].map(([path, f]) => ({
    path,
    etag: f.etag,
    contentType: f.contentType,
    size: f.size,
    diskPath: f.diskPath,
    ...(HOT.has(path) && f.bytes !== undefined ? { bytes: new Uint8Array(f.bytes) } : {}),
  }));

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
  ...(setup.budgetMs === undefined ? {} : { budgetMs: setup.budgetMs }),
  ...(setup.memoryBytes === undefined ? {} : { memoryBytes: setup.memoryBytes }),
  onPublished: (p) =>
    post({
      t: 'published',
      version: p.version,
      lastSequence: p.lastSequence,
      files: wire(p.files),
    }),
});

let server: Server | undefined;
let publicUrl: string | null = null;
if (setup.listen !== null) {
  const { host, port } = setup.listen;
  server = createServer((req, res) => {
    if (!servePublication(req, res, publisher.files, publisher.headers, '')) {
      res.writeHead(404, publisher.headers).end();
    }
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server?.once('error', reject);
    server?.listen(port, host, () => resolve());
  });
  const bound = (server.address() as AddressInfo).port;
  publicUrl = `http://${host.includes(':') ? `[${host}]` : host}:${bound}/`;
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
    case 'close':
      void publisher
        .close()
        .then(
          () =>
            new Promise<void>((resolve) =>
              server === undefined ? resolve() : server.close(() => resolve()),
            ),
        )
        .then(() => post({ t: 'closed' }));
      server?.closeIdleConnections();
      return;
  }
});

const previous = publisher.files;
post({ t: 'ready', publicUrl, previous: previous === undefined ? null : wire(previous) });
