import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../central-server/index.ts';
import { createOffice, openSession, startTestServer, urneReport, type Office } from './fixture.ts';
import { rawExchange, statusOf } from './hardening/http-client.ts';

/**
 * POST /api/v1/reports has a plain node:http path (a Content-Length, no encodings) in front of
 * the Express route (everything else, e.g. a chunked body). Both must answer alike: the same
 * status, code, security headers and connection handling, for every kind of request.
 */
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

type Parsed = {
  status: number;
  headers: Map<string, string>;
  body: { status?: string; sequence?: number; error?: { code: string; requestId: string } };
  closedByServer: boolean;
};

/** One request over its own connection, with a Content-Length (plain path) or chunked (Express). */
async function exchange(
  framing: 'length' | 'chunked',
  body: Buffer,
  headers: Record<string, string>,
): Promise<Parsed> {
  const lines = [
    'POST /api/v1/reports HTTP/1.1',
    `Host: ${new URL(server.url).host}`,
    'Content-Type: application/json',
    'Connection: close',
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
    framing === 'length' ? `Content-Length: ${body.length}` : 'Transfer-Encoding: chunked',
  ];
  const payload =
    framing === 'length'
      ? body
      : Buffer.concat([
          Buffer.from(`${body.length.toString(16)}\r\n`),
          body,
          Buffer.from('\r\n0\r\n\r\n'),
        ]);
  const { response, closedByServer } = await rawExchange(
    server.url,
    `${lines.join('\r\n')}\r\n\r\n`,
    { body: payload, timeoutMs: 10_000 },
  );
  const [head = '', text = ''] = response.split('\r\n\r\n');
  const parsedHeaders = new Map(
    head
      .split('\r\n')
      .slice(1)
      .map((l) => {
        const at = l.indexOf(':');
        return [l.slice(0, at).toLowerCase(), l.slice(at + 1).trim()] as const;
      }),
  );
  // a chunked answer is not expected: both paths send a Content-Length
  return {
    status: statusOf(response),
    headers: parsedHeaders,
    body: JSON.parse(text) as Parsed['body'],
    closedByServer,
  };
}

/** Headers whose values differ per answer by nature. */
const VARYING = new Set(['date', 'x-request-id', 'content-length']);

function expectAlike(plain: Parsed, express: Parsed): void {
  expect(plain.status).toBe(express.status);
  expect(plain.body.error?.code).toBe(express.body.error?.code);
  expect([...plain.headers.keys()].sort()).toEqual([...express.headers.keys()].sort());
  for (const [name, value] of express.headers) {
    if (!VARYING.has(name)) expect([name, plain.headers.get(name)]).toEqual([name, value]);
  }
  if (plain.body.error !== undefined) {
    expect(plain.body.error.requestId).toBe(plain.headers.get('x-request-id'));
  }
}

async function token(precinctId: string): Promise<string> {
  const session = await openSession(server, office.kits.get(precinctId)!);
  return session.body.token as string;
}

describe('the plain path of POST /api/v1/reports answers as the Express route does', () => {
  it('refuses a request without a session from the headers alike (TOKEN_MISSING, closed)', async () => {
    const body = Buffer.from('x'.repeat(1000));
    const plain = await exchange('length', body, {});
    const express = await exchange('chunked', body, {});
    expect(plain.status).toBe(401);
    expect(plain.body.error?.code).toBe('TOKEN_MISSING');
    expectAlike(plain, express);
    expect(plain.headers.get('connection')).toBe('close');
  });

  it('refuses a forged token alike', async () => {
    const headers = { authorization: 'Bearer not.a.token' };
    const plain = await exchange('length', Buffer.from('{}'), headers);
    const express = await exchange('chunked', Buffer.from('{}'), headers);
    expect(plain.status).toBeGreaterThanOrEqual(400);
    expectAlike(plain, express);
  });

  it('refuses an envelope that is not one, and an oversize body, alike', async () => {
    const headers = { authorization: `Bearer ${await token('P1')}` };
    for (const body of [Buffer.from('not an envelope'), Buffer.alloc(29 * 1024, 0x78)]) {
      const plain = await exchange('length', body, headers);
      const express = await exchange('chunked', body, headers);
      expectAlike(plain, express);
    }
  });

  it('accepts a report on the plain path and answers its repeat through Express alike', async () => {
    const headers = { authorization: `Bearer ${await token('P2')}` };
    const envelope = Buffer.from(
      await office.kits.get('P2')!.seal(urneReport('P2', [300, 250, 140])),
    );
    const plain = await exchange('length', envelope, headers);
    expect(plain.status).toBe(201);
    expect(plain.body.status).toBe('ACCEPTED');
    const express = await exchange('chunked', envelope, headers);
    expect(express.status).toBe(200);
    expect(express.body.sequence).toBe(plain.body.sequence);
    expectAlike({ ...plain, status: 200 }, express);
  });
});
