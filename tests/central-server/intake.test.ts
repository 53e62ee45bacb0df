import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../central-server/index.ts';
import { verifyReceipt } from '../../pki/receipt.ts';
import { createTrust } from '../../pki/chain.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createOffice,
  get,
  openSession,
  startTestServer,
  submit,
  urneReport,
  type Office,
} from './fixture.ts';

let office: Office;
let server: RunningServer;
const tokens = new Map<string, string>();

beforeAll(async () => {
  office = await createOffice();
  server = await startTestServer(office);
  for (const id of ['P1', 'P2', 'P3']) {
    const { body } = await openSession(server, office.kits.get(id)!);
    tokens.set(id, body.token as string);
  }
});
afterAll(async () => {
  await server.close();
  office.cleanup();
});

const kit = (id: string) => office.kits.get(id)!;
const token = (id: string) => tokens.get(id)!;

describe('submitting a sealed report', () => {
  it('stores it and answers 201 with a receipt the kit can verify', async () => {
    const envelope = await kit('P1').seal(urneReport('P1', [300, 250, 140]));
    const { status, body } = await submit(server, token('P1'), envelope);
    expect(status).toBe(201);
    expect(body).toMatchObject({ status: 'ACCEPTED', revision: 1 });
    const trust = createTrust(readFileSync(join(office.pkiDir, 'root-ca.pem'), 'utf8'));
    const receipt = verifyReceipt(Buffer.from(body.receipt as string, 'base64'), trust, new Date());
    expect(receipt).toMatchObject({
      precinctId: 'P1',
      contestId: 'OB',
      revision: 1,
      sequence: body.sequence,
      receiptCode: body.receiptCode,
    });
  });

  it('answers the same envelope again with the original receipt (200, nothing counted twice)', async () => {
    const envelope = await kit('P2').seal(urneReport('P2', [400, 350, 200]));
    const first = await submit(server, token('P2'), envelope);
    const again = await submit(server, token('P2'), envelope);
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
    const resealed = await submit(
      server,
      token('P2'),
      await kit('P2').seal(urneReport('P2', [400, 350, 200])),
    );
    expect(resealed.status).toBe(200);
    expect(resealed.body.sequence).toBe(first.body.sequence);
  });

  it('accepts a correction with a higher revision and counts only the newest', async () => {
    const r1 = await submit(
      server,
      token('P3'),
      await kit('P3').seal(urneReport('P3', [100, 100, 100])),
    );
    const correction = urneReport('P3', [101, 100, 99], {
      revision: 2,
      correctionReason: 'Stapel nachgezählt',
    });
    const r2 = await submit(server, token('P3'), await kit('P3').seal(correction));
    expect([r1.status, r2.status]).toEqual([201, 201]);
    expect(r2.body.sequence).toBeGreaterThan(r1.body.sequence as number);
    const status = await get(`${server.url}/api/v1/reports/P3/status`, {
      authorization: `Bearer ${token('P3')}`,
    });
    expect(status.body).toMatchObject({
      precinctId: 'P3',
      contests: [{ contestId: 'OB', currentRevision: 2 }],
    });
  });

  it('refuses an older revision arriving late (REVISION_OUTDATED) and other content under a used revision (REVISION_CONFLICT)', async () => {
    const late = await submit(
      server,
      token('P3'),
      await kit('P3').seal(urneReport('P3', [99, 99, 99])),
    );
    expect(late.status).toBe(409);
    expect(late.body.error?.code).toBe('REVISION_CONFLICT');
    const older = await submit(
      server,
      token('P3'),
      await kit('P3').seal(urneReport('P3', [1, 2, 3], { revision: 1 })),
    );
    expect(older.body.error?.code).toBe('REVISION_CONFLICT');
    // revision 4 overtakes revision 3 on the way: 3 must not replace 4 when it arrives
    const r4 = urneReport('P3', [102, 100, 98], {
      revision: 4,
      correctionReason: 'zweite Zählung',
    });
    expect((await submit(server, token('P3'), await kit('P3').seal(r4))).status).toBe(201);
    const r3late = urneReport('P3', [101, 100, 97], { revision: 3, correctionReason: 'verspätet' });
    const outdated = await submit(server, token('P3'), await kit('P3').seal(r3late));
    expect(outdated.status).toBe(409);
    expect(outdated.body.error?.code).toBe('REVISION_OUTDATED');
  });

  it('refuses a report signed for another precinct than the session’s (PRECINCT_MISMATCH)', async () => {
    const envelope = await kit('P2').seal(urneReport('P2', [1, 1, 1]));
    const { status, body } = await submit(server, token('P1'), envelope);
    expect(status).toBe(403);
    expect(body.error?.code).toBe('PRECINCT_MISMATCH');
  });

  it('refuses reports with plausibility errors, with the findings (PLAUSIBILITY_ERROR)', async () => {
    const broken = urneReport('P1', [300, 250, 140], {
      revision: 2,
      correctionReason: 'Tippfehler',
    });
    const t = { ...broken, counts: { ...broken.counts, D: broken.counts.D! + 1 } };
    const { status, body } = await submit(server, token('P1'), await kit('P1').seal(t));
    expect(status).toBe(422);
    expect(body.error?.code).toBe('PLAUSIBILITY_ERROR');
    expect(
      (body.error as unknown as { findings: { code: string }[] }).findings.length,
    ).toBeGreaterThan(0);
  });

  it('refuses unacknowledged warnings (UNACKNOWLEDGED_WARNING) and accepts them acknowledged', async () => {
    const manyInvalid = urneReport('P1', [300, 250, 140], {
      revision: 2,
      correctionReason: 'ungültige nachgezählt',
      c: 100,
    });
    const refused = await submit(server, token('P1'), await kit('P1').seal(manyInvalid));
    expect(refused.body.error?.code).toBe('UNACKNOWLEDGED_WARNING');
    const codes = (refused.body.error as unknown as { findings: { code: string }[] }).findings.map(
      (f) => f.code,
    );
    const acknowledged = {
      ...manyInvalid,
      acknowledgements: codes.map((code) => ({ code, reason: 'so gezählt, geprüft' })),
    };
    expect((await submit(server, token('P1'), await kit('P1').seal(acknowledged))).status).toBe(
      201,
    );
  });

  it('refuses requests without a valid session (TOKEN_MISSING, TOKEN_INVALID)', async () => {
    const envelope = await kit('P1').seal(
      urneReport('P1', [1, 2, 3], { revision: 9, correctionReason: 'x y z' }),
    );
    expect((await submit(server, undefined, envelope)).body.error?.code).toBe('TOKEN_MISSING');
    expect((await submit(server, 'not.a.token', envelope)).body.error?.code).toBe('TOKEN_INVALID');
  });

  it('refuses tampered and garbage envelopes with the pki code, never 500', async () => {
    const envelope = Buffer.from(
      await kit('P1').seal(
        urneReport('P1', [5, 5, 5], { revision: 7, correctionReason: 'neu gezählt' }),
      ),
    );
    const parsed = JSON.parse(envelope.toString('utf8')) as { format: string; jwe: string };
    const parts = parsed.jwe.split('.');
    const ct = Buffer.from(parts[3]!, 'base64url');
    ct[5] = ct[5]! ^ 1;
    parts[3] = ct.toString('base64url');
    const tampered = JSON.stringify({ ...parsed, jwe: parts.join('.') });
    expect((await submit(server, token('P1'), tampered)).body.error?.code).toBe(
      'DECRYPTION_FAILED',
    );
    for (const garbage of [
      '',
      'null',
      '{"format":"x"}',
      '[1,2]',
      '\u0000\u0001',
      '{"format":"wahlkoffer.meldung/1","jwe":"a.b.c.d.e"}',
    ]) {
      const { status, body } = await submit(server, token('P1'), garbage);
      expect(status).toBeGreaterThanOrEqual(400);
      expect(status).toBeLessThan(500);
      expect(typeof body.error?.code).toBe('string');
    }
  });

  it('shows the station its revisions with receipt codes and its latest refusals', async () => {
    const { status, body } = await get(`${server.url}/api/v1/reports/P1/status`, {
      authorization: `Bearer ${token('P1')}`,
    });
    expect(status).toBe(200);
    const contests = body.contests as { revisions: { receiptCode: string }[] }[];
    expect(contests[0]!.revisions.length).toBe(2);
    expect(
      contests[0]!.revisions.every((r) => /^[0-9A-Z]{4}-[0-9A-Z]{4}$/.test(r.receiptCode)),
    ).toBe(true);
    const rejections = body.rejections as { code: string }[];
    expect(rejections.map((r) => r.code)).toContain('PLAUSIBILITY_ERROR');
    const foreign = await get(`${server.url}/api/v1/reports/P2/status`, {
      authorization: `Bearer ${token('P1')}`,
    });
    expect(foreign.body.error?.code).toBe('PRECINCT_FORBIDDEN');
  });

  it('publishes x of y precincts and the totals at the root and per area', async () => {
    const { status, body } = await get(`${server.url}/api/v1/results`);
    expect(status).toBe(200);
    const ob = (
      body.contests as {
        contestId: string;
        root: Record<string, unknown>;
        areas: { areaId: string }[];
      }[]
    )[0]!;
    expect(ob.root).toMatchObject({
      areaId: 'M',
      reported: 3,
      expected: 4,
      candidates: { c1: 300 + 400 + 102, c2: 250 + 350 + 100, c3: 140 + 200 + 98 },
    });
    expect(ob.areas.map((a) => a.areaId).sort()).toEqual(['M', 'SB1', 'SB2']);
  });

  it('refuses reports of a station revoked during the night, without a restart (CERT_REVOKED)', async () => {
    await office.revoke('P2');
    await new Promise((r) => setTimeout(r, 2_100)); // crl.pem is re-read at most every 2 s
    const correction = urneReport('P2', [401, 350, 199], {
      revision: 2,
      correctionReason: 'nachgezählt',
    });
    const { status, body } = await submit(server, token('P2'), await kit('P2').seal(correction));
    expect(status).toBe(403);
    expect(body.error?.code).toBe('CERT_REVOKED');
  });
});
