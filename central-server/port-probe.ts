import { createServer } from 'node:net';

/**
 * Binds the address for a moment and lets it go again, so a start that must fail because the
 * port is taken fails at once — before it migrates a database or starts worker threads — and
 * with the same error `listen` would give later. Port 0 (any free port) needs no probe.
 */
export function probePort(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve()));
  });
}
