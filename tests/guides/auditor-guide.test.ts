import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { firstUrnenwahlbezirke, generateElection, onDate } from '../../election/index.ts';
import {
  TEST_SCRYPT_COST,
  decryptEnvelope,
  initPki,
  issueStations,
  loadServerMaterial,
  loadStationBundle,
  openCa,
  parseSignedData,
  revokeStation,
  sealMeldung,
} from '../../pki/index.ts';
import { runGuide, stopAllBlocks } from './guide-runner.ts';

const sandbox = mkdtempSync(path.join(tmpdir(), 'wk-auditor-guide-'));
afterAll(async () => {
  await stopAllBlocks();
  rmSync(sandbox, { recursive: true, force: true });
});

const CA_PASSPHRASE = 'auditor guide test passphrase';

/**
 * What an auditor receives, made as the office makes it: a PKI, two reports as `.p7s`/`.json`
 * (`wahlkoffer open` writes the same bytes), then the kit of stb-01001 revoked after it
 * reported, and root-ca.pem, crl.pem and crls/ handed over (docs/guides/office.md).
 */
async function auditorsFolder(office: string, auditor: string): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  const election = onDate(firstUrnenwahlbezirke(generateElection('munich-kw2020', 5), 2), today);
  const pki = path.join(office, 'pki');
  await initPki({
    dir: pki,
    election: election.definition,
    caPassphrase: CA_PASSPHRASE,
    serverUrl: 'https://127.0.0.1:8443',
    now: new Date(),
    kdfCost: TEST_SCRYPT_COST,
  });
  const kits = path.join(office, 'kits');
  const { issued } = await issueStations(
    await openCa(pki, CA_PASSPHRASE),
    ['stb-01001', 'stb-01002'],
    {
      outDir: kits,
      lettersDir: path.join(office, 'letters'),
      now: new Date(),
    },
  );
  const server = await loadServerMaterial(pki);
  mkdirSync(auditor, { recursive: true });
  for (const station of issued) {
    const bundle = readFileSync(path.join(kits, station.precinctId, 'bundle.json'));
    const kit = await loadStationBundle(bundle, station.passphrase, { now: new Date() });
    const tally = [...election.tallies()].find((t) => t.precinctId === station.precinctId)!;
    const sealed = await sealMeldung(tally, { ...kit, now: new Date() });
    const signedData = await decryptEnvelope(sealed, server.decryptionKey);
    writeFileSync(path.join(auditor, `${station.precinctId}.p7s`), signedData);
    writeFileSync(
      path.join(auditor, `${station.precinctId}.json`),
      parseSignedData(signedData).content,
    );
  }
  // the theft is noticed later: the CRL that revokes the kit is published after the signing second
  const signedSecond = Math.floor(Date.now() / 1000);
  while (Math.floor(Date.now() / 1000) === signedSecond)
    await new Promise((r) => setTimeout(r, 50));
  await revokeStation(
    await openCa(pki, CA_PASSPHRASE),
    { precinctId: 'stb-01001' },
    'keyCompromise',
    new Date(),
  );
  for (const f of ['root-ca.pem', 'crl.pem', 'crls']) {
    cpSync(path.join(pki, f), path.join(auditor, f), { recursive: true });
  }
}

describe('docs/guides/auditor.md', () => {
  it('runs as written: fingerprint, verification, a revoked kit’s report at its signing time', async () => {
    const auditor = path.join(sandbox, 'home', 'auditor');
    await auditorsFolder(path.join(sandbox, 'office'), auditor);
    const runs = await runGuide({ guide: 'docs/guides/auditor.md', sandbox, cwd: auditor });
    expect(runs.map((r) => r.code)).toContain(4);
  }, 300_000);
});
