import net from 'node:net';

/**
 * A TCP proxy between the kit and the server that the walkthrough switches off and on: the
 * polling station's LTE link. `down()` stops listening and cuts every open connection (the kit
 * sees "connection refused" / "reset", as when the network is gone); `up()` listens again on the
 * same port, so the URL in the kit's bundle stays valid. Loopback only.
 */
export type TcpProxy = {
  readonly port: number;
  readonly url: string;
  readonly isUp: () => boolean;
  readonly down: () => Promise<void>;
  readonly up: () => Promise<void>;
  /** how many client connections reached the proxy while it was up */
  readonly connections: () => number;
  readonly close: () => Promise<void>;
};

const HOST = '127.0.0.1';

export async function startTcpProxy(
  target: () => { host: string; port: number } | undefined,
): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  let accepted = 0;
  let server: net.Server | undefined;
  const listen = (port: number) =>
    new Promise<net.Server>((resolve, reject) => {
      const s = net.createServer((client) => {
        accepted += 1;
        const to = target();
        if (to === undefined) {
          client.destroy();
          return;
        }
        const upstream = net.connect(to.port, to.host);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream);
        upstream.pipe(client);
      });
      s.once('error', reject);
      s.listen(port, HOST, () => resolve(s));
    });
  server = await listen(0);
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('proxy has no port');
  const port = address.port;
  const down = async () => {
    const s = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    port,
    url: `http://${HOST}:${port}`,
    isUp: () => server !== undefined,
    down,
    up: async () => {
      server ??= await listen(port);
    },
    connections: () => accepted,
    close: down,
  };
}
