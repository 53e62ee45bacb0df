import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../election/index.ts';
import { signSignedData } from '../../pki/cms.ts';
import { toPem } from '../../pki/x509.ts';
import { createTestPki, tallyFor, type Station, type TestPki } from './fixtures.ts';

/**
 * OpenSSL is the independent judge: what our code signs, an auditor must be able to verify
 * with `openssl cms -verify` against root-ca.pem and crl.pem alone.
 * (OpenSSL 3.0's `cms` has no -CRLfile option; it reads CRLs from the -CAfile bundle.)
 */
let pki: TestPki;
let dir: string;

function write(name: string, data: string | Uint8Array): string {
  const file = join(dir, name);
  writeFileSync(file, data);
  return file;
}

function signedFiles(name: string, station: Station): { p7s: string; json: string } {
  const content = canonicalBytes(tallyFor(station.precinctId));
  const der = signSignedData({
    content,
    key: station.key,
    certificate: station.certificate,
    chain: [pki.issuing.certificate],
    signingTime: pki.now,
  });
  return { p7s: write(`${name}.p7s`, der), json: write(`${name}.json`, content) };
}

function cmsVerify(
  p7s: string,
  json: string,
  crlCheck = '-crl_check',
): { status: number; stderr: string } {
  const r = spawnSync(
    'openssl',
    [
      'cms',
      '-verify',
      '-inform',
      'DER',
      '-in',
      p7s,
      '-content',
      json,
      '-binary',
      '-CAfile',
      join(dir, 'trust.pem'),
      crlCheck,
      '-out',
      '/dev/null',
    ],
    { encoding: 'utf8' },
  );
  return { status: r.status ?? -1, stderr: r.stderr };
}

beforeAll(async () => {
  pki = await createTestPki(new Date());
  dir = mkdtempSync(join(tmpdir(), 'wk-openssl-'));
  write('root-ca.pem', pki.rootPem);
  write('crl.pem', pki.crlPem);
  write('trust.pem', pki.rootPem + pki.crlPem);
  write('issuing-ca.pem', toPem(pki.issuing.certificate.der, 'CERTIFICATE'));
});

describe('openssl cms -verify', () => {
  it('accepts a station’s SignedData with the CRL checked (leaf and whole chain)', () => {
    const { p7s, json } = signedFiles('valid', pki.station);
    expect(cmsVerify(p7s, json)).toMatchObject({ status: 0 });
    expect(cmsVerify(p7s, json, '-crl_check_all')).toMatchObject({ status: 0 });
  });

  it('refuses the same signature when one byte of the tally changed', () => {
    const { p7s, json } = signedFiles('tampered', pki.station);
    const bytes = Buffer.from(canonicalBytes(tallyFor(pki.station.precinctId)));
    bytes[bytes.indexOf('600') + 2] = '1'.charCodeAt(0);
    writeFileSync(json, bytes);
    const r = cmsVerify(p7s, json);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/verification failure/i);
  });

  it('refuses a revoked station', () => {
    const { p7s, json } = signedFiles('revoked', pki.revoked);
    const r = cmsVerify(p7s, json);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/revoked/i);
  });
});

describe('openssl verify -crl_check', () => {
  const verify = (station: Station) =>
    spawnSync(
      'openssl',
      [
        'verify',
        '-crl_check',
        '-CAfile',
        join(dir, 'root-ca.pem'),
        '-untrusted',
        join(dir, 'issuing-ca.pem'),
        '-CRLfile',
        join(dir, 'crl.pem'),
        write(`${station.precinctId}.pem`, toPem(station.certificate.der, 'CERTIFICATE')),
      ],
      { encoding: 'utf8' },
    );

  it('accepts a valid station certificate', () => {
    expect(verify(pki.station).status).toBe(0);
  });

  it('refuses a revoked one with "certificate revoked"', () => {
    const r = verify(pki.revoked);
    expect(r.status).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/certificate revoked/);
  });
});

describe('the station certificate profile as openssl reads it', () => {
  it('binds election and precinct in one URI SAN and allows report signing only', () => {
    const text = execFileSync(
      'openssl',
      [
        'x509',
        '-noout',
        '-text',
        '-in',
        write('station.pem', toPem(pki.station.certificate.der, 'CERTIFICATE')),
      ],
      { encoding: 'utf8' },
    );
    expect(text).toContain('URI:urn:wahlkoffer:test-election:station:p-1');
    expect(text).toMatch(/Key Usage: critical\s+Digital Signature\n/);
    expect(text).toContain('E-mail Protection');
    expect(text).toContain('2.25.61432992708035218431621589819984923125.1.1');
    expect(text).toMatch(/CA:FALSE/);
    expect(text).toContain('ecdsa-with-SHA256');
    expect(text).toContain('prime256v1');
  });
});
