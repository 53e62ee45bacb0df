import { generateKeyPairSync } from 'node:crypto';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUSALS, type RefusalCode } from '../../../api/index.ts';
import type { RunningServer } from '../../../central-server/index.ts';
import { canonicalBytes } from '../../../election/index.ts';
import { loadServerSigner } from '../../../pki/ceremony.ts';
import { encryptEnvelope } from '../../../pki/envelope.ts';
import { pkiPaths, signSessionChallenge } from '../../../pki/index.ts';
import {
  createOffice,
  get,
  openSession,
  post,
  sessionRequest,
  startTestServer,
  submit,
  totpAt,
  urneReport,
  type Answer,
  type Office,
} from '../fixture.ts';
import { flipInJwe, hostileKit } from './hostile-kit.ts';

/**
 * The hostile-input corpus: one request per refusal code of the contract (api/refusals.ts), over
 * real HTTP against a real server. A guard below fails when a code is added to the catalogue
 * without a case here or a named reason why it cannot be provoked from outside.
 */
const ELSEWHERE: Partial<Record<RefusalCode, string>> = {
  LOG_EMPTY: 'tests/central-server/log/log-endpoints.test.ts (the log before its first checkpoint)',
  LOG_RANGE_INVALID:
    'tests/central-server/log/log-endpoints.test.ts (a proof or leaf range outside the signed tree)',
  PHONED_RESULT_ALREADY_REPORTED:
    'tests/central-server/office/actions.test.ts (office only: a phoned-in result for a counted district)',
  SERVER_BUSY: 'tests/central-server/overload-failure.test.ts (writer queue full)',
  STORAGE_FAILED: 'tests/central-server/overload-failure.test.ts (the database refuses a COMMIT)',
  CERTIFICATE_MISMATCH: 'tests/central-server/reissue.test.ts (report of a re-issued key)',
  CERTIFICATE_SUPERSEDED: 'tests/central-server/hardening/sessions-night.test.ts',
  INTERNAL_ERROR: 'not provokable: a bug; the fuzz run asserts it never appears',
  ELECTION_MISMATCH:
    'not provokable through HTTP: pki refuses another election first (CERT_WRONG_ELECTION)',
  ENVELOPE_TOO_LARGE:
    'not provokable through HTTP: the body limit is the envelope limit (PAYLOAD_TOO_LARGE first); tests/pki/envelope.test.ts',
  CRL_INVALID: 'server-side state: tests/central-server/hardening/crl-reload.test.ts (/healthz)',
  CRL_EXPIRED: 'server-side state: tests/pki/crl-use.test.ts (checked at every use)',
  CRL_NOT_NEWER: 'server-side state: tests/central-server/hardening/crl-reload.test.ts',
  STORE_MALFORMED: 'server-side state: a broken PKI directory stops the server at start',
};

let office: Office;
let server: RunningServer;
let offset = 0;
const seen = new Map<string, number>();

const tokens = new Map<string, string>();

beforeAll(async () => {
  office = await createOffice();
  // P3's TOTP secret withdrawn by the office: P3 is not in the server's register
  rmSync(pkiPaths(office.pkiDir).stationSecret('P3'));
  server = await startTestServer(office, undefined, () => new Date(Date.now() + offset));
  for (const id of ['P1', 'P2']) {
    tokens.set(id, (await openSession(server, office.kits.get(id)!)).body.token as string);
  }
});
afterAll(async () => {
  await server.close();
  office.cleanup();
});

const kit = (id: string) => office.kits.get(id)!;
const url = (path: string) => `${server.url}${path}`;
// a TOTP code opens one session only: each kit's token is opened once, before the cases
const token = async (id: string) => tokens.get(id)!;
const status = (t: string, precinct = 'P1') =>
  get(url(`/api/v1/reports/${precinct}/status`), { authorization: `Bearer ${t}` });
async function withOffset<T>(ms: number, fn: () => Promise<T>): Promise<T> {
  offset = ms;
  try {
    return await fn();
  } finally {
    offset = 0;
  }
}

type Case = readonly [code: RefusalCode, request: () => Promise<Answer>];

const CASES: readonly Case[] = [
  ['INVALID_JSON', () => post(url('/api/v1/sessions'), '{"challenge": ')],
  ['INVALID_REQUEST', () => post(url('/api/v1/sessions'), { challenge: 1 })],
  [
    'UNSUPPORTED_MEDIA_TYPE',
    async () => {
      const res = await fetch(url('/api/v1/sessions'), { method: 'POST', body: 'x' });
      return { status: res.status, body: (await res.json()) as Answer['body'] };
    },
  ],
  ['PAYLOAD_TOO_LARGE', async () => submit(server, await token('P1'), 'x'.repeat(29 * 1024))],
  ['NOT_FOUND', () => get(url('/api/v1/nothing-here'))],
  [
    'CHALLENGE_INVALID',
    async () =>
      post(url('/api/v1/sessions'), {
        ...(await sessionRequest(server, kit('P1'))),
        challenge: 'wkc1.1.x.y',
      }),
  ],
  [
    'CHALLENGE_EXPIRED',
    async () => {
      const request = await sessionRequest(server, kit('P1'));
      return withOffset(3_600_000, () => post(url('/api/v1/sessions'), request));
    },
  ],
  ['STATION_UNKNOWN', () => openSession(server, kit('P3'))],
  [
    'TOTP_INVALID',
    () =>
      openSession(
        server,
        kit('P2'),
        String((Number(totpAt(kit('P2'), new Date())) + 1) % 1e6).padStart(6, '0'),
      ),
  ],
  [
    'TOTP_REPLAYED',
    async () => {
      const code = totpAt(kit('P1'), new Date());
      await openSession(server, kit('P1'), code);
      return openSession(server, kit('P1'), code);
    },
  ],
  [
    'SESSION_LOCKED',
    async () => {
      for (let i = 0; i < 6; i++) await openSession(server, kit('P2'), '000000');
      return openSession(server, kit('P2'), '000000');
    },
  ],
  [
    'SERVER_CLOCK_BEHIND',
    async () => {
      const back = -15 * 60_000;
      return withOffset(back, async () =>
        post(url('/api/v1/sessions'), {
          ...(await sessionRequest(server, kit('P1'))),
          totp: totpAt(kit('P1'), new Date(Date.now() + back)),
        }),
      );
    },
  ],
  ['TOKEN_MISSING', () => get(url('/api/v1/reports/P1/status'))],
  ['TOKEN_INVALID', () => status('a.b.c')],
  [
    'TOKEN_EXPIRED',
    async () => {
      const t = await token('P1');
      return withOffset(3 * 86_400_000, () => status(t));
    },
  ],
  ['PRECINCT_FORBIDDEN', async () => status(await token('P1'), 'P2')],
  [
    'PRECINCT_MISMATCH',
    async () =>
      submit(
        server,
        await token('P1'),
        await kit('B1').seal({
          ...urneReport('P1', [1, 1, 1]),
          precinctId: 'B1',
          counts: { B: 8, B1: 8, C: 5, D: 3, D1: 1, D2: 1, D3: 1 },
        }),
      ),
  ],
  [
    'REVISION_CONFLICT',
    async () => {
      const t = await token('P1');
      await submit(server, t, await kit('P1').seal(urneReport('P1', [300, 250, 140])));
      return submit(server, t, await kit('P1').seal(urneReport('P1', [301, 250, 140])));
    },
  ],
  [
    'REVISION_OUTDATED',
    async () => {
      // revision 3 accepted after 1 (from the case above), then revision 2 arrives late
      const t = await token('P1');
      const fix = (revision: number) => ({ revision, correctionReason: 'neu gezählt' });
      await submit(server, t, await kit('P1').seal(urneReport('P1', [303, 250, 140], fix(3))));
      return submit(server, t, await kit('P1').seal(urneReport('P1', [302, 250, 140], fix(2))));
    },
  ],
  [
    'PLAUSIBILITY_ERROR',
    async () => {
      const bad = urneReport('P2', [400, 350, 200]);
      return submit(
        server,
        await token('P2'),
        await kit('P2').seal({ ...bad, counts: { ...bad.counts, D: 1 } }),
      );
    },
  ],
  [
    'UNACKNOWLEDGED_WARNING',
    async () =>
      submit(
        server,
        await token('P2'),
        await kit('P2').seal(urneReport('P2', [0, 0, 0], { c: 0 })),
      ),
  ],
  ['ENVELOPE_MALFORMED', async () => submit(server, await token('P1'), 'not an envelope')],
  [
    'ENVELOPE_WRONG_PURPOSE',
    async () => {
      const h = await hostileKit(office, kit('P1'));
      return submit(
        server,
        await token('P1'),
        await h.seal(h.signed(canonicalBytes(urneReport('P1', [1, 1, 1]))), 'wahlkoffer.receipt/1'),
      );
    },
  ],
  [
    'WRONG_RECIPIENT',
    async () => {
      const h = await hostileKit(office, kit('P1'));
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      return submit(
        server,
        await token('P1'),
        await encryptEnvelope(
          h.signed(canonicalBytes(urneReport('P1', [1, 1, 1]))),
          other.publicKey,
        ),
      );
    },
  ],
  [
    'DECRYPTION_FAILED',
    async () =>
      submit(
        server,
        await token('P1'),
        flipInJwe(await kit('P1').seal(urneReport('P1', [5, 5, 5])), 3),
      ),
  ],
  [
    'SIGNED_DATA_MALFORMED',
    async () => {
      const h = await hostileKit(office, kit('P1'));
      return submit(server, await token('P1'), await h.seal(Buffer.from('not DER at all')));
    },
  ],
  [
    'SIGNATURE_INVALID',
    async () =>
      submit(
        server,
        await token('P1'),
        await (await hostileKit(office, kit('P1'))).badSignature(urneReport('P1', [6, 6, 6])),
      ),
  ],
  [
    'DIGEST_MISMATCH',
    async () =>
      submit(
        server,
        await token('P1'),
        await (await hostileKit(office, kit('P1'))).alteredContent(urneReport('P1', [7, 7, 7])),
      ),
  ],
  [
    'SIGNING_TIME_INVALID',
    async () => {
      const h = await hostileKit(office, kit('P1'));
      const der = h.signed(canonicalBytes(urneReport('P1', [8, 8, 8])), {
        signingTime: new Date(Date.now() + 3_600_000),
      });
      return submit(server, await token('P1'), await h.seal(der));
    },
  ],
  [
    'TALLY_MALFORMED',
    async () => {
      const h = await hostileKit(office, kit('P1'));
      return submit(
        server,
        await token('P1'),
        await h.seal(h.signed(canonicalBytes({ ...urneReport('P1', [1, 1, 1]), revision: 'one' }))),
      );
    },
  ],
  [
    'CERT_WRONG_PRECINCT',
    async () =>
      submit(
        server,
        await token('P1'),
        await (await hostileKit(office, kit('P1'))).crossed(urneReport('P2', [9, 9, 9])),
      ),
  ],
  [
    'CERT_WRONG_ELECTION',
    async () =>
      submit(
        server,
        await token('P1'),
        await (await hostileKit(office, kit('P1'))).otherElection(urneReport('P1', [9, 9, 9])),
      ),
  ],
  [
    'SESSION_PROOF_INVALID',
    async () => {
      const request = await sessionRequest(server, kit('P1'));
      const other = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const signature = signSessionChallenge(Buffer.from(request.challenge), other.privateKey);
      return post(url('/api/v1/sessions'), {
        ...request,
        signature: Buffer.from(signature).toString('base64'),
      });
    },
  ],
  [
    'CERT_MALFORMED',
    async () =>
      post(url('/api/v1/sessions'), {
        ...(await sessionRequest(server, kit('P1'))),
        certificateChain: [Buffer.from('garbage').toString('base64')],
      }),
  ],
  [
    'CERT_WRONG_USAGE',
    async () => {
      const receipt = await loadServerSigner(office.pkiDir, 'receipt-signing');
      const request = await sessionRequest(server, kit('P1'));
      const signature = signSessionChallenge(Buffer.from(request.challenge), receipt.key);
      return post(url('/api/v1/sessions'), {
        ...request,
        certificateChain: [
          receipt.certificate.der.toString('base64'),
          kit('P1').chain[1]!.toString('base64'),
        ],
        signature: Buffer.from(signature).toString('base64'),
      });
    },
  ],
  [
    'CERT_UNTRUSTED',
    async () => {
      const foreign = await createOffice({ issue: ['P1'] });
      try {
        const stranger = foreign.kits.get('P1')!;
        return await post(url('/api/v1/sessions'), await sessionRequest(server, stranger));
      } finally {
        foreign.cleanup();
      }
    },
  ],
  ['CERT_NOT_YET_VALID', () => withOffset(-2 * 86_400_000, () => openSession(server, kit('B1')))],
  ['CERT_EXPIRED', () => withOffset(400 * 86_400_000, () => openSession(server, kit('B1')))],
  [
    'CERT_REVOKED',
    async () => {
      await office.revoke('B1');
      await server.reloadPki();
      return openSession(server, kit('B1'));
    },
  ],
];

describe('the hostile-input corpus', () => {
  it.each(CASES)('%s: answered with that code and its status', async (code, request) => {
    const answer = await request();
    seen.set(code, answer.status);
    expect(answer.body.error?.code).toBe(code);
    expect(answer.status).toBe(REFUSALS[code].status);
  });

  it('covers every refusal code of the contract, or names where it is covered', () => {
    const missing = (Object.keys(REFUSALS) as RefusalCode[]).filter(
      (code) => !CASES.some(([c]) => c === code) && ELSEWHERE[code] === undefined,
    );
    expect(missing).toEqual([]);
  });

  it('stored no accepted report for any of it but the genuine ones', async () => {
    const health = await get(url('/healthz'));
    // REVISION_CONFLICT/OUTDATED needed three genuine revisions of P1; nothing else counts
    expect(health.body.reportsCounted).toBe(1);
  });
});

describe('a station-signed tally with a lone surrogate in its free text', () => {
  it('is refused as TALLY_MALFORMED, never answered as an internal error', async () => {
    const h = await hostileKit(office, kit('P2'));
    const tally = {
      ...urneReport('P2', [1, 1, 1]),
      acknowledgements: [{ code: 'W.201', reason: 'Zählfehler \ud800 behoben' }],
    };
    // JSON.stringify writes the lone surrogate as the escape \ud800: valid JSON, pure ASCII
    const bytes = new TextEncoder().encode(JSON.stringify(tally));
    const answer = await submit(server, await token('P2'), await h.seal(h.signed(bytes)));
    expect(answer.body.error?.code).toBe('TALLY_MALFORMED');
    expect(answer.status).toBe(REFUSALS.TALLY_MALFORMED.status);
  });
});
