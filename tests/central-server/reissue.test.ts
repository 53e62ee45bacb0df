import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../central-server/index.ts';
import { openBundle } from '../../pki/bundle.ts';
import { openCa } from '../../pki/ceremony.ts';
import { issueStations } from '../../pki/issue.ts';
import { TEST_SCRYPT_COST, decryptPrivateKey } from '../../pki/key-encryption.ts';
import { sealMeldung } from '../../pki/meldung.ts';
import {
  createOffice,
  openSession,
  startTestServer,
  submit,
  totpAt,
  urneReport,
  type Office,
} from './fixture.ts';

let office: Office;
let server: RunningServer;
// The server's clock stands still, so the server reads the new CRL only when it is told to
// (reloadPki) and not, by chance, when its periodic check falls due (CRL_CHECK_MS).
let now: Date;
beforeAll(async () => {
  office = await createOffice();
  now = new Date();
  server = await startTestServer(office, undefined, () => now);
});
afterAll(async () => {
  await server.close();
  office.cleanup();
});

describe('a kit re-issued during the day', () => {
  it('needs a new session: the old session does not take the new key’s reports (CERTIFICATE_MISMATCH), and once the new CRL is read it takes nothing (CERT_REVOKED)', async () => {
    const kit = office.kits.get('P1')!;
    const { body } = await openSession(server, kit, totpAt(kit, now));
    const oldToken = body.token as string;
    const outDir = join(office.dir, 'reissued');
    const {
      issued: [station],
      superseded,
    } = await issueStations(await openCa(office.pkiDir, 'test ca passphrase'), ['P1'], {
      outDir,
      lettersDir: join(office.dir, 'reissued-letters'),
      now,
      kdfCost: TEST_SCRYPT_COST,
      reissue: true,
    });
    expect(superseded.map((r) => r.precinctId)).toEqual(['P1']);
    const rootPem = readFileSync(join(office.pkiDir, 'root-ca.pem'), 'utf8');
    const bundle = openBundle(readFileSync(join(outDir, 'P1', 'bundle.json')), rootPem, now);
    const key = await decryptPrivateKey(bundle.content.station.encryptedKey, station!.passphrase);
    const envelope = await sealMeldung(urneReport('P1', [300, 250, 140]), {
      stationKey: key,
      stationCertificate: bundle.station,
      chain: [bundle.issuing],
      recipientCertificate: bundle.reportEncryption,
      now,
    });
    const mismatch = await submit(server, oldToken, envelope);
    expect(mismatch.status).toBe(403);
    expect(mismatch.body.error?.code).toBe('CERTIFICATE_MISMATCH');

    await server.reloadPki();
    const revoked = await submit(server, oldToken, envelope);
    expect(revoked.status).toBe(403);
    expect(revoked.body.error?.code).toBe('CERT_REVOKED');
  });
});
