import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../central-server/index.ts';
import { verifyAuditChain, withOfficeUsers } from '../../../central-server/index.ts';
import type { AuditRow } from '../../../central-server/storage/repository.ts';
import { freshDatabase, query } from '../../postgres/database.ts';
import { createOffice, startTestServer, type Office } from '../fixture.ts';
import { OfficeClient, totpCode } from './office-client.ts';

/*
 * Two servers on one PostgreSQL database, as behind nginx: a dashboard session opened on one is
 * accepted by the other, a TOTP code is taken once across both, and users added from the command
 * line beside the running servers keep the one audit chain intact.
 */
const PASSWORD = 'korrekt pferd batterie';
let office: Office;
let url: string;
let a: RunningServer;
let b: RunningServer;
let secret: string;
const clients: OfficeClient[] = [];

function client(server: RunningServer): OfficeClient {
  const c = new OfficeClient(server, `127.0.2.${clients.length + 1}`);
  clients.push(c);
  return c;
}

beforeAll(async () => {
  office = await createOffice({ issue: [] });
  url = await freshDatabase('office');
  a = await startTestServer(office, url, undefined, { publishDir: join(office.dir, 'pub-a') });
  b = await startTestServer(office, url, undefined, { publishDir: join(office.dir, 'pub-b') });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await a?.close();
  await b?.close();
  office.cleanup();
});

describe('office users and sessions on two servers', () => {
  it('a user added from the command line while both servers run can log in on either', async () => {
    const enrolment = await withOfficeUsers(url, (users) =>
      users.add({
        name: 'anna',
        role: 'admin',
        password: PASSWORD,
        actor: { name: 'test', via: 'cli' },
      }),
    );
    secret = enrolment.totpSecret;
    // a server writes after the command: its audit head catches up first
    await b.officeUsers.add({
      name: 'otto',
      role: 'operator',
      password: PASSWORD,
      actor: { name: 'test', via: 'cli' },
    });
    expect((await a.officeUsers.list()).map((u) => u.name)).toEqual(['anna', 'otto']);
  });

  it('a session opened on one server is accepted by the other, and a log-out there ends it', async () => {
    const onA = client(a);
    const code = totpCode(secret);
    expect((await onA.login('anna', PASSWORD, code)).status).toBe(303);
    const onB = client(b);
    const page = await onB.get('/office/users', { cookie: onA.cookieHeader() });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<strong>anna</strong>');
    // the code just used is refused by the other server too
    const replay = await client(b).login('anna', PASSWORD, code);
    expect(replay.status).toBe(401);
    // log out on B with A's cookie and A's CSRF token: A no longer knows the session
    const token = await onA.csrfToken();
    const out = await onB.post(
      '/office/logout',
      { _csrf: token },
      { origin: onB.origin, cookie: onA.cookieHeader() },
    );
    expect(out.status).toBe(303);
    expect((await onA.get('/office/users')).status).toBe(303);
  });

  it('every event of both servers and of the command sits in one intact audit chain', async () => {
    const rows = (await query<AuditRow>(url, 'SELECT * FROM "AuditEvent" ORDER BY "id"')).map(
      (r) => ({ ...r, at: new Date(r.at) }),
    );
    expect(verifyAuditChain(rows)).toBeNull();
    // each server also records the snapshots it published (RESULTS_PUBLISHED) in the same chain
    const published = rows.filter((r) => r.kind === 'RESULTS_PUBLISHED');
    expect(published.length).toBeGreaterThanOrEqual(2);
    expect(rows.filter((r) => r.kind !== 'RESULTS_PUBLISHED').map((r) => r.kind)).toEqual([
      'OFFICE_USER_ADDED',
      'OFFICE_USER_ADDED',
      'OFFICE_LOGIN',
      'OFFICE_LOGIN_FAILED',
      'OFFICE_LOGOUT',
    ]);
  });
});
