import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../central-server/index.ts';
import { verifyAuditChain } from '../../central-server/index.ts';
import type { AuditRow } from '../../central-server/storage/repository.ts';
import { freshDatabase, query } from '../postgres/database.ts';
import {
  createOffice,
  get,
  post,
  sessionRequest,
  startTestServer,
  submit,
  urneReport,
  type Office,
} from './fixture.ts';

/*
 * Two servers on one PostgreSQL database, as behind a load balancer: whatever reaches either one,
 * the database decides once — one acceptance per precinct, contest and revision, a TOTP code
 * once, one gap-free chain of envelopes, receipts and audit events — and both publish the same.
 */
let office: Office;
let url: string;
let a: RunningServer;
let b: RunningServer;
let p2Token: string;
/** one session per kit (a TOTP code opens one session only), used on both servers */
const tokens = new Map<string, string>();

beforeAll(async () => {
  office = await createOffice();
  url = await freshDatabase('multi');
  a = await startTestServer(office, url, undefined, publishing(office.dir, 'a'));
  b = await startTestServer(office, url, undefined, publishing(office.dir, 'b'));
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  office.cleanup();
});

/** Each server publishes into a folder of its own. */
const publishing = (dir: string, name: string) => ({
  publishDir: join(dir, `publication-${name}`),
});

const kit = (id: string) => office.kits.get(id)!;

async function session(server: RunningServer, id: string): Promise<string> {
  const { status, body } = await post(
    `${server.url}/api/v1/sessions`,
    await sessionRequest(server, kit(id)),
  );
  expect(status, JSON.stringify(body)).toBe(201);
  tokens.set(id, body.token as string);
  return body.token as string;
}

/** Waits (without a fixed sleep) until `read` returns what `done` accepts. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const reported = async (server: RunningServer) => {
  const { body } = await get(`${server.url}/api/v1/results`);
  return body as { reportsCounted: number; contests: { root: unknown }[] };
};

describe('two servers on one PostgreSQL database', () => {
  it('a session opened on one server carries the kit on the other', async () => {
    const token = await session(a, 'P1');
    const answer = await submit(b, token, await kit('P1').seal(urneReport('P1', [300, 250, 140])));
    expect(answer.status).toBe(201);
    const status = await get(`${a.url}/api/v1/reports/P1/status`, {
      authorization: `Bearer ${token}`,
    });
    expect(status.status).toBe(200);
  });

  it('accepts a TOTP code once, whichever server sees it; the same request again gets its token from either', async () => {
    const request = await sessionRequest(a, kit('P2'));
    const [first, second] = await Promise.all([
      post(`${a.url}/api/v1/sessions`, request),
      post(`${b.url}/api/v1/sessions`, request),
    ]);
    // the very same request (a kit resending after a lost answer) gets the same session
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body.token).toBe(first.body.token);
    p2Token = first.body.token as string;
    // another request with the same code (a captured code) does not
    const replay = { ...(await sessionRequest(b, kit('P2'))), totp: request.totp };
    const refused = await post(`${b.url}/api/v1/sessions`, replay);
    expect(refused.body.error?.code).toBe('TOTP_REPLAYED');
  });

  it('of one report sent to both servers at once, stores it once: one 201, one 200 with the same receipt', async () => {
    const ta = await session(a, 'P3');
    const tb = ta;
    const envelope = await kit('P3').seal(urneReport('P3', [100, 100, 100]));
    const answers = await Promise.all([submit(a, ta, envelope), submit(b, tb, envelope)]);
    expect(answers.map((x) => x.status).sort()).toEqual([200, 201]);
    expect(answers[0]!.body.sequence).toBe(answers[1]!.body.sequence);
    expect(answers[0]!.body.receiptCode).toBe(answers[1]!.body.receiptCode);
  });

  it('of two different first revisions of one precinct, one on each server, accepts exactly one', async () => {
    const token = p2Token;
    const answers = await Promise.all([
      submit(a, token, await kit('P2').seal(urneReport('P2', [400, 350, 200]))),
      submit(b, token, await kit('P2').seal(urneReport('P2', [401, 350, 199]))),
    ]);
    const codes = answers.map((x) => (x.status === 201 ? 'ACCEPTED' : x.body.error?.code));
    expect(codes.sort(), JSON.stringify(answers.map((x) => x.body))).toEqual([
      'ACCEPTED',
      'REVISION_CONFLICT',
    ]);
  });

  it('decides a correction on one server against the revision the other accepted', async () => {
    const tb = tokens.get('P1')!;
    const late = await submit(b, tb, await kit('P1').seal(urneReport('P1', [1, 1, 1])));
    expect(late.body.error?.code).toBe('REVISION_CONFLICT');
    const correction = urneReport('P1', [301, 250, 139], {
      revision: 2,
      correctionReason: 'nachgezählt',
    });
    expect((await submit(b, tb, await kit('P1').seal(correction))).status).toBe(201);
  });

  it('keeps one gap-free chain of envelopes, receipts and audit events across both servers', async () => {
    const reports = await query<{ sequence: number; precinctId: string; revision: number }>(
      url,
      'SELECT "sequence", "precinctId", "revision" FROM "Report" ORDER BY "sequence"',
    );
    expect(reports.map((r) => r.sequence)).toEqual(reports.map((_, i) => i + 1));
    const keys = reports.map((r) => `${r.precinctId}/${r.revision}`);
    expect(new Set(keys).size).toBe(keys.length);
    const envelopes = await query<{ id: number }>(
      url,
      'SELECT "id" FROM "ReceivedEnvelope" ORDER BY "id"',
    );
    expect(envelopes.map((e) => e.id)).toEqual(envelopes.map((_, i) => i + 1));
    const audit = await query<AuditRow>(url, 'SELECT * FROM "AuditEvent" ORDER BY "id"');
    expect(audit.length).toBeGreaterThan(10);
    expect(verifyAuditChain(audit)).toBeNull();
  });

  it('publishes the same totals on both servers, from the committed rows', async () => {
    const stored = await query<{ n: number }>(
      url,
      'SELECT COUNT(*)::int AS n FROM "CurrentReport"',
    );
    const [ra, rb] = [
      await eventually(
        () => reported(a),
        (r) => r.reportsCounted === stored[0]!.n,
      ),
      await eventually(
        () => reported(b),
        (r) => r.reportsCounted === stored[0]!.n,
      ),
    ];
    expect(ra.reportsCounted).toBe(stored[0]!.n);
    expect(ra.contests).toEqual(rb.contests);
  });

  it('refuses to start a server with another PKI directory on the same database', async () => {
    const other = await createOffice();
    try {
      await expect(
        startTestServer(other, url, undefined, publishing(other.dir, 'c')),
      ).rejects.toMatchObject({
        code: 'INSTALLATION_MISMATCH',
      });
    } finally {
      other.cleanup();
    }
  });
});
