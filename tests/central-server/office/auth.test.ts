import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../central-server/index.ts';
import type { Enrolment } from '../../../central-server/office/index.ts';
import { verifyAuditChain } from '../../../central-server/storage/audit-chain.ts';
import type { AuditRow } from '../../../central-server/storage/repository.ts';
import { createOffice, startTestServer, type Office } from '../fixture.ts';
import { OfficeClient, totpCode } from './office-client.ts';

const PASSWORD = 'korrekt pferd batterie';
const cli = { name: 'setup', via: 'cli' } as const;

let office: Office;
let server: RunningServer;
const users = new Map<string, Enrolment>();
const clients: OfficeClient[] = [];
let nextAddress = 10;

/** A fresh browser on its own loopback address (the per-address log-in limit stays apart). */
function browser(): OfficeClient {
  const client = new OfficeClient(server, `127.0.0.${nextAddress++}`);
  clients.push(client);
  return client;
}

async function add(name: string, role: string): Promise<Enrolment> {
  const enrolment = await server.officeUsers.add({ name, role, password: PASSWORD, actor: cli });
  users.set(name, enrolment);
  return enrolment;
}

/** A browser logged in as `name` (the code of the next time step if this one is used). */
async function loggedIn(name: string, at = new Date()): Promise<OfficeClient> {
  const client = browser();
  const answer = await client.login(name, PASSWORD, totpCode(users.get(name)!.totpSecret, at));
  expect(answer.status, answer.text).toBe(303);
  return client;
}

function auditRows(): AuditRow[] {
  const sqlite = new Database(join(office.dir, 'server.db'), { readonly: true });
  try {
    return (sqlite.prepare('SELECT * FROM "AuditEvent" ORDER BY "id"').all() as AuditRow[]).map(
      (r) => ({ ...r, at: new Date(r.at) }),
    );
  } finally {
    sqlite.close();
  }
}

function events(kind: string): Record<string, unknown>[] {
  return auditRows()
    .filter((r) => r.kind === kind)
    .map((r) => (JSON.parse(r.event) as { data: Record<string, unknown> }).data);
}

const code = (text: string) => /\(([A-Z_]+)\)/.exec(text)?.[1];

beforeAll(async () => {
  office = await createOffice({ issue: [] });
  server = await startTestServer(office);
  await add('anna', 'admin');
  await add('otto', 'operator');
  await add('paula', 'operator');
  await add('arno', 'auditor');
  // spare users: each security test gets its own, so no test's counters touch another's
  for (const name of ['wrongpw', 'wrongcode', 'replay', 'locked', 'csrf', 'gone']) {
    await add(name, 'operator');
  }
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  office.cleanup();
});

describe('without a log-in', () => {
  it('every /office route sends a page request to the log-in and refuses anything else', async () => {
    const client = browser();
    const routes = server
      .officeRoutes()
      .filter((r) => !['/office/login', '/office/static/:file'].includes(r.path));
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining(['GET /office/users', 'POST /office/logout', 'GET /office/']),
    );
    for (const route of routes) {
      const path = route.path.replace(/:[a-zA-Z]+/g, 'x');
      const answer =
        route.method === 'GET' ? await client.get(path) : await client.post(path, { _csrf: 'x' });
      if (route.method === 'GET') {
        expect(answer.status, path).toBe(303);
        expect(answer.location, path).toMatch(/^\/office\/login\?next=/);
      } else {
        expect(answer.status, path).toBe(401);
        expect(code(answer.text), path).toBe('LOGIN_REQUIRED');
      }
    }
    // a path nobody mounted says nothing either without a session
    expect((await client.get('/office/geheim')).status).toBe(303);
  });

  it('the log-in page and the style sheet are served', async () => {
    const client = browser();
    const page = await client.get('/office/login');
    expect(page.status).toBe(200);
    expect(page.text).toContain('Anmeldung im Wahlamt');
    expect((await client.get('/office/login?lang=en')).text).toContain('Election office log-in');
    expect((await client.get('/office/static/office.css')).status).toBe(200);
    expect((await client.get('/office/static/..%2Fserver.ts')).status).toBe(404);
  });
});

describe('logging in', () => {
  it('with name, password and the current code opens a session and shows the user and role', async () => {
    const client = browser();
    const answer = await client.login('Anna ', PASSWORD, totpCode(users.get('anna')!.totpSecret));
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/office/');
    const page = await client.get('/office/users');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong>anna</strong> · Administration');
    expect(page.text).toContain('otto');
    expect(events('OFFICE_LOGIN').some((e) => e['name'] === 'anna')).toBe(true);
  });

  it('refuses a wrong password, without saying which factor was wrong', async () => {
    const client = browser();
    const answer = await client.login(
      'wrongpw',
      'falsches passwort!',
      totpCode(users.get('wrongpw')!.totpSecret),
    );
    expect(answer.status).toBe(401);
    expect(code(answer.text)).toBe('LOGIN_FAILED');
    expect(client.cookie('wahlkoffer_office')).toBeUndefined();
    expect(events('OFFICE_LOGIN_FAILED')).toContainEqual(
      expect.objectContaining({ name: 'wrongpw', reason: 'PASSWORD', failedCount: 1 }),
    );
  });

  it('refuses a wrong TOTP code with the right password', async () => {
    const client = browser();
    const right = totpCode(users.get('wrongcode')!.totpSecret);
    const wrong = String((Number(right) + 1) % 1_000_000).padStart(6, '0');
    const answer = await client.login('wrongcode', PASSWORD, wrong);
    expect(answer.status).toBe(401);
    expect(code(answer.text)).toBe('LOGIN_FAILED');
    expect(events('OFFICE_LOGIN_FAILED')).toContainEqual(
      expect.objectContaining({ name: 'wrongcode', reason: 'TOTP_INVALID' }),
    );
  });

  it('refuses an unknown name like a wrong password', async () => {
    const answer = await browser().login('niemand', PASSWORD, '123456');
    expect(answer.status).toBe(401);
    expect(code(answer.text)).toBe('LOGIN_FAILED');
    expect(events('OFFICE_LOGIN_FAILED')).toContainEqual(
      expect.objectContaining({ name: 'niemand', reason: 'UNKNOWN_USER' }),
    );
  });

  it('takes a TOTP code once only: the same code after a log-out is refused', async () => {
    const secret = users.get('replay')!.totpSecret;
    const now = new Date();
    const first = browser();
    expect((await first.login('replay', PASSWORD, totpCode(secret, now))).status).toBe(303);
    const again = await browser().login('replay', PASSWORD, totpCode(secret, now));
    expect(again.status).toBe(401);
    expect(code(again.text)).toBe('LOGIN_FAILED');
    expect(events('OFFICE_LOGIN_FAILED')).toContainEqual(
      expect.objectContaining({ name: 'replay', reason: 'TOTP_REPLAYED' }),
    );
  });

  it('locks a user out after three failures, then even the right password and code are refused', async () => {
    const client = browser();
    for (let i = 0; i < 3; i += 1) {
      expect((await client.login('locked', 'falsches passwort!', '000000')).status).toBe(401);
    }
    expect(events('OFFICE_LOCKOUT')).toContainEqual(
      expect.objectContaining({ name: 'locked', reason: 'PASSWORD', failedCount: 3 }),
    );
    const right = await client.login('locked', PASSWORD, totpCode(users.get('locked')!.totpSecret));
    expect(right.status).toBe(429);
    expect(code(right.text)).toBe('LOGIN_LOCKED');
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(right.headers.get('retry-after'))).toBeLessThanOrEqual(30);
  });

  it('limits the attempts of one source address', async () => {
    const client = browser();
    const answers = [];
    for (let i = 0; i < 12; i += 1) answers.push(await client.login('niemand', PASSWORD, '123456'));
    expect(answers.slice(0, 10).every((a) => a.status === 401)).toBe(true);
    expect(answers.slice(10).map((a) => [a.status, code(a.text)])).toEqual([
      [429, 'LOGIN_RATE_LIMITED'],
      [429, 'LOGIN_RATE_LIMITED'],
    ]);
    // another address is not affected
    expect((await browser().login('niemand', PASSWORD, '123456')).status).toBe(401);
    expect(events('OFFICE_LOGIN_RATE_LIMITED')).toHaveLength(1);
  });

  it('refuses a log-in form from a foreign Origin', async () => {
    const answer = await browser().post(
      '/office/login',
      { name: 'anna', password: PASSWORD, code: '123456' },
      { origin: 'https://evil.example' },
    );
    expect(answer.status).toBe(403);
    expect(code(answer.text)).toBe('ORIGIN_REFUSED');
  });
});

describe('the session cookie and the headers', () => {
  it('is HttpOnly, SameSite=Strict, Path=/ and (on plain HTTP) neither Secure nor __Host-', async () => {
    const client = browser();
    const answer = await client.login('paula', PASSWORD, totpCode(users.get('paula')!.totpSecret));
    const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('wahlkoffer_office='));
    expect(cookie).toBeDefined();
    const flags = cookie!.split(';').map((f) => f.trim());
    expect(flags).toEqual(expect.arrayContaining(['HttpOnly', 'SameSite=Strict', 'Path=/']));
    expect(flags).not.toContain('Secure');
    expect(flags.some((f) => /^(Max-Age|Expires)/i.test(f))).toBe(false);
    // the token is random and long
    expect(client.cookie('wahlkoffer_office')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('carries the strict CSP on every /office page, the log-in page included', async () => {
    const client = await loggedIn('arno');
    for (const path of ['/office/login', '/office/', '/office/static/office.css']) {
      const answer = await client.get(path);
      const csp = answer.headers.get('content-security-policy') ?? '';
      const directives = new Set(csp.split(';').map((d) => d.trim()));
      for (const d of [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ]) {
        expect(directives, `${path}: ${csp}`).toContain(d);
      }
      expect(answer.headers.get('cache-control')).toBe(
        path.includes('/static/') ? 'no-cache' : 'no-store',
      );
      expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    }
  });
});

describe('cross-site requests', () => {
  let client: OfficeClient;
  let token: string;
  beforeAll(async () => {
    client = await loggedIn('csrf');
    token = await client.csrfToken();
  });

  it('are refused without the CSRF token', async () => {
    const answer = await client.post('/office/logout', {});
    expect(answer.status).toBe(403);
    expect(code(answer.text)).toBe('CSRF_INVALID');
  });

  it('are refused with a wrong CSRF token', async () => {
    const answer = await client.post('/office/logout', { _csrf: `${token.slice(0, -2)}xx` });
    expect(answer.status).toBe(403);
    expect(code(answer.text)).toBe('CSRF_INVALID');
  });

  it('are refused from a foreign Origin or without one, even with the right token', async () => {
    const foreign = await client.post(
      '/office/logout',
      { _csrf: token },
      { origin: 'http://evil.example' },
    );
    expect(foreign.status).toBe(403);
    expect(code(foreign.text)).toBe('ORIGIN_REFUSED');
    const none = await client.post('/office/logout', { _csrf: token }, {});
    expect(none.status).toBe(403);
    expect(code(none.text)).toBe('ORIGIN_REFUSED');
    // still logged in: nothing was done
    expect((await client.get('/office/')).status).toBe(200);
  });

  it('with the token (form field or header) and this Origin, the log-out goes through', async () => {
    const byHeader = await loggedIn('otto');
    const other = await byHeader.csrfToken();
    const answer = await byHeader.post(
      '/office/logout',
      {},
      { origin: byHeader.origin, 'x-csrf-token': other },
    );
    expect(answer.status).toBe(303);
    expect(answer.location).toBe('/office/login?bye=1');
    expect((await byHeader.get('/office/')).status).toBe(303);
    expect(events('OFFICE_LOGOUT')).toContainEqual(expect.objectContaining({ name: 'otto' }));
  });
});

describe('roles', () => {
  it('an operator cannot do admin actions: no users page, no disabling', async () => {
    const client = await loggedIn('otto', new Date(Date.now() + 30_000));
    const token = await client.csrfToken();
    const page = await client.get('/office/users');
    expect(page.status).toBe(403);
    expect(code(page.text)).toBe('ROLE_FORBIDDEN');
    expect(page.text).not.toContain('href="/office/users"');
    const disable = await client.post('/office/users/paula/disable', { _csrf: token });
    expect(disable.status).toBe(403);
    expect(code(disable.text)).toBe('ROLE_FORBIDDEN');
    expect(events('OFFICE_FORBIDDEN')).toContainEqual(
      expect.objectContaining({
        name: 'otto',
        method: 'POST',
        path: '/office/users/paula/disable',
      }),
    );
    expect(
      (await server.officeUsers.list()).find((u) => u.name === 'paula')?.disabledAt,
    ).toBeNull();
  });

  it('an auditor can read but no route that changes anything lets them through', async () => {
    const client = await loggedIn('arno', new Date(Date.now() + 30_000));
    const token = await client.csrfToken();
    expect((await client.get('/office/')).status).toBe(200);
    const writes = server
      .officeRoutes()
      .filter((r) => r.method !== 'GET' && !['/office/login', '/office/logout'].includes(r.path));
    expect(writes.length).toBeGreaterThan(0);
    for (const route of writes) {
      const answer = await client.post(route.path.replace(/:[a-zA-Z]+/g, 'anna'), { _csrf: token });
      expect(answer.status, route.path).toBe(403);
      expect(code(answer.text), route.path).toBe('ROLE_FORBIDDEN');
    }
  });

  it('an admin disables a user: their sessions end at once and they cannot log in again', async () => {
    const victim = await loggedIn('gone');
    const admin = await loggedIn('anna', new Date(Date.now() + 30_000));
    const answer = await admin.post('/office/users/gone/disable', {
      _csrf: await admin.csrfToken(),
    });
    expect(answer.status).toBe(303);
    expect((await victim.get('/office/')).status).toBe(303);
    const again = await browser().login(
      'gone',
      PASSWORD,
      totpCode(users.get('gone')!.totpSecret, new Date(Date.now() + 30_000)),
    );
    expect(code(again.text)).toBe('LOGIN_FAILED');
    expect(events('OFFICE_USER_DISABLED')).toContainEqual(
      expect.objectContaining({ name: 'gone', by: 'anna', via: 'dashboard' }),
    );
  });
});

describe('the audit log', () => {
  it('holds every log-in, failure, lock-out, log-out and user change in one intact chain', () => {
    const rows = auditRows();
    expect(verifyAuditChain(rows)).toBeNull();
    const kinds = new Set(rows.map((r) => r.kind));
    for (const kind of [
      'OFFICE_USER_ADDED',
      'OFFICE_LOGIN',
      'OFFICE_LOGIN_FAILED',
      'OFFICE_LOCKOUT',
      'OFFICE_LOGOUT',
      'OFFICE_FORBIDDEN',
      'OFFICE_USER_DISABLED',
      'OFFICE_LOGIN_RATE_LIMITED',
    ]) {
      expect(kinds, kind).toContain(kind);
    }
    // no password, hash or secret ever reaches the log
    const text = rows.map((r) => r.event).join('\n');
    expect(text).not.toContain(PASSWORD);
    for (const { totpSecret } of users.values()) expect(text).not.toContain(totpSecret);
    expect(text).not.toContain('scrypt$');
  });
});
