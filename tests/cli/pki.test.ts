import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { smallElection, tallyFor } from '../pki/fixtures.ts';
import { runWahlkoffer } from './run-wahlkoffer.ts';

/**
 * The office's workflow through the real `wahlkoffer` program: ceremony, issuing, sealing as a
 * station, opening at the office, revoking — with openssl as the independent judge.
 */
let w: string;
const f = (name: string) => join(w, name);
let secrets: Record<string, { passphrase: string; totpSecret: string }>;

beforeAll(async () => {
  w = mkdtempSync(join(tmpdir(), 'wk-cli-pki-'));
  writeFileSync(f('election.json'), JSON.stringify(smallElection));
  writeFileSync(f('ca.pass'), 'a long CA passphrase\n');
  writeFileSync(f('tally.json'), JSON.stringify(tallyFor('p-1')));
  const init = await runWahlkoffer([
    'pki',
    'init',
    '--dir',
    f('pki'),
    '--election',
    f('election.json'),
    '--ca-passphrase-file',
    f('ca.pass'),
    '--insecure-test-kdf',
  ]);
  expect(init.code, init.stderr).toBe(0);
  const issue = await runWahlkoffer([
    'pki',
    'issue',
    '--dir',
    f('pki'),
    '--ca-passphrase-file',
    f('ca.pass'),
    '--all',
    '--out',
    f('out'),
    '--reveal-secrets',
    f('secrets.json'),
  ]);
  expect(issue.code, issue.stderr).toBe(0);
  expect(issue.stdout).toContain('issued 3 station certificates');
  secrets = JSON.parse(readFileSync(f('secrets.json'), 'utf8')) as typeof secrets;
  writeFileSync(f('p1.pass'), `${secrets['p-1']!.passphrase.replace(/-/g, ' ')}\n`);
}, 60_000);

describe('wahlkoffer seal and open', () => {
  it('seals as a station, opens at the office, and openssl verifies the written .p7s/.json', async () => {
    const seal = await runWahlkoffer([
      'seal',
      '--bundle',
      f('out/p-1/bundle.json'),
      '--passphrase-file',
      f('p1.pass'),
      '--tally',
      f('tally.json'),
      '--out',
      f('p1.sealed'),
    ]);
    expect(seal.code, seal.stderr).toBe(0);
    const open = await runWahlkoffer([
      'open',
      '--dir',
      f('pki'),
      '--in',
      f('p1.sealed'),
      '--out',
      f('p1'),
    ]);
    expect(open.code, open.stderr).toBe(0);
    expect(open.stdout).toMatch(
      /^ACCEPTED election test-election precinct p-1 contest ob revision 1/,
    );
    writeFileSync(
      f('trust.pem'),
      readFileSync(f('pki/root-ca.pem'), 'utf8') + readFileSync(f('pki/crl.pem'), 'utf8'),
    );
    const judge = spawnSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-inform',
        'DER',
        '-in',
        f('p1.p7s'),
        '-content',
        f('p1.json'),
        '-binary',
        '-CAfile',
        f('trust.pem'),
        '-crl_check',
        '-out',
        '/dev/null',
      ],
      { encoding: 'utf8' },
    );
    expect(judge.status, judge.stderr).toBe(0);
  });

  it('refuses a wrong station passphrase with its code and exit 1', async () => {
    writeFileSync(f('wrong.pass'), secrets['p-2']!.passphrase);
    const seal = await runWahlkoffer([
      'seal',
      '--bundle',
      f('out/p-1/bundle.json'),
      '--passphrase-file',
      f('wrong.pass'),
      '--tally',
      f('tally.json'),
      '--out',
      f('x.sealed'),
    ]);
    expect(seal.code).toBe(1);
    expect(seal.stderr).toContain('REFUSED KEY_DECRYPTION_FAILED');
  });

  it('prints the refusal code and exits 1 once the station is revoked', async () => {
    const revoke = await runWahlkoffer([
      'pki',
      'revoke',
      '--dir',
      f('pki'),
      '--ca-passphrase-file',
      f('ca.pass'),
      '--precinct',
      'p-1',
      '--reason',
      'keyCompromise',
    ]);
    expect(revoke.code, revoke.stderr).toBe(0);
    const open = await runWahlkoffer([
      'open',
      '--dir',
      f('pki'),
      '--in',
      f('p1.sealed'),
      '--out',
      f('p1-again'),
    ]);
    expect(open.code).toBe(1);
    expect(open.stderr).toContain('REFUSED CERT_REVOKED');
    // the refused report is still written out, and openssl refuses it too
    writeFileSync(
      f('trust.pem'),
      readFileSync(f('pki/root-ca.pem'), 'utf8') + readFileSync(f('pki/crl.pem'), 'utf8'),
    );
    const judge = spawnSync(
      'openssl',
      [
        'cms',
        '-verify',
        '-inform',
        'DER',
        '-in',
        f('p1-again.p7s'),
        '-content',
        f('p1-again.json'),
        '-binary',
        '-CAfile',
        f('trust.pem'),
        '-crl_check',
        '-out',
        '/dev/null',
      ],
      { encoding: 'utf8' },
    );
    expect(judge.status).not.toBe(0);
    expect(judge.stderr).toMatch(/revoked/);
    const crl = await runWahlkoffer(['pki', 'inspect', f('pki/crl.pem')]);
    expect(crl.stdout).toMatch(/revoked:\s+1/);
    expect(crl.stdout).toContain('keyCompromise');
  });
});

describe('wahlkoffer pki', () => {
  it('inspects a bundle and a certificate in human-readable form', async () => {
    const bundle = await runWahlkoffer(['pki', 'inspect', f('out/p-2/bundle.json')]);
    expect(bundle.code, bundle.stderr).toBe(0);
    expect(bundle.stdout).toContain('precinct:     p-2');
    expect(bundle.stdout).toContain('urn:wahlkoffer:test-election:station:p-2');
    const root = await runWahlkoffer(['pki', 'inspect', f('pki/root-ca.pem')]);
    expect(root.stdout).toContain('CA:           yes');
  });

  it('refuses a wrong CA passphrase with a code', async () => {
    writeFileSync(f('bad-ca.pass'), 'not the CA passphrase');
    const r = await runWahlkoffer([
      'pki',
      'revoke',
      '--dir',
      f('pki'),
      '--ca-passphrase-file',
      f('bad-ca.pass'),
      '--precinct',
      'p-2',
      '--reason',
      'superseded',
    ]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('REFUSED KEY_DECRYPTION_FAILED');
  });

  it('insists on exactly one of --precinct and --all (exit 2)', async () => {
    const r = await runWahlkoffer([
      'pki',
      'issue',
      '--dir',
      f('pki'),
      '--ca-passphrase-file',
      f('ca.pass'),
      '--out',
      f('o2'),
    ]);
    expect(r.code).toBe(2);
  });
});
