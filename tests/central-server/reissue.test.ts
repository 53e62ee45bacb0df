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
  urneReport,
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

describe('a kit re-issued during the day', () => {
  it('needs a new session: reports under the old session are refused (CERTIFICATE_MISMATCH)', async () => {
    const { body } = await openSession(server, office.kits.get('P1')!);
    const oldToken = body.token as string;
    const now = new Date();
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
    const { status, body: refused } = await submit(server, oldToken, envelope);
    expect(status).toBe(403);
    expect(refused.error?.code).toBe('CERTIFICATE_MISMATCH');
  });
});
