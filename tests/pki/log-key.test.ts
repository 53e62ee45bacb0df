import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  TEST_SCRYPT_COST,
  checkpointKeyFromCertificate,
  checkpointKeyFromText,
  createTrust,
  initPki,
  issueStations,
  loadServerMaterial,
  logOrigin,
  openBundle,
  openCa,
  parseCertificatePem,
  type ServerMaterial,
} from '../../pki/index.ts';
import { EMPTY_ROOT, noteKey, openCheckpoint, signCheckpoint } from '../../transparency/index.ts';
import { generateKeyPairSync } from 'node:crypto';
import { smallElection } from './fixtures.ts';

const now = new Date('2026-03-08T18:00:00Z');
let dir: string;
let out: string;
let server: ServerMaterial;

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'wk-logkey-'));
  dir = join(base, 'pki');
  out = join(base, 'out');
  await initPki({
    dir,
    election: smallElection,
    caPassphrase: 'ca passphrase for tests',
    serverUrl: 'https://wahl.example:8443',
    now,
    kdfCost: TEST_SCRYPT_COST,
  });
  await issueStations(await openCa(dir, 'ca passphrase for tests'), ['p-1'], {
    outDir: out,
    lettersDir: `${out}-letters`,
    now,
  });
  server = await loadServerMaterial(dir, now);
});

const origin = () => logOrigin('https://wahl.example:8443', smallElection.id);

describe('the checkpoint key made by the PKI ceremony', () => {
  it('is Ed25519, named after the log origin, and published as checkpoint.vkey', () => {
    expect(server.checkpoint.key.asymmetricKeyType).toBe('ed25519');
    expect(server.checkpoint.verifier.name).toBe(
      `wahl.example:8443/wahlkoffer/${smallElection.id}`,
    );
    const vkey = readFileSync(join(dir, 'checkpoint.vkey'), 'utf8').trim();
    expect(vkey).toMatch(new RegExp(`^${origin()}\\+[0-9a-f]{8}\\+[A-Za-z0-9+/]{44}$`));
  });

  it('signs checkpoints that verify offline from the certificate alone', () => {
    const note = signCheckpoint(
      { origin: origin(), size: 0, root: EMPTY_ROOT },
      server.checkpoint.key,
    );
    const trust = createTrust(readFileSync(join(dir, 'root-ca.pem'), 'utf8'));
    const issuing = parseCertificatePem(readFileSync(join(dir, 'issuing-ca.pem'), 'utf8'));
    const certificate = parseCertificatePem(
      readFileSync(join(dir, 'server', 'checkpoint-signing.pem'), 'utf8'),
    );
    const key = checkpointKeyFromCertificate(certificate, origin(), {
      trust,
      intermediates: [issuing.der],
      now,
    });
    expect(openCheckpoint(note, key).size).toBe(0);
  });

  it('has a certificate openssl accepts under the election root', () => {
    const out = execFileSync(
      'openssl',
      [
        'verify',
        '-attime',
        String(Math.floor(now.getTime() / 1000)),
        '-CAfile',
        join(dir, 'root-ca.pem'),
        '-untrusted',
        join(dir, 'issuing-ca.pem'),
        join(dir, 'server', 'checkpoint-signing.pem'),
      ],
      { encoding: 'utf8' },
    );
    expect(out).toContain(': OK');
  });

  it('is refused when checkpoint.vkey names another key than the certificate', () => {
    const other = noteKey(origin(), generateKeyPairSync('ed25519').publicKey);
    const vkey = readFileSync(join(dir, 'checkpoint.vkey'), 'utf8');
    expect(() => checkpointKeyFromText(vkey, other)).toThrow(
      expect.objectContaining({ code: 'STORE_MALFORMED' }),
    );
  });

  it('reaches every kit in its provisioning bundle', () => {
    const bundle = openBundle(readFileSync(join(out, 'p-1', 'bundle.json')), undefined, now);
    expect(bundle.checkpointSigning.publicKey.asymmetricKeyType).toBe('ed25519');
    expect(bundle.checkpointSigning.fingerprint).toBe(server.checkpoint.certificate.fingerprint);
  });

  it('cannot be a receipt or station certificate passed off as the checkpoint key', () => {
    const trust = createTrust(readFileSync(join(dir, 'root-ca.pem'), 'utf8'));
    expect(() =>
      checkpointKeyFromCertificate(server.receiptChain[0]!, origin(), {
        trust,
        intermediates: [server.receiptChain[1]!.der],
        now,
      }),
    ).toThrow(expect.objectContaining({ code: 'CERT_WRONG_USAGE' }));
  });
});
