import { spawnSync } from 'node:child_process';
import { KeyObject, createHash } from 'node:crypto';
import {
  chmodSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateSync } from 'otplib';
import {
  TEST_SCRYPT_COST,
  initPki,
  issueStations,
  loadReceiptSigner,
  loadServerMaterial,
  loadStationBundle,
  loadVerifierMaterial,
  openBundle,
  openCa,
  openMeldung,
  revokeStation,
  sealMeldung,
  signBundle,
  type IssuedStation,
} from '../../pki/index.ts';
import { canonicalBytes, validateElectionDefinition } from '../../election/index.ts';
import { smallElection, tallyFor } from './fixtures.ts';

const now = new Date('2026-03-08T18:00:00Z');
let dir: string;
let out: string;
let letters: string;
let issued: IssuedStation[];
let rootCrlAtInit: string;

async function makePki(into: string): Promise<void> {
  await initPki({
    dir: into,
    election: smallElection,
    caPassphrase: 'ca passphrase for tests',
    serverUrl: 'https://wahl.example:8443',
    now,
    kdfCost: TEST_SCRYPT_COST,
  });
}

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'wk-store-'));
  dir = join(base, 'pki');
  out = join(base, 'out');
  letters = join(base, 'letters');
  await makePki(dir);
  rootCrlAtInit = readFileSync(join(dir, 'crl.pem'), 'utf8').split('-----END X509 CRL-----')[1]!;
  // after the ceremony the root key goes offline: nothing below may need it
  rmSync(join(dir, 'private', 'root-ca.key.json'));
  const ca = await openCa(dir, 'ca passphrase for tests');
  ({ issued } = await issueStations(ca, ['p-1', 'p-2', 'p-3'], {
    outDir: out,
    lettersDir: letters,
    now,
  }));
});

const bundleOf = (precinctId: string) => readFileSync(join(out, precinctId, 'bundle.json'));
const secretOf = (precinctId: string) => issued.find((s) => s.precinctId === precinctId)!;

describe('pki init', () => {
  it('lays out the directory for auditors and keeps keys private', () => {
    for (const f of [
      'root-ca.pem',
      'crl.pem',
      'issuing-ca.pem',
      'stations.json',
      'election.json',
    ]) {
      expect(statSync(join(dir, f)).isFile()).toBe(true);
    }
    expect(readFileSync(join(dir, 'crl.pem'), 'utf8').match(/BEGIN X509 CRL/g)).toHaveLength(2);
    expect(statSync(join(dir, 'server', 'report-encryption.key.pem')).mode & 0o777).toBe(0o600);
    expect(readFileSync(join(dir, 'private', 'issuing-ca.key.json'), 'utf8')).toContain('"scrypt"');
  });

  it('refuses to overwrite an existing PKI', async () => {
    await expect(makePki(dir)).rejects.toMatchObject({ code: 'STORE_EXISTS' });
  });

  it('refuses a server key that other users can read, as ssh refuses such a private key', async () => {
    const key = join(dir, 'server', 'receipt-signing.key.pem');
    chmodSync(key, 0o640);
    try {
      await expect(loadServerMaterial(dir, now)).rejects.toMatchObject({
        code: 'SECRET_FILE_EXPOSED',
      });
    } finally {
      chmodSync(key, 0o600);
    }
  });

  it('refuses a wrong CA passphrase with a code', async () => {
    await expect(openCa(dir, 'not the passphrase')).rejects.toMatchObject({
      code: 'KEY_DECRYPTION_FAILED',
    });
  });
});

describe('a station provisioned by pki issue', () => {
  it('unlocks its bundle with the letter passphrase in any case and separator style', async () => {
    const spoken = secretOf('p-1').passphrase.toUpperCase().replace(/-/g, '  ');
    const station = await loadStationBundle(bundleOf('p-1'), spoken, { now });
    expect(station.precinctId).toBe('p-1');
    expect(station.serverUrl).toBe('https://wahl.example:8443');
  });

  it('refuses a wrong passphrase, and a malformed one before running the KDF', async () => {
    const words = secretOf('p-1').passphrase.split('-');
    const wrong = [...words.slice(0, 4), words[4] === 'abend' ? 'abort' : 'abend'].join(' ');
    await expect(loadStationBundle(bundleOf('p-1'), wrong, { now })).rejects.toMatchObject({
      code: 'KEY_DECRYPTION_FAILED',
    });
    await expect(loadStationBundle(bundleOf('p-1'), '123456', { now })).rejects.toMatchObject({
      code: 'PASSPHRASE_MALFORMED',
    });
  });

  it('seals a report that the server opens with the material from the PKI directory', async () => {
    const station = await loadStationBundle(bundleOf('p-2'), secretOf('p-2').passphrase, { now });
    const envelope = await sealMeldung(tallyFor('p-2'), { ...station, now });
    const server = await loadServerMaterial(dir, now);
    const opened = await openMeldung(envelope, {
      decryptionKey: server.decryptionKey,
      trust: server.trust,
      crl: server.crl,
      now,
    });
    expect(opened.signer.serial).toBe(secretOf('p-2').serial);
    expect(server.stations.get('p-2')?.fingerprint).toBe(opened.signer.fingerprint);
  });

  it('gives the threads that open envelopes no signing key, and the receipt signer only its own', async () => {
    const verifier = await loadVerifierMaterial(dir, now);
    const station = await loadStationBundle(bundleOf('p-3'), secretOf('p-3').passphrase, { now });
    const opened = await openMeldung(await sealMeldung(tallyFor('p-3'), { ...station, now }), {
      ...verifier,
      now,
    });
    expect(opened.signer.serial).toBe(secretOf('p-3').serial);
    const keys = Object.values(verifier).filter((v) => v instanceof KeyObject);
    expect(keys.map((k) => k.asymmetricKeyType)).toEqual(['ec']); // the report-decryption key alone
    expect(keys[0]!.equals((await loadServerMaterial(dir, now)).decryptionKey)).toBe(true);

    const receipt = await loadReceiptSigner(dir);
    const server = await loadServerMaterial(dir, now);
    expect(receipt.electionId).toBe(server.electionId);
    expect(receipt.key.equals(server.receiptKey)).toBe(true);
    expect(receipt.chain.map((c) => c.fingerprint)).toEqual(
      server.receiptChain.map((c) => c.fingerprint),
    );
  });

  it('gives the server (and only the server) the TOTP secret of the letter', async () => {
    const server = await loadServerMaterial(dir, now);
    const secret = await server.stationSecret('p-1');
    expect(secret).toBe(secretOf('p-1').totpSecret);
    const letter = readFileSync(join(letters, 'p-1.html'), 'utf8');
    expect(letter).toContain(`secret=${secret}`);
    expect(statSync(join(letters, 'p-1.html')).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(out, 'p-1'))).toEqual(['bundle.json']);
    expect(letter).toContain('<svg');
    expect(bundleOf('p-1').toString('utf8')).not.toContain(secret);
    expect(generateSync({ secret })).toMatch(/^\d{6}$/);
  });
});

describe('a provisioning bundle', () => {
  it('is refused when tampered with', () => {
    const file = JSON.parse(bundleOf('p-1').toString('utf8')) as {
      format: string;
      signedData: string;
    };
    const der = Buffer.from(file.signedData, 'base64');
    const at = der.indexOf(Buffer.from('https://wahl.example:8443'));
    der.write('https://evil.example:8443', at, 'ascii');
    const tampered = Buffer.from(JSON.stringify({ ...file, signedData: der.toString('base64') }));
    expect(() => openBundle(tampered, readFileSync(join(dir, 'root-ca.pem'), 'utf8'), now)).toThrow(
      expect.objectContaining({ code: 'BUNDLE_SIGNATURE_INVALID' }),
    );
  });

  it('is refused when it comes from another election office (foreign root)', async () => {
    const other = join(mkdtempSync(join(tmpdir(), 'wk-other-')), 'pki');
    await makePki(other);
    const foreignRoot = readFileSync(join(other, 'root-ca.pem'), 'utf8');
    expect(() => openBundle(bundleOf('p-1'), foreignRoot, now)).toThrow(
      expect.objectContaining({ code: 'CERT_UNTRUSTED' }),
    );
  });

  it('carries only its station’s excerpt of the election, tied to the whole by its hash', () => {
    const opened = openBundle(bundleOf('p-1'), undefined, now);
    expect(opened.content.format).toBe('wahlkoffer.bundle-content/2');
    expect(opened.election.precincts.map((p) => p.id)).toContain('p-1');
    expect(opened.election.precincts.map((p) => p.id)).not.toContain('p-2');
    expect(validateElectionDefinition(opened.election)).toEqual([]);
    expect(opened.content.electionSha256).toBe(
      createHash('sha256').update(canonicalBytes(smallElection)).digest('hex'),
    );
  });

  it('is refused when its excerpt lacks its own precinct, even if properly signed', async () => {
    const ca = await openCa(dir, 'ca passphrase for tests');
    const { content } = openBundle(bundleOf('p-1'), undefined, now);
    const other = openBundle(bundleOf('p-2'), undefined, now).election;
    const resigned = signBundle(
      {
        ...content,
        election: { ...other, precincts: other.precincts.filter((p) => p.id !== 'p-1') },
      },
      { ...ca.provisioning, chain: [ca.issuing.certificate] },
      now,
    );
    expect(() => openBundle(resigned, undefined, now)).toThrow(
      expect.objectContaining({ code: 'BUNDLE_MALFORMED' }),
    );
  });

  it('is refused when it is not a bundle at all', () => {
    expect(() => openBundle(Buffer.from('{"format":"x"'), undefined, now)).toThrow(
      expect.objectContaining({ code: 'BUNDLE_MALFORMED' }),
    );
  });
});

describe('pki revoke', () => {
  it('puts the station on the CRL, and the server refuses its reports after reloading crl.pem', async () => {
    const station = await loadStationBundle(bundleOf('p-3'), secretOf('p-3').passphrase, { now });
    const envelope = await sealMeldung(tallyFor('p-3'), { ...station, now });
    const server = await loadServerMaterial(dir, now);
    await openMeldung(envelope, {
      decryptionKey: server.decryptionKey,
      trust: server.trust,
      crl: server.crl,
      now,
    });

    const later = new Date(now.getTime() + 60_000);
    const record = await revokeStation(
      await openCa(dir, 'ca passphrase for tests'),
      { precinctId: 'p-3' },
      'keyCompromise',
      later,
    );
    expect(record).toMatchObject({ status: 'REVOKED', reason: 'keyCompromise' });
    const crl = await server.reloadCrl(later);
    await expect(
      openMeldung(envelope, {
        decryptionKey: server.decryptionKey,
        trust: server.trust,
        crl,
        now: later,
      }),
    ).rejects.toMatchObject({ code: 'CERT_REVOKED' });
    // the root's CRL was copied, not re-signed: the root key stayed offline
    const crlPem = readFileSync(join(dir, 'crl.pem'), 'utf8');
    expect(crlPem.match(/BEGIN X509 CRL/g)).toHaveLength(2);
    expect(crlPem.split('-----END X509 CRL-----')[1]).toBe(rootCrlAtInit);
    const register = JSON.parse(readFileSync(join(dir, 'stations.json'), 'utf8')) as {
      certificates: { precinctId: string; status: string }[];
    };
    expect(register.certificates.find((r) => r.precinctId === 'p-3')?.status).toBe('REVOKED');
  });

  it('refuses an unknown serial with a code', async () => {
    await expect(
      revokeStation(
        await openCa(dir, 'ca passphrase for tests'),
        { serial: '0badc0de' },
        'unspecified',
        now,
      ),
    ).rejects.toMatchObject({ code: 'UNKNOWN_SERIAL' });
  });

  it('refuses to issue again for a precinct with a valid certificate, and revokes nothing', async () => {
    const crlBefore = readFileSync(join(dir, 'crl.pem'), 'utf8');
    const registerBefore = readFileSync(join(dir, 'stations.json'), 'utf8');
    const ca = await openCa(dir, 'ca passphrase for tests');
    await expect(
      issueStations(ca, ['p-2', 'p-1'], { outDir: join(out, 'again'), lettersDir: letters, now }),
    ).rejects.toMatchObject({ code: 'ALREADY_ISSUED' });
    expect(readFileSync(join(dir, 'crl.pem'), 'utf8')).toBe(crlBefore);
    expect(readFileSync(join(dir, 'stations.json'), 'utf8')).toBe(registerBefore);
  });

  it('issues again with reissue, naming and revoking the superseded certificate', async () => {
    const ca = await openCa(dir, 'ca passphrase for tests');
    const {
      issued: [again],
      superseded,
    } = await issueStations(ca, ['p-1'], {
      outDir: join(out, 'again'),
      lettersDir: letters,
      now,
      reissue: true,
    });
    expect(superseded).toEqual([
      expect.objectContaining({ precinctId: 'p-1', serial: secretOf('p-1').serial }),
    ]);
    const server = await loadServerMaterial(dir, now);
    expect(server.stations.get('p-1')?.serial).toBe(again!.serial);
    const old = server.crl.lists.some((l) => l.revoked.has(secretOf('p-1').serial));
    expect(old).toBe(true);
    writeFileSync(join(out, 'done'), '');
  });

  it('keeps every published CRL under crls/ with its number', () => {
    const history = readdirSync(join(dir, 'crls')).sort();
    // init (1), revoke p-3 (2), reissue p-1 (3); the refused run published nothing
    expect(history).toEqual(['crl-000001.pem', 'crl-000002.pem', 'crl-000003.pem']);
    expect(readFileSync(join(dir, 'crls', 'crl-000003.pem'), 'utf8')).toBe(
      readFileSync(join(dir, 'crl.pem'), 'utf8'),
    );
    const numbers = history.map((f) =>
      describeCrlNumber(readFileSync(join(dir, 'crls', f), 'utf8')),
    );
    expect(numbers).toEqual([1, 2, 3]);
  });
});

/** The issuing CA's CRL number, as openssl reads it from the first CRL of a PEM file. */
function describeCrlNumber(pem: string): number {
  const first = `${pem.split('-----END X509 CRL-----')[0]}-----END X509 CRL-----\n`;
  const out = spawnSync('openssl', ['crl', '-noout', '-crlnumber'], {
    input: first,
    encoding: 'utf8',
  });
  return Number.parseInt(/crlNumber=(?:0x)?([0-9A-Fa-f]+)/.exec(out.stdout)![1]!, 16);
}
