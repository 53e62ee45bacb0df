import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { DirectoryReads, publicationHeaders, servePublication } from '../serve.ts';
import { applyDelta, deltaFromWire, type ServedTable } from '../served.ts';
import { ServeSetupSchema, ToServeSchema, type FromServe } from './messages.ts';
import { announceThread } from '../../threads/os-thread.ts';

/**
 * The public listener (`--public-port`): a thread that does nothing but answer readers from the
 * newest snapshot, which the publication thread sends after each build. Building and serving
 * then never wait for each other, and neither waits for the intake.
 */
announceThread('serve');
const setup = ServeSetupSchema.parse(workerData);
const headers = publicationHeaders(1);
const post = (m: FromServe) => parentPort?.postMessage(m);
let table: ServedTable | undefined;
const reads = new DirectoryReads((dir) => post({ t: 'reading', dir }));

const server = createServer((req, res) => {
  if (!servePublication(req, res, table, headers, '', reads)) res.writeHead(404, headers).end();
});
server.keepAliveTimeout = 65_000;
await new Promise<void>((resolve, reject) => {
  server.once('error', reject);
  server.listen(setup.port, setup.host, () => resolve());
});
const { port } = server.address() as AddressInfo;

parentPort?.on('message', (raw: unknown) => {
  const m = ToServeSchema.safeParse(raw);
  if (!m.success) return;
  if (m.data.t === 'served') {
    table = applyDelta(table, deltaFromWire(m.data.served, headers));
    reads.switched(table.dir);
    return;
  }
  server.close(() => post({ t: 'closed' }));
  server.closeIdleConnections();
});
post({
  t: 'listening',
  url: `http://${setup.host.includes(':') ? `[${setup.host}]` : setup.host}:${port}/`,
});
