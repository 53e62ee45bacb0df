import { generateSync } from 'otplib';
import { Agent, fetch } from 'undici';
import type { RunningServer } from '../../../central-server/index.ts';

export type OfficeAnswer = {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** the Location of a redirect, or null */
  readonly location: string | null;
};

/** The code the user's authenticator app shows at `at`. */
export function totpCode(secret: string, at = new Date()): string {
  return generateSync({ secret, epoch: Math.floor(at.getTime() / 1000) });
}

/**
 * A browser as the dashboard sees it: one cookie jar, the site's Origin on every POST (unless
 * told otherwise), its own source address (127.0.0.x), so the per-address log-in limit of one
 * test does not touch another's.
 */
export class OfficeClient {
  private readonly cookies = new Map<string, string>();
  private readonly agent: Agent;

  constructor(
    private readonly server: RunningServer,
    localAddress = '127.0.0.1',
  ) {
    this.agent = new Agent({ localAddress });
  }

  get origin(): string {
    return new URL(this.server.url).origin;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** The Cookie header this browser sends (for a request made another way, e.g. a stream). */
  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<OfficeAnswer> {
    return this.request('GET', path, undefined, headers);
  }

  async post(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = { origin: this.origin },
  ): Promise<OfficeAnswer> {
    return this.request('POST', path, new URLSearchParams(form).toString(), {
      'content-type': 'application/x-www-form-urlencoded',
      ...headers,
    });
  }

  /** Logs in; the answer of the POST (303 to /office/ on success). */
  async login(name: string, password: string, code: string): Promise<OfficeAnswer> {
    return this.post('/office/login', { name, password, code });
  }

  /** The CSRF token of the session, as every page's log-out form carries it. */
  async csrfToken(): Promise<string> {
    const page = await this.get('/office/');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1];
    if (token === undefined) throw new Error(`no CSRF token on /office/ (status ${page.status})`);
    return token;
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private async request(
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<OfficeAnswer> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(`${this.server.url}${path}`, {
      method,
      redirect: 'manual',
      headers: { ...(cookie === '' ? {} : { cookie }), ...headers },
      ...(body === undefined ? {} : { body }),
      dispatcher: this.agent,
    });
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = pair?.indexOf('=') ?? -1;
      if (pair === undefined || at <= 0) continue;
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (/Max-Age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return {
      status: res.status,
      headers: res.headers,
      text: await res.text(),
      location: res.headers.get('location'),
    };
  }
}
