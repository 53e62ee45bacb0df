import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
let initOut: string;

beforeAll(async () => {
  w = mkdtempSync(join(tmpdir(), 'wk-cli-pki-'));
  writeFileSync(f('election.json'), JSON.stringify(smallElection));
  writeFileSync(f('ca.pass'), 'a long CA passphrase\n', { mode: 0o600 });
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
  initOut = init.stdout;
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
    '--letters',
    f('letters'),
    '--reveal-secrets',
    f('secrets.json'),
  ]);
  expect(issue.code, issue.stderr).toBe(0);
  expect(issue.stdout).toContain('issued 3 station certificates');
  secrets = JSON.parse(readFileSync(f('secrets.json'), 'utf8')) as typeof secrets;
  writeFileSync(f('p1.pass'), `${secrets['p-1']!.passphrase.replace(/-/g, ' ')}\n`, {
    mode: 0o600,
  });
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
    writeFileSync(f('wrong.pass'), secrets['p-2']!.passphrase, { mode: 0o600 });
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
    writeFileSync(f('bad-ca.pass'), 'not the CA passphrase', { mode: 0o600 });
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
    const r = await runWahlkoffer([...issueArgs('o2'), '--precinct', 'p-1', '--all']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('prints the root fingerprint exactly as openssl does', () => {
    const openssl = spawnSync(
      'openssl',
      ['x509', '-noout', '-fingerprint', '-sha256', '-in', f('pki/root-ca.pem')],
      { encoding: 'utf8' },
    );
    expect(openssl.status).toBe(0);
    expect(initOut.split('\n')).toContain(openssl.stdout.trim());
  });

  it('refuses a passphrase file that the group can read, and names the fix', async () => {
    writeFileSync(f('group.pass'), 'a long CA passphrase\n', { mode: 0o640 });
    chmodSync(f('group.pass'), 0o640);
    const r = await runWahlkoffer([
      'pki',
      'crl',
      '--dir',
      f('pki'),
      '--ca-passphrase-file',
      f('group.pass'),
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`chmod 600 ${f('group.pass')}`);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

const issueArgs = (out: string) => [
  'pki',
  'issue',
  '--dir',
  f('pki'),
  '--ca-passphrase-file',
  f('ca.pass'),
  '--out',
  f(out),
  '--letters',
  f(`${out}-letters`),
];

describe('wahlkoffer pki issue, run again', () => {
  it('refuses a precinct that holds a valid certificate and revokes nothing', async () => {
    const crlBefore = readFileSync(f('pki/crl.pem'), 'utf8');
    const r = await runWahlkoffer([...issueArgs('again'), '--precinct', 'p-3']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('REFUSED ALREADY_ISSUED');
    expect(readFileSync(f('pki/crl.pem'), 'utf8')).toBe(crlBefore);
    expect(existsSync(f('again/p-3'))).toBe(false);
  });

  it('--all skips what is issued, so an interrupted ceremony resumes', async () => {
    const crlBefore = readFileSync(f('pki/crl.pem'), 'utf8');
    const r = await runWahlkoffer([...issueArgs('resume'), '--all']);
    expect(r.code, r.stderr).toBe(0);
    // p-1 was revoked above, so it is issued again; p-2 and p-3 are skipped
    expect(r.stdout).toContain('2 precincts already hold a valid certificate and are skipped');
    expect(r.stdout).toContain('issued 1 station certificates');
    expect(readFileSync(f('pki/crl.pem'), 'utf8')).toBe(crlBefore);
  });

  it('--reissue with repeated --precinct issues each and names every superseded certificate', async () => {
    const r = await runWahlkoffer([
      ...issueArgs('reissued'),
      '--precinct',
      'p-2',
      '--precinct',
      'p-3',
      '--reissue',
      '--concurrency',
      '8',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('issued 2 station certificates');
    expect(r.stdout.match(/superseded and revoked: p-[23] serial [0-9a-f]+/g)).toHaveLength(2);
    expect(existsSync(f('reissued/p-2/bundle.json'))).toBe(true);
    expect(existsSync(f('reissued-letters/p-3.html'))).toBe(true);
  });

  it('--concurrency takes a whole number from 1 to 256, else nothing is issued', async () => {
    for (const n of ['0', '1.5', '257', 'viele']) {
      const r = await runWahlkoffer([
        ...issueArgs(`c${n}`),
        '--precinct',
        'p-1',
        '--concurrency',
        n,
      ]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toContain('--concurrency takes a whole number from 1 to 256');
      expect(existsSync(f(`c${n}`))).toBe(false);
    }
  });

  it('refuses letters inside the bundles folder', async () => {
    const r = await runWahlkoffer([
      ...issueArgs('x').slice(0, -1),
      f('x/letters'),
      '--precinct',
      'p-1',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--letters');
  });
});
