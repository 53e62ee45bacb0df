import { join } from 'node:path';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../central-server/index.ts';
import type { AuditRow } from '../../central-server/storage/repository.ts';
import {
  createOffice,
  get,
  openSession,
  post,
  startTestServer,
  submit,
  urneReport,
  type Office,
} from './fixture.ts';

let office: Office;
beforeAll(async () => {
  office = await createOffice();
});
afterAll(() => office.cleanup());

const kit = (id: string) => office.kits.get(id)!;

describe('two kits sending for the same precinct at once', () => {
  it('serialise: exactly one wins a revision, the others get REVISION_CONFLICT', async () => {
    const server = await startTestServer(office, join(office.dir, 'concurrent.db'));
    try {
      const { body } = await openSession(server, kit('P1'));
      const token = body.token as string;
      const envelopes = await Promise.all(
        Array.from({ length: 8 }, (_, i) => kit('P1').seal(urneReport('P1', [300 + i, 250, 140]))),
      );
      const answers = await Promise.all(envelopes.map((e) => submit(server, token, e)));
      expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
      expect(answers.filter((a) => a.body.error?.code === 'REVISION_CONFLICT')).toHaveLength(7);
      const results = await get(`${server.url}/api/v1/results`);
      const root = (results.body.contests as { root: { reported: number } }[])[0]!.root;
      expect(root.reported).toBe(1);
    } finally {
      await server.close();
    }
  });
});

describe('a server restart', () => {
  it('keeps sessions valid, answers repeats with the original receipt and rebuilds the totals', async () => {
    const dbFile = join(office.dir, 'restart.db');
    const first = await startTestServer(office, dbFile);
    const { body } = await openSession(first, kit('P2'));
    const token = body.token as string;
    const envelope = await kit('P2').seal(urneReport('P2', [400, 350, 200]));
    const accepted = await submit(first, token, envelope);
    expect(accepted.status).toBe(201);
    await first.close();

    const second = await startTestServer(office, dbFile);
    try {
      const repeat = await submit(second, token, envelope);
      expect(repeat.status).toBe(200);
      expect(repeat.body).toEqual(accepted.body);
      const next = await submit(
        second,
        token,
        await kit('P2').seal(
          urneReport('P2', [401, 350, 199], { revision: 2, correctionReason: 'nachgezählt' }),
        ),
      );
      expect(next.status).toBe(201);
      expect(next.body.sequence).toBe((accepted.body.sequence as number) + 1);
      const results = await get(`${second.url}/api/v1/results`);
      const root = (
        results.body.contests as {
          root: { reported: number; candidates: Record<string, number> };
        }[]
      )[0]!.root;
      expect(root).toMatchObject({ reported: 1, candidates: { c1: 401, c2: 350, c3: 199 } });
    } finally {
      await second.close();
    }
    const sqlite = new Database(dbFile, { readonly: true });
    const rows = sqlite.prepare('SELECT * FROM AuditEvent ORDER BY id').all() as (Omit<
      AuditRow,
      'at'
    > & { at: string })[];
    sqlite.close();
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(verifyAuditChain(rows.map((r) => ({ ...r, at: new Date(r.at) })))).toBeNull();
  });

  it('judges a correction against the revisions stored before it: a repeat, a conflict, a large change (W.302)', async () => {
    const dbFile = join(office.dir, 'correction-after-restart.db');
    const first = await startTestServer(office, dbFile);
    const { body } = await openSession(first, kit('P1'));
    const token = body.token as string;
    const original = await kit('P1').seal(urneReport('P1', [300, 250, 140]));
    const accepted = await submit(first, token, original);
    expect(accepted.status).toBe(201);
    const recounted = urneReport('P1', [302, 250, 138], {
      revision: 2,
      correctionReason: 'nachgezählt',
    });
    expect((await submit(first, token, await kit('P1').seal(recounted))).status).toBe(201);
    await first.close();

    const second = await startTestServer(office, dbFile);
    try {
      const repeat = await submit(second, token, original);
      expect(repeat.status).toBe(200);
      expect(repeat.body).toEqual(accepted.body);
      const otherFirst = await kit('P1').seal(urneReport('P1', [1, 2, 3]));
      expect((await submit(second, token, otherFirst)).body.error?.code).toBe('REVISION_CONFLICT');
      const swapped = urneReport('P1', [138, 250, 302], {
        revision: 3,
        correctionReason: 'D1 und D3 vertauscht',
      });
      const refused = await submit(second, token, await kit('P1').seal(swapped));
      expect(refused.body.error?.code).toBe('UNACKNOWLEDGED_WARNING');
      const findings = (
        refused.body.error as unknown as {
          findings: { code: string; fields: string[]; detail?: { en: string } }[];
        }
      ).findings;
      expect(findings.map((f) => f.code)).toEqual(['W.302']);
      expect(findings[0]!.fields).toEqual(['counts.D1', 'counts.D3']);
      expect(findings[0]!.detail?.en).toContain('D1: 302 → 138, D3: 138 → 302');
      const acknowledged = {
        ...swapped,
        acknowledgements: [{ code: 'W.302', reason: 'Stimmen für D1 und D3 vertauscht' }],
      };
      expect((await submit(second, token, await kit('P1').seal(acknowledged))).status).toBe(201);
      const results = await get(`${second.url}/api/v1/results`);
      const root = (
        results.body.contests as {
          root: { reported: number; candidates: Record<string, number> };
        }[]
      )[0]!.root;
      expect(root).toMatchObject({ reported: 1, candidates: { c1: 138, c2: 250, c3: 302 } });
    } finally {
      await second.close();
    }
  });

  it('refuses a token after the election night (TOKEN_EXPIRED) and a stale challenge (CHALLENGE_EXPIRED)', async () => {
    const dbFile = join(office.dir, 'clock.db');
    const now = await startTestServer(office, dbFile);
    const { body } = await openSession(now, kit('P3'));
    const { body: challenge } = await post(`${now.url}/api/v1/sessions/challenge`, {});
    await now.close();
    const later = await startTestServer(
      office,
      dbFile,
      () => new Date(Date.now() + 3 * 86_400_000),
    );
    try {
      const envelope = await kit('P3').seal(urneReport('P3', [1, 2, 3]));
      expect((await submit(later, body.token as string, envelope)).body.error?.code).toBe(
        'TOKEN_EXPIRED',
      );
      const stale = await post(`${later.url}/api/v1/sessions`, {
        certificateChain: kit('P3').chain.map((c) => c.toString('base64')),
        challenge: challenge.challenge,
        signature: 'AAAA',
        totp: '123456',
      });
      expect(stale.body.error?.code).toBe('CHALLENGE_EXPIRED');
    } finally {
      await later.close();
    }
  });

  it('refuses a station that is not in the register (STATION_UNKNOWN)', async () => {
    rmSync(join(office.pkiDir, 'server', 'station-secrets', 'B1.json'));
    const server = await startTestServer(office, join(office.dir, 'unknown.db'));
    try {
      const { status, body } = await openSession(server, kit('B1'));
      expect(status).toBe(403);
      expect(body.error?.code).toBe('STATION_UNKNOWN');
    } finally {
      await server.close();
    }
  });
});
