import http from 'node:http';
import https from 'node:https';

export type HttpAnswer = {
  readonly status: number;
  /** the parsed JSON body, or undefined when the body was not JSON */
  readonly body: unknown;
  readonly latencyMs: number;
};

/**
 * A small JSON-over-HTTP client on Node's own http module with a keep-alive agent, so a
 * simulated kit reuses its connection like a real one, and so a dropped connection can be
 * simulated exactly: `dropAfterSend` destroys the socket as soon as the request is written,
 * before any answer can arrive.
 */
export class JsonHttpClient {
  private readonly base: URL;
  private readonly agent: http.Agent;
  private readonly transport: typeof http | typeof https;

  /** `rootCaPem`: for https, the only trust anchor (the office's root, as the kit pins it) */
  constructor(baseUrl: string, options: { maxSockets: number; rootCaPem?: string }) {
    this.base = new URL(baseUrl);
    const pooled = { keepAlive: true, maxSockets: options.maxSockets };
    if (this.base.protocol === 'https:') {
      this.transport = https;
      this.agent = new https.Agent({
        ...pooled,
        ...(options.rootCaPem === undefined ? {} : { ca: [options.rootCaPem] }),
      });
    } else {
      this.transport = http;
      this.agent = new http.Agent(pooled);
    }
  }

  get(path: string): Promise<HttpAnswer> {
    return this.request('GET', path, undefined, undefined);
  }

  post(path: string, body: string, token?: string): Promise<HttpAnswer> {
    return this.request('POST', path, body, token);
  }

  /** Sends the request and destroys the connection once it is written; resolves when it is gone. */
  postAndDrop(path: string, body: string, token?: string): Promise<void> {
    return new Promise((resolve) => {
      const req = this.transport.request(this.options('POST', path, body, token));
      req.on('error', () => resolve());
      req.on('close', () => resolve());
      req.end(body, () => {
        // Give the bytes a moment to leave the socket buffer, then cut the connection.
        setImmediate(() => req.destroy());
      });
    });
  }

  close(): void {
    this.agent.destroy();
  }

  private options(
    method: string,
    path: string,
    body: string | undefined,
    token: string | undefined,
  ): http.RequestOptions {
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = Buffer.byteLength(body);
    }
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    return {
      method,
      host: this.base.hostname,
      port: this.base.port,
      path: new URL(path, this.base).pathname + new URL(path, this.base).search,
      headers,
      agent: this.agent,
    };
  }

  private request(
    method: string,
    path: string,
    body: string | undefined,
    token: string | undefined,
  ): Promise<HttpAnswer> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      const req = this.transport.request(this.options(method, path, body, token), (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            parsed = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            body: parsed,
            latencyMs: performance.now() - started,
          });
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  }
}
