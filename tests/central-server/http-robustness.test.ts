import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../central-server/index.ts';
import { createOffice, get, openSession, startTestServer, type Office } from './fixture.ts';

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

async function raw(path: string, init: RequestInit) {
  const res = await fetch(`${server.url}${path}`, init);
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: JSON.parse(text) as {
      error?: { code: string; requestId: string; message: string; messageEn: string };
    },
  };
}

describe('hostile or broken HTTP input', () => {
  it('turns bad JSON into INVALID_JSON (400) with a request id and both languages', async () => {
    const { status, body, headers } = await raw('/api/v1/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"certificateChain": [',
    });
    expect(status).toBe(400);
    expect(body.error?.code).toBe('INVALID_JSON');
    expect(body.error?.requestId).toBe(headers.get('x-request-id'));
    expect(body.error?.message).not.toBe(body.error?.messageEn);
  });

  it('refuses an oversize body with PAYLOAD_TOO_LARGE (413), on both POST routes', async () => {
    const big = JSON.stringify({ x: 'a'.repeat(300 * 1024) });
    const session = await openSession(server, office.kits.get('P2')!);
    const token = session.body.token as string;
    for (const path of ['/api/v1/sessions', '/api/v1/reports']) {
      const { status, body } = await raw(path, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: big,
      });
      expect(status).toBe(413);
      expect(body.error?.code).toBe('PAYLOAD_TOO_LARGE');
    }
  });

  it('refuses a session request that is not JSON (UNSUPPORTED_MEDIA_TYPE)', async () => {
    const { status, body } = await raw('/api/v1/sessions', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    expect(status).toBe(415);
    expect(body.error?.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('answers unknown routes and methods with NOT_FOUND', async () => {
    expect((await raw('/api/v2/nothing', { method: 'GET' })).body.error?.code).toBe('NOT_FOUND');
    expect((await raw('/api/v1/results', { method: 'DELETE' })).body.error?.code).toBe('NOT_FOUND');
  });

  it('never answers 500 to a spray of malformed requests', async () => {
    const bodies = [
      '',
      'null',
      '[]',
      '"x"',
      '{"__proto__":{"a":1}}',
      '\u00ff\u00fe',
      '{'.repeat(5000),
      '1e999999',
    ];
    const paths = ['/api/v1/sessions', '/api/v1/reports', '/api/v1/sessions/challenge'];
    for (const path of paths) {
      for (const body of bodies) {
        const res = await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
          body,
        });
        expect(res.status, `${path} ${body.slice(0, 20)}`).toBeLessThan(500);
        await res.arrayBuffer();
      }
    }
    const statusPaths = [
      '/api/v1/reports/%00/status',
      '/api/v1/reports/' + 'x'.repeat(500) + '/status',
      '/api/v1/reports/P1/status',
    ];
    for (const path of statusPaths) {
      const res = await fetch(`${server.url}${path}`, { headers: { authorization: 'Bearer ...' } });
      expect(res.status).toBeLessThan(500);
      await res.arrayBuffer();
    }
  });

  it('refuses a malformed precinct id in the status path (INVALID_REQUEST)', async () => {
    const { body } = await openSession(server, office.kits.get('P1')!);
    const res = await get(`${server.url}/api/v1/reports/${'%2E'.repeat(3)}x/status`, {
      authorization: `Bearer ${body.token as string}`,
    });
    expect(res.body.error?.code).toMatch(/INVALID_REQUEST|PRECINCT_FORBIDDEN/);
  });

  it('serves health, results and the OpenAPI document without a session, with security headers', async () => {
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('x-content-type-options')).toBe('nosniff');
    expect(health.headers.get('x-powered-by')).toBeNull();
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    expect((await get(`${server.url}/api/openapi.json`)).body.openapi).toBe('3.1.0');
    expect((await get(`${server.url}/api/v1/results`)).status).toBe(200);
  });
});
