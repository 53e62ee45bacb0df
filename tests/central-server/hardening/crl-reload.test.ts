import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../central-server/index.ts';
import { createOffice, get, openSession, startTestServer, type Office } from '../fixture.ts';

let office: Office;
let server: RunningServer;
beforeAll(async () => {
  office = await createOffice({ issue: ['P1', 'P2'] });
  server = await startTestServer(office);
});
afterAll(async () => {
  await server.close();
  office.cleanup();
});

type Health = {
  status: string;
  crl: { lists: { number: number }[]; lastError: { code: string } | null };
};
const health = async () => (await get(`${server.url}/healthz`)).body as unknown as Health;

describe('following crl.pem while the server runs', () => {
  it('refuses an older CRL put back (cRLNumber not increasing), keeps the newer one, shows it', async () => {
    const crlFile = join(office.pkiDir, 'crl.pem');
    const before = join(office.dir, 'crl-before.pem');
    copyFileSync(crlFile, before);
    await office.revoke('P1');
    const reloaded = await server.reloadPki();
    expect(reloaded.crl.lastError).toBeNull();
    expect((await openSession(server, office.kits.get('P1')!)).body.error?.code).toBe(
      'CERT_REVOKED',
    );
    copyFileSync(before, crlFile); // the CRL from before the revocation, validly signed
    const refused = await server.reloadPki();
    expect(refused.crl.lastError?.code).toBe('CRL_NOT_NEWER');
    const shown = await health();
    expect(shown.status).toBe('degraded');
    expect(shown.crl.lastError?.code).toBe('CRL_NOT_NEWER');
    expect((await openSession(server, office.kits.get('P1')!)).body.error?.code).toBe(
      'CERT_REVOKED',
    );
  });

  it('keeps the CRL in force when crl.pem is unreadable, and says so in /healthz', async () => {
    writeFileSync(join(office.pkiDir, 'crl.pem'), 'not a CRL');
    const refused = await server.reloadPki();
    expect(refused.crl.lastError?.code).toBe('CRL_INVALID');
    expect((await health()).crl.lastError?.code).toBe('CRL_INVALID');
    expect((await openSession(server, office.kits.get('P2')!)).status).toBe(201);
  });
});
