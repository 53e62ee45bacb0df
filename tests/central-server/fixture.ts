import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeyObject } from 'node:crypto';
import { generateSync } from 'otplib';
import type { ElectionDefinition, Schnellmeldung } from '../../election/index.ts';
import { openBundle } from '../../pki/bundle.ts';
import { initPki, openCa } from '../../pki/ceremony.ts';
import { TEST_SCRYPT_COST, decryptPrivateKey } from '../../pki/key-encryption.ts';
import { issueStations } from '../../pki/issue.ts';
import { sealMeldung } from '../../pki/meldung.ts';
import { revokeStation } from '../../pki/revocation.ts';
import { signSessionChallenge } from '../../pki/session.ts';
import {
  parseServerConfig,
  startServer,
  type RunningServer,
  type ServerConfigInput,
} from '../../central-server/index.ts';
import { createLogger } from '../../central-server/logger.ts';

/**
 * A real election office for integration tests, made with the pki package in a temp dir:
 * a small city (two Stadtbezirke, three Urnenwahlbezirke, one Briefwahlbezirk, one OB contest),
 * the PKI ceremony, and one kit per precinct with its decrypted station key and TOTP secret.
 */
export const ELECTION_ID = 'test-ob';
const today = new Date().toISOString().slice(0, 10);

export const ELECTION: ElectionDefinition = {
  format: 'wahlkoffer.election/1',
  id: ELECTION_ID,
  name: 'Oberbürgermeisterwahl Musterstadt',
  date: today,
  kind: 'KOMMUNALWAHL',
  areas: [
    { id: 'M', name: 'Musterstadt', level: 'STADT', parentId: null },
    { id: 'SB1', name: 'Nord', level: 'STADTBEZIRK', parentId: 'M' },
    { id: 'SB2', name: 'Süd', level: 'STADTBEZIRK', parentId: 'M' },
  ],
  precincts: [
    {
      id: 'P1',
      number: '0101',
      name: 'Schule Nord',
      kind: 'URNE',
      areaId: 'SB1',
      briefwahlbezirkId: 'B1',
      register: { A1: 1000, A2: 100, A3: 0 },
    },
    {
      id: 'P2',
      number: '0201',
      name: 'Schule Süd',
      kind: 'URNE',
      areaId: 'SB2',
      briefwahlbezirkId: 'B1',
      register: { A1: 1200, A2: 150, A3: 2 },
    },
    {
      id: 'P3',
      number: '0202',
      name: 'Rathaus',
      kind: 'URNE',
      areaId: 'SB2',
      briefwahlbezirkId: 'B1',
      register: { A1: 900, A2: 90, A3: 1 },
    },
    { id: 'B1', number: '9001', name: 'Briefwahl 1', kind: 'BRIEF', areaId: 'SB1' },
  ],
  contests: [
    {
      kind: 'MEHRHEITSWAHL',
      id: 'OB',
      name: 'Oberbürgermeister',
      areaId: 'M',
      office: 'OBERBUERGERMEISTER',
      round: 'HAUPTWAHL',
      candidates: [
        { id: 'c1', name: 'Anna Alt' },
        { id: 'c2', name: 'Bernd Berg' },
        { id: 'c3', name: 'Carla Conrad' },
      ],
    },
  ],
};

/** A valid Schnellmeldung for an Urnenwahlbezirk; `d` = votes for c1..c3, `c` = invalid. */
export function urneReport(
  precinctId: string,
  d: [number, number, number],
  extra: Partial<Pick<Schnellmeldung, 'revision' | 'correctionReason' | 'acknowledgements'>> & {
    c?: number;
  } = {},
): Schnellmeldung {
  const precinct = ELECTION.precincts.find((p) => p.id === precinctId)!;
  const { A1, A2, A3 } = precinct.register!;
  const D = d[0] + d[1] + d[2];
  const C = extra.c ?? 5;
  const B = C + D;
  return {
    format: 'wahlkoffer.schnellmeldung/1',
    electionId: ELECTION_ID,
    precinctId,
    contestId: 'OB',
    revision: extra.revision ?? 1,
    ...(extra.correctionReason === undefined ? {} : { correctionReason: extra.correctionReason }),
    counts: {
      A1,
      A2,
      A3,
      A: A1 + A2 + A3,
      B,
      B1: Math.min(50, B),
      C,
      D,
      D1: d[0],
      D2: d[1],
      D3: d[2],
    },
    acknowledgements: extra.acknowledgements ?? [],
    enteredBy: [
      { role: 'WAHLVORSTEHER', initials: 'AB' },
      { role: 'SCHRIFTFUEHRER', initials: 'CD' },
    ],
  };
}

export type Kit = {
  readonly precinctId: string;
  readonly key: KeyObject;
  readonly chain: readonly Buffer[];
  readonly totpSecret: string;
  readonly seal: (t: Schnellmeldung, now?: Date) => Promise<Uint8Array>;
};

export type Office = {
  readonly dir: string;
  readonly pkiDir: string;
  readonly electionFile: string;
  readonly kits: ReadonlyMap<string, Kit>;
  readonly revoke: (precinctId: string) => Promise<void>;
  /** issues (or re-issues) kits while the server may be running: `pki issue` during the night */
  readonly issue: (precinctIds: readonly string[]) => Promise<ReadonlyMap<string, Kit>>;
  readonly cleanup: () => void;
};

const CA_PASSPHRASE = 'test ca passphrase';

async function issueKits(
  pkiDir: string,
  precinctIds: readonly string[],
  outDir: string,
): Promise<Map<string, Kit>> {
  const now = new Date();
  const ca = await openCa(pkiDir, CA_PASSPHRASE);
  // the office issues on purpose, also again for a precinct that holds a kit (--reissue)
  const { issued } = await issueStations(ca, precinctIds, {
    outDir,
    lettersDir: `${outDir}-letters`,
    now,
    kdfCost: TEST_SCRYPT_COST,
    reissue: true,
  });
  const rootPem = readFileSync(join(pkiDir, 'root-ca.pem'), 'utf8');
  const kits = new Map<string, Kit>();
  for (const station of issued) {
    const bundle = openBundle(
      readFileSync(join(outDir, station.precinctId, 'bundle.json')),
      rootPem,
      now,
    );
    const key = await decryptPrivateKey(bundle.content.station.encryptedKey, station.passphrase);
    kits.set(station.precinctId, {
      precinctId: station.precinctId,
      key,
      chain: [bundle.station.der, bundle.issuing.der],
      totpSecret: station.totpSecret,
      seal: (t, at = new Date()) =>
        sealMeldung(t, {
          stationKey: key,
          stationCertificate: bundle.station,
          chain: [bundle.issuing],
          recipientCertificate: bundle.reportEncryption,
          now: at,
        }),
    });
  }
  return kits;
}

/**
 * `issue`: the precincts issued at the ceremony (default: all of them); `serverUrl`: the kits'
 * URL of `pki init --server-url` (default http://127.0.0.1:8080).
 */
export async function createOffice(
  options: { issue?: readonly string[]; serverUrl?: string } = {},
): Promise<Office> {
  const dir = mkdtempSync(join(tmpdir(), 'wahlkoffer-server-'));
  const pkiDir = join(dir, 'pki');
  const electionFile = join(dir, 'election.json');
  writeFileSync(electionFile, JSON.stringify(ELECTION));
  await initPki({
    dir: pkiDir,
    election: ELECTION,
    caPassphrase: CA_PASSPHRASE,
    serverUrl: options.serverUrl ?? 'http://127.0.0.1:8080',
    now: new Date(),
    kdfCost: TEST_SCRYPT_COST,
  });
  const kits = await issueKits(
    pkiDir,
    options.issue ?? ELECTION.precincts.map((p) => p.id),
    join(dir, 'bundles'),
  );
  let batch = 0;
  return {
    dir,
    pkiDir,
    electionFile,
    kits,
    revoke: async (precinctId) => {
      await revokeStation(
        await openCa(pkiDir, CA_PASSPHRASE),
        { precinctId },
        'keyCompromise',
        new Date(),
      );
    },
    issue: (precinctIds) => issueKits(pkiDir, precinctIds, join(dir, `bundles-${++batch}`)),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export async function startTestServer(
  office: Office,
  db = join(office.dir, 'server.db'),
  clock?: () => Date,
  extra: Partial<ServerConfigInput> = {},
): Promise<RunningServer> {
  const config = parseServerConfig({
    pkiDir: office.pkiDir,
    electionFile: office.electionFile,
    db,
    port: 0,
    logLevel: 'silent',
    // the wire tests speak plain HTTP to loopback; HTTPS is tested on its own (https.test.ts)
    plainHttp: true,
    ...extra,
  });
  return startServer(config, {
    logger: createLogger('silent'),
    ...(clock === undefined ? {} : { clock }),
  });
}

export type Answer = {
  status: number;
  body: Record<string, unknown> & { error?: { code: string } };
};

export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body:
      typeof body === 'string' || body instanceof Uint8Array
        ? (body as string)
        : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<Answer> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

export function totpAt(kit: Kit, at: Date): string {
  return generateSync({ secret: kit.totpSecret, epoch: Math.floor(at.getTime() / 1000) });
}

/** The kit's side of opening a session; `totp` defaults to the current code. */
export async function sessionRequest(server: RunningServer, kit: Kit, totp?: string) {
  const { body } = await post(`${server.url}/api/v1/sessions/challenge`, {});
  const challenge = body.challenge as string;
  return {
    certificateChain: kit.chain.map((c) => c.toString('base64')),
    challenge,
    signature: Buffer.from(signSessionChallenge(Buffer.from(challenge, 'utf8'), kit.key)).toString(
      'base64',
    ),
    totp: totp ?? totpAt(kit, new Date()),
  };
}

export async function openSession(server: RunningServer, kit: Kit, totp?: string): Promise<Answer> {
  return post(`${server.url}/api/v1/sessions`, await sessionRequest(server, kit, totp));
}

export async function submit(
  server: RunningServer,
  token: string | undefined,
  envelope: Uint8Array | string,
): Promise<Answer> {
  return post(
    `${server.url}/api/v1/reports`,
    Buffer.from(envelope).toString('utf8'),
    token === undefined ? {} : { authorization: `Bearer ${token}` },
  );
}
