import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../central-server/index.ts';
import {
  createOffice,
  openSession,
  post,
  sessionRequest,
  startTestServer,
  totpAt,
  type Office,
} from './fixture.ts';

let office: Office;
let server: RunningServer;

beforeAll(async () => {
  office = await createOffice();
  server = await startTestServer(office);
});
afterAll(async () => {
  await server.close();
  office.cleanup();
});

const kit = (id: string) => office.kits.get(id)!;

describe('opening a station session', () => {
  it('gives a token bound to the precinct, valid through election night', async () => {
    const { status, body } = await openSession(server, kit('P1'));
    expect(status).toBe(201);
    expect(body.precinctId).toBe('P1');
    expect(typeof body.token).toBe('string');
    const expires = new Date(body.expiresAt as string);
    expect(expires.toISOString()).toMatch(/T12:00:00\.000Z$/);
    expect(expires.getTime()).toBeGreaterThan(Date.now() + 12 * 3600_000 - 24 * 3600_000);
  });

  it('accepts a TOTP code once only (TOTP_REPLAYED)', async () => {
    const code = totpAt(kit('P2'), new Date());
    expect((await openSession(server, kit('P2'), code)).status).toBe(201);
    const again = await openSession(server, kit('P2'), code);
    expect(again.status).toBe(401);
    expect(again.body.error?.code).toBe('TOTP_REPLAYED');
  });

  it('refuses a wrong TOTP code (TOTP_INVALID)', async () => {
    const wrong = String((Number(totpAt(kit('P3'), new Date())) + 1) % 1_000_000).padStart(6, '0');
    const { status, body } = await openSession(server, kit('P3'), wrong);
    expect(status).toBe(401);
    expect(body.error?.code).toBe('TOTP_INVALID');
  });

  it('refuses a challenge signed by another station’s key (SESSION_PROOF_INVALID)', async () => {
    const request = await sessionRequest(server, kit('B1'));
    const foreign = await sessionRequest(server, kit('P3'));
    const { status, body } = await post(`${server.url}/api/v1/sessions`, {
      ...request,
      signature: foreign.signature,
    });
    expect(status).toBe(401);
    expect(body.error?.code).toBe('SESSION_PROOF_INVALID');
  });

  it('refuses a forged or altered challenge (CHALLENGE_INVALID)', async () => {
    const request = await sessionRequest(server, kit('B1'));
    const { body } = await post(`${server.url}/api/v1/sessions`, {
      ...request,
      challenge: `${request.challenge}x`,
    });
    expect(body.error?.code).toBe('CHALLENGE_INVALID');
  });

  it('backs off after repeated wrong codes (SESSION_LOCKED with retryAfterSeconds)', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 7; i++) {
      const { body } = await openSession(server, kit('B1'), '000000');
      codes.push(body.error?.code ?? 'OK');
      if (body.error?.code === 'SESSION_LOCKED') {
        expect(
          (body.error as unknown as { retryAfterSeconds: number }).retryAfterSeconds,
        ).toBeGreaterThan(0);
        break;
      }
    }
    expect(codes.slice(0, 5)).toEqual(Array(5).fill('TOTP_INVALID'));
    expect(codes).toContain('SESSION_LOCKED');
    // even the right code waits until the back-off is over
    const right = await openSession(server, kit('B1'));
    expect(right.body.error?.code).toBe('SESSION_LOCKED');
  });

  it('refuses malformed requests with INVALID_REQUEST, never 500', async () => {
    for (const body of [
      {},
      { certificateChain: [], challenge: 'x', signature: 'x', totp: '1' },
      { certificateChain: ['!!'], challenge: 1 },
    ]) {
      const answer = await post(`${server.url}/api/v1/sessions`, body);
      expect(answer.status).toBe(400);
      expect(answer.body.error?.code).toBe('INVALID_REQUEST');
    }
  });

  it('refuses a revoked station (CERT_REVOKED)', async () => {
    await office.revoke('P3');
    await new Promise((r) => setTimeout(r, 2_100)); // the server re-reads crl.pem every 2 s
    const { status, body } = await openSession(
      server,
      kit('P3'),
      totpAt(kit('P3'), new Date(Date.now() + 30_000)),
    );
    expect(status).toBe(403);
    expect(body.error?.code).toBe('CERT_REVOKED');
  });
});
