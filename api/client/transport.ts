import { Agent, request, type Dispatcher } from 'undici';

/** One HTTP exchange as the client needs it: the path relative to the server's base URL. */
export type HttpRequest = {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
};

export type HttpReply = { readonly status: number; readonly body: string };

/**
 * How requests travel. It resolves with any HTTP answer and rejects only when no answer arrived
 * (connection refused, reset, TLS failure, timeout). Injected in tests and by the simulator's
 * fault injection; the default is `undiciTransport`.
 */
export type HttpTransport = (request: HttpRequest) => Promise<HttpReply>;

export type DispatcherOptions = {
  /**
   * The office's root CA (PEM). For an https server it is the ONLY trust anchor: the system's
   * roots are not consulted, so only a certificate the election PKI issued is accepted.
   */
  readonly rootCaPem?: string;
  /** keep-alive connections per origin (default 8) */
  readonly connections?: number;
  /** abort a request that has no complete answer after this long (default 60 s) */
  readonly timeoutMs?: number;
};

/** A keep-alive connection pool; with `rootCaPem`, TLS trusts that root and nothing else. */
export function createDispatcher(options: DispatcherOptions = {}): Agent {
  const timeout = options.timeoutMs ?? 60_000;
  return new Agent({
    connections: options.connections ?? 8,
    headersTimeout: timeout,
    bodyTimeout: timeout,
    connect: options.rootCaPem === undefined ? {} : { ca: [options.rootCaPem] },
  });
}

/** The default transport: undici's `request` over the given dispatcher. */
export function undiciTransport(baseUrl: string, dispatcher: Dispatcher): HttpTransport {
  const base = new URL(baseUrl);
  // a base URL with a path (a reverse proxy serving under /wahl/) keeps it in front of the route
  const prefix = base.pathname.replace(/\/$/, '');
  return async (req) => {
    const answer = await request(new URL(prefix + req.path, base), {
      method: req.method,
      headers: { ...req.headers },
      body: req.body,
      dispatcher,
    });
    return { status: answer.statusCode, body: await answer.body.text() };
  };
}
