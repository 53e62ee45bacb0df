import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSync } from 'otplib';
import { ELECTION } from '../central-server/fixture.ts';
import {
  TEST_SCRYPT_COST,
  initPki,
  issueStations,
  openCa,
  parseCertificatePem,
} from '../../pki/index.ts';
import { parseServerConfig, startServer, type RunningServer } from '../../central-server/index.ts';
import { createLogger } from '../../central-server/logger.ts';

/**
 * A real election office for the kit's tests, made with pki's public API in a temp dir: the
 * central-server fixture's small election, the PKI ceremony, and one issued kit per precinct
 * with everything its letter holds (passphrase, TOTP secret, the root's fingerprint).
 */
export type IssuedKit = {
  readonly precinctId: string;
  readonly bundleFile: string;
  readonly passphrase: string;
  readonly totpSecret: string;
};

export type KitOffice = {
  readonly dir: string;
  readonly pkiDir: string;
  readonly electionFile: string;
  /** SHA-256 of the root certificate, as printed on the Wahlvorsteher's letter */
  readonly rootFingerprint: string;
  readonly rootPem: string;
  readonly kits: ReadonlyMap<string, IssuedKit>;
  readonly cleanup: () => void;
};

export async function createKitOffice(
  options: { now?: Date; name?: string } = {},
): Promise<KitOffice> {
  const dir = mkdtempSync(join(tmpdir(), `wahlkoffer-kit-${options.name ?? 'office'}-`));
  const pkiDir = join(dir, 'pki');
  const electionFile = join(dir, 'election.json');
  writeFileSync(electionFile, JSON.stringify(ELECTION));
  const now = options.now ?? new Date();
  await initPki({
    dir: pkiDir,
    election: ELECTION,
    caPassphrase: 'test ca passphrase',
    serverUrl: 'http://127.0.0.1:8080',
    now,
    kdfCost: TEST_SCRYPT_COST,
  });
  const ca = await openCa(pkiDir, 'test ca passphrase');
  const outDir = join(dir, 'bundles');
  const { issued } = await issueStations(
    ca,
    ELECTION.precincts.map((p) => p.id),
    { outDir, lettersDir: join(dir, 'letters'), now, kdfCost: TEST_SCRYPT_COST },
  );
  const rootPem = readFileSync(join(pkiDir, 'root-ca.pem'), 'utf8');
  const kits = new Map<string, IssuedKit>();
  for (const s of issued) {
    kits.set(s.precinctId, {
      precinctId: s.precinctId,
      bundleFile: join(outDir, s.precinctId, 'bundle.json'),
      passphrase: s.passphrase,
      totpSecret: s.totpSecret,
    });
  }
  return {
    dir,
    pkiDir,
    electionFile,
    rootFingerprint: parseCertificatePem(rootPem).fingerprint,
    rootPem,
    kits,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** The central server in this process on a free loopback port, on its own database file. */
export function startOfficeServer(office: KitOffice, db: string): Promise<RunningServer> {
  const config = parseServerConfig({
    plainHttp: true,
    pkiDir: office.pkiDir,
    electionFile: office.electionFile,
    db,
    port: 0,
    logLevel: 'silent',
  });
  return startServer(config, { logger: createLogger('silent') });
}

/** The Wahlvorsteher's token: the TOTP code at `at`. */
export function totpAt(kit: IssuedKit, at: Date): string {
  return generateSync({ secret: kit.totpSecret, epoch: Math.floor(at.getTime() / 1000) });
}
