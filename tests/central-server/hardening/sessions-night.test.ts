import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOffice,
  get,
  openSession,
  post,
  sessionRequest,
  startTestServer,
  submit,
  totpAt,
  urneReport,
  type Office,
} from '../fixture.ts';

let office: Office;
beforeAll(async () => {
  // P3 is not issued at the ceremony: it is issued during the night
  office = await createOffice({ issue: ['P1', 'P2', 'B1'] });
});
afterAll(() => office.cleanup());

const failedAttempts = (dbFile: string, precinctId: string) => {
  const db = new Database(dbFile, { readonly: true });
  try {
    return (
      db.prepare('SELECT failedAttempts FROM "Station" WHERE precinctId = ?').get(precinctId) as {
        failedAttempts: number;
      }
    ).failedAttempts;
  } finally {
    db.close();
  }
};

describe('a revoked kit’s session token', () => {
  it('reads nothing: the status endpoint checks the certificate against the CRL', async () => {
    const server = await startTestServer(office, join(office.dir, 'revoked.db'));
    try {
      const kit = office.kits.get('B1')!;
      const token = (await openSession(server, kit)).body.token as string;
      const status = () =>
        get(`${server.url}/api/v1/reports/B1/status`, { authorization: `Bearer ${token}` });
      expect((await status()).status).toBe(200);
      await office.revoke('B1');
      await server.reloadPki();
      const refused = await status();
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe('CERT_REVOKED');
      const report = await submit(server, token, 'refused before the body is read');
      expect(report.body.error?.code).toBe('CERT_REVOKED');
    } finally {
      await server.close();
    }
  });
});

describe('a kit that lost the answer to its session request', () => {
  it('gets the same answer for the same request, and is not counted as an attacker', async () => {
    const dbFile = join(office.dir, 'resend.db');
    const server = await startTestServer(office, dbFile);
    try {
      const kit = office.kits.get('P1')!;
      const request = await sessionRequest(server, kit);
      const first = await post(`${server.url}/api/v1/sessions`, request);
      const again = await post(`${server.url}/api/v1/sessions`, request);
      expect(first.status).toBe(201);
      expect(again.status).toBe(201);
      expect(again.body.token).toBe(first.body.token);
      // the same code with a new challenge is a replay: refused, but not a failed attempt
      const replay = await post(`${server.url}/api/v1/sessions`, {
        ...(await sessionRequest(server, kit)),
        totp: request.totp,
      });
      expect(replay.body.error?.code).toBe('TOTP_REPLAYED');
      expect(failedAttempts(dbFile, 'P1')).toBe(0);
    } finally {
      await server.close();
    }
  });
});

describe('a server clock that steps back', () => {
  it('gives clear refusals, never a 500', async () => {
    let offset = 0;
    const server = await startTestServer(
      office,
      join(office.dir, 'clock.db'),
      () => new Date(Date.now() + offset),
    );
    try {
      const kit = office.kits.get('P2')!;
      const sessionAt = Date.now();
      const token = (await openSession(server, kit, totpAt(kit, new Date(sessionAt)))).body
        .token as string;
      // The clock steps back behind the time the session's code was accepted (not behind the
      // wall clock, which a slow machine may have moved on by then).
      for (const back of [60_000, 10 * 60_000, 3_600_000]) {
        offset = sessionAt - back - Date.now();
        const opened = await post(`${server.url}/api/v1/sessions`, {
          ...(await sessionRequest(server, kit)),
          totp: totpAt(kit, new Date(sessionAt - back)),
        });
        expect(opened.status).toBe(503);
        expect(opened.body.error?.code).toBe('SERVER_CLOCK_BEHIND');
        const report = await submit(
          server,
          token,
          await kit.seal(urneReport('P2', [400, 350, 200])),
        );
        expect(report.status).toBeLessThan(500);
        const status = await get(`${server.url}/api/v1/reports/P2/status`, {
          authorization: `Bearer ${token}`,
        });
        expect(status.status).toBeLessThan(500);
      }
    } finally {
      await server.close();
    }
  });
});

describe('the station register follows the PKI directory while the server runs', () => {
  it('lets a kit issued during the night open its session at once', async () => {
    const server = await startTestServer(office, join(office.dir, 'issued.db'));
    try {
      const [kit] = (await office.issue(['P3'])).values();
      const opened = await openSession(server, kit!);
      expect(opened.status).toBe(201);
      expect(opened.body.precinctId).toBe('P3');
    } finally {
      await server.close();
    }
  });

  it('lets the replacement of a stolen kit in at once, without the thief’s lock-out', async () => {
    const dbFile = join(office.dir, 'replaced.db');
    const server = await startTestServer(office, dbFile);
    try {
      const stolen = office.kits.get('P2')!;
      for (let i = 0; i < 6; i++) await openSession(server, stolen, '000000');
      const locked = await openSession(server, stolen);
      expect(locked.body.error?.code).toBe('SESSION_LOCKED');
      await office.revoke('P2');
      const [replacement] = (await office.issue(['P2'])).values();
      const opened = await openSession(server, replacement!);
      expect(opened.status).toBe(201);
      expect(failedAttempts(dbFile, 'P2')).toBe(0);
    } finally {
      await server.close();
    }
  });

  it('no longer opens sessions for a certificate that was replaced (CERTIFICATE_SUPERSEDED)', async () => {
    // `pki issue` also revokes the replaced certificate; with the server's clock standing still
    // the server has not re-read that CRL yet, and the register alone must keep the old kit out
    const frozen = new Date();
    const server = await startTestServer(office, join(office.dir, 'superseded.db'), () => frozen);
    try {
      const old = office.kits.get('P1')!;
      await office.issue(['P1']);
      const refused = await post(`${server.url}/api/v1/sessions`, {
        ...(await sessionRequest(server, old)),
        totp: totpAt(old, frozen),
      });
      expect(refused.status).toBe(403);
      expect(refused.body.error?.code).toBe('CERTIFICATE_SUPERSEDED');
    } finally {
      await server.close();
    }
  });
});
