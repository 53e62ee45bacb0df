import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClientError, StationClient } from '../../api/index.ts';
import { kitUrlWarnings, type RunningServer } from '../../central-server/index.ts';
import { createOffice, startTestServer, type Office } from './fixture.ts';

const rootOf = (office: Office) => readFileSync(join(office.pkiDir, 'root-ca.pem'), 'utf8');

async function failure(promise: Promise<unknown>): Promise<ApiClientError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiClientError);
  return error as ApiClientError;
}

/**
 * `openssl s_client` against the server (in this process, so never a synchronous spawn): the
 * handshake as a third party's standard tool sees it.
 */
function sClient(
  port: number,
  args: readonly string[],
): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      'openssl',
      ['s_client', '-connect', `127.0.0.1:${port}`, '-servername', '127.0.0.1', ...args],
      { stdio: ['pipe', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.stdin.end();
    child.on('close', (code) => resolve({ code, out }));
  });
}

describe('the server serves HTTPS with the TLS certificate the PKI issued (real server on port 0)', () => {
  let office: Office;
  let foreign: Office;
  let server: RunningServer;

  beforeAll(async () => {
    office = await createOffice({ serverUrl: 'https://127.0.0.1:8443' });
    foreign = await createOffice({ serverUrl: 'https://127.0.0.1:8443' });
    server = await startTestServer(office, undefined, undefined, { plainHttp: false });
  }, 60_000);

  afterAll(async () => {
    await server?.close();
    office?.cleanup();
    foreign?.cleanup();
  });

  it('listens on an https:// URL and answers a client that pins the office’s root', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const client = new StationClient({ serverUrl: server.url, rootCaPem: rootOf(office) });
    try {
      expect((await client.health()).status).toBe('ok');
    } finally {
      await client.close();
    }
  });

  describe('when the client pins another root', () => {
    it('refuses the server: TLS_REFUSED, not something to send again', async () => {
      const client = new StationClient({ serverUrl: server.url, rootCaPem: rootOf(foreign) });
      try {
        const error = await failure(client.health());
        expect(error.code).toBe('TLS_REFUSED');
        expect(error.retryable).toBe(false);
        expect(error.messages.de).toMatch(/Wahl-PKI/);
      } finally {
        await client.close();
      }
    });

    it('refuses it as well with only the system’s roots (nothing outside the election PKI is trusted, nor is it by others)', async () => {
      const client = new StationClient({ serverUrl: server.url });
      try {
        expect((await failure(client.health())).code).toBe('TLS_REFUSED');
      } finally {
        await client.close();
      }
    });
  });

  it('chains to the root for openssl, with TLS 1.2 or later only', async () => {
    const port = server.port;
    const ok = await sClient(port, [
      '-CAfile',
      join(office.pkiDir, 'root-ca.pem'),
      '-verify_return_error',
    ]);
    expect(ok.out).toMatch(/Verify return code: 0 \(ok\)/);
    expect(ok.out).toMatch(/Protocol\s*:\s*TLSv1\.3|New, TLSv1\.3/);
    const tls12 = await sClient(port, [
      '-tls1_2',
      '-CAfile',
      join(office.pkiDir, 'root-ca.pem'),
      '-verify_return_error',
    ]);
    expect(tls12.out).toMatch(/Verify return code: 0 \(ok\)/);
    expect(tls12.out).toMatch(/ECDHE-ECDSA-AES(256|128)-GCM-SHA(384|256)/);
    const wrongRoot = await sClient(port, [
      '-CAfile',
      join(foreign.pkiDir, 'root-ca.pem'),
      '-verify_return_error',
    ]);
    expect(wrongRoot.code).not.toBe(0);
    const old = await sClient(port, ['-tls1_1', '-CAfile', join(office.pkiDir, 'root-ca.pem')]);
    expect(old.code).not.toBe(0);
  });

  it('gives no answer to plain HTTP on its port', async () => {
    const client = new StationClient({ serverUrl: server.url.replace('https:', 'http:') });
    try {
      const error = await failure(client.health());
      expect(['NETWORK_FAILED', 'REPLY_MALFORMED']).toContain(error.code);
    } finally {
      await client.close();
    }
  });

  it('an https:// client refuses a plain-HTTP server as not TLS', async () => {
    const plain = await startTestServer(office, join(office.dir, 'plain.db'));
    const client = new StationClient({
      serverUrl: plain.url.replace('http:', 'https:'),
      rootCaPem: rootOf(office),
    });
    try {
      expect((await failure(client.health())).code).toBe('TLS_REFUSED');
    } finally {
      await client.close();
      await plain.close();
    }
  });
});

describe('the URL in the bundles and what the server serves', () => {
  it('agree: no warning', () => {
    expect(
      kitUrlWarnings('https://wahl.example.de:8443', { plainHttp: false, port: 8443 }),
    ).toEqual([]);
    expect(kitUrlWarnings('https://wahl.example.de', { plainHttp: true, port: 8080 })).toEqual([]);
  });

  it('warn when the kits were given http:// but the server speaks HTTPS', () => {
    const [w] = kitUrlWarnings('http://127.0.0.1:8080', { plainHttp: false, port: 8080 });
    expect(w?.en).toMatch(/serves HTTPS/);
    expect(w?.de).toMatch(/--plain-http/);
  });

  it('warn when the kits’ port is not the port served', () => {
    const [w] = kitUrlWarnings('https://wahl.example.de', { plainHttp: false, port: 8443 });
    expect(w?.en).toMatch(/port 443.*--port 443/);
  });
});
