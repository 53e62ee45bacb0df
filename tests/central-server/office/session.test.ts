import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../central-server/index.ts';
import { createOffice, startTestServer, type Office } from '../fixture.ts';
import { OfficeClient, totpCode } from './office-client.ts';

const PASSWORD = 'korrekt pferd batterie';
const MINUTE = 60_000;

let office: Office;
let server: RunningServer;
/** the server's clock runs `offset` ms ahead of the machine's */
let offset = 0;
const now = () => new Date(Date.now() + offset);
let secret: string;
const clients: OfficeClient[] = [];

/** Behind TLS at nginx: the browser's Origin is https://<host>. */
const httpsOrigin = () => `https://${new URL(server.url).host}`;

async function logIn(): Promise<OfficeClient> {
  const client = new OfficeClient(server, `127.0.1.${clients.length + 1}`);
  clients.push(client);
  // each log-in at its own time step (a code is taken once)
  offset += MINUTE;
  const answer = await client.post(
    '/office/login',
    { name: 'anna', password: PASSWORD, code: totpCode(secret, now()) },
    { origin: httpsOrigin() },
  );
  expect(answer.status, answer.text).toBe(303);
  return client;
}

function sessions(): number {
  const sqlite = new Database(join(office.dir, 'server.db'), { readonly: true });
  try {
    return (sqlite.prepare('SELECT COUNT(*) AS n FROM "OfficeSession"').get() as { n: number }).n;
  } finally {
    sqlite.close();
  }
}

beforeAll(async () => {
  office = await createOffice({ issue: [] });
  server = await startTestServer(office, join(office.dir, 'server.db'), now, {
    officeHttps: true,
  });
  secret = (
    await server.officeUsers.add({
      name: 'anna',
      role: 'admin',
      password: PASSWORD,
      actor: { name: 'test', via: 'cli' },
    })
  ).totpSecret;
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await server.close();
  office.cleanup();
});

describe('served over HTTPS (--office-https)', () => {
  it('the session cookie is __Host-wahlkoffer_office with Secure, HttpOnly, SameSite=Strict, Path=/', async () => {
    const client = new OfficeClient(server, '127.0.1.200');
    clients.push(client);
    offset += MINUTE;
    const answer = await client.post(
      '/office/login',
      { name: 'anna', password: PASSWORD, code: totpCode(secret, now()) },
      { origin: httpsOrigin() },
    );
    const cookie = answer.headers.getSetCookie().find((c) => c.startsWith('__Host-'));
    expect(cookie?.split('=')[0]).toBe('__Host-wahlkoffer_office');
    expect(cookie?.split(';').map((f) => f.trim())).toEqual(
      expect.arrayContaining(['Secure', 'HttpOnly', 'SameSite=Strict', 'Path=/']),
    );
    expect(cookie).not.toMatch(/Domain=/i);
    expect((await client.get('/office/users')).status).toBe(200);
  });

  it('a form from the plain-HTTP origin is refused', async () => {
    const answer = await new OfficeClient(server, '127.0.1.201').post(
      '/office/login',
      { name: 'anna', password: PASSWORD, code: '123456' },
      { origin: new URL(server.url).origin },
    );
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('ORIGIN_REFUSED');
  });
});

describe('a session ends', () => {
  it('after an hour without a request (idle), and its row is removed', async () => {
    const client = await logIn();
    const before = sessions();
    offset += 59 * MINUTE;
    expect((await client.get('/office/users')).status).toBe(200);
    offset += 59 * MINUTE; // an hour and more since the log-in, but not idle
    expect((await client.get('/office/users')).status).toBe(200);
    offset += 61 * MINUTE;
    const answer = await client.get('/office/users');
    expect(answer.status).toBe(303);
    expect(answer.location).toMatch(/^\/office\/login\?next=/);
    expect(sessions()).toBe(before - 1);
  });

  it('twelve hours after the log-in, however busy', async () => {
    const client = await logIn();
    for (let hour = 0; hour < 11; hour += 1) {
      offset += 59 * MINUTE;
      expect((await client.get('/office/users')).status, `hour ${hour}`).toBe(200);
    }
    offset += 59 * MINUTE; // 11 h 49 min after the log-in: still open
    expect((await client.get('/office/users')).status).toBe(200);
    offset += 12 * MINUTE;
    expect((await client.get('/office/users')).status).toBe(303);
  });
});
