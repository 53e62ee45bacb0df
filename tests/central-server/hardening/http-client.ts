import { connect } from 'node:net';

/**
 * A raw HTTP/1.1 exchange over a socket, for what fetch cannot do: send the headers and only part
 * of a declared body, or send headers slowly. Resolves with what the server wrote until it closed
 * the connection (or `timeoutMs` passed: then `closedByServer` is false).
 */
export function rawExchange(
  url: string,
  head: string,
  options: { body?: Buffer; drip?: readonly string[]; timeoutMs?: number } = {},
): Promise<{ response: string; closedByServer: boolean }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let response = '';
    let done = false;
    const finish = (closedByServer: boolean) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ response, closedByServer });
    };
    const timer = setTimeout(() => finish(false), options.timeoutMs ?? 20_000);
    socket.on('data', (chunk) => (response += chunk.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    socket.on('connect', () => {
      socket.write(head);
      if (options.body !== undefined) socket.write(options.body);
      // send one more fragment each time the server has not answered yet; stop when it closes
      const drip = [...(options.drip ?? [])];
      const next = () => {
        const part = drip.shift();
        if (part === undefined || done) return;
        socket.write(part);
        setTimeout(next, 200);
      };
      next();
    });
  });
}

export function statusOf(response: string): number {
  return Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);
}
