import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../central-server/index.ts';
import { createOffice, openSession, startTestServer, type Office } from '../fixture.ts';
import { rawExchange, statusOf } from './http-client.ts';

let office: Office;
let server: RunningServer;
beforeAll(async () => {
  office = await createOffice({ issue: ['P1'] });
  server = await startTestServer(office, undefined, undefined, {
    headersTimeoutMs: 500,
    requestTimeoutMs: 1_000,
    keepAliveTimeoutMs: 500,
  });
});
afterAll(async () => {
  await server.close();
  office.cleanup();
});

const host = () => `Host: ${new URL(server.url).host}\r\n`;

describe('slow clients cannot hold connections', () => {
  it('closes a connection whose headers never finish (headers timeout)', async () => {
    // one header line every 200 ms, for ever: the server must hang up
    const drip = Array.from({ length: 500 }, (_, i) => `X-Slow-${i}: 1\r\n`);
    const { closedByServer } = await rawExchange(server.url, `GET /healthz HTTP/1.1\r\n${host()}`, {
      drip,
      timeoutMs: 60_000,
    });
    expect(closedByServer).toBe(true);
  });

  it('answers 408 and closes when a session sends only part of its body (request timeout)', async () => {
    const { body } = await openSession(server, office.kits.get('P1')!);
    const head =
      `POST /api/v1/reports HTTP/1.1\r\n${host()}Content-Type: application/jose\r\n` +
      `Authorization: Bearer ${String(body.token)}\r\nContent-Length: 5000\r\n\r\n`;
    const { response, closedByServer } = await rawExchange(server.url, head, {
      body: Buffer.alloc(100, 0x41),
      timeoutMs: 60_000,
    });
    expect(closedByServer).toBe(true);
    expect([0, 408]).toContain(statusOf(response));
  });

  it('closes an idle keep-alive connection', async () => {
    const { response, closedByServer } = await rawExchange(
      server.url,
      `GET /healthz HTTP/1.1\r\n${host()}Connection: keep-alive\r\n\r\n`,
      { timeoutMs: 60_000 },
    );
    expect(statusOf(response)).toBe(200);
    expect(closedByServer).toBe(true);
  });
});
