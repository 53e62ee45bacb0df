import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_ENVELOPE_BYTES } from '../../../pki/index.ts';
import {
  createOffice,
  get,
  openSession,
  startTestServer,
  submit,
  urneReport,
  type Office,
} from '../fixture.ts';
import { rawExchange, statusOf } from './http-client.ts';

let office: Office;
beforeAll(async () => {
  office = await createOffice();
});
afterAll(() => office.cleanup());

const reportHead = (url: string, length: number, authorization?: string) =>
  [
    'POST /api/v1/reports HTTP/1.1',
    `Host: ${new URL(url).host}`,
    'Content-Type: application/jose',
    `Content-Length: ${length}`,
    ...(authorization === undefined ? [] : [`Authorization: ${authorization}`]),
    '',
    '',
  ].join('\r\n');

describe('a report request without a valid session', () => {
  it('is answered before its body is read, and the connection is closed', async () => {
    const dbFile = join(office.dir, 'early.db');
    const server = await startTestServer(office, dbFile);
    try {
      // 1 KiB of a declared 30 KiB body: a server that waits for the body never answers
      for (const authorization of [undefined, 'Bearer forged.token.here']) {
        const { response, closedByServer } = await rawExchange(
          server.url,
          reportHead(server.url, 30_000, authorization),
          { body: Buffer.alloc(1024, 0x41) },
        );
        expect(statusOf(response)).toBe(401);
        expect(response).toMatch(/TOKEN_(MISSING|INVALID)/);
        expect(response.toLowerCase()).toContain('connection: close');
        expect(closedByServer).toBe(true);
      }
    } finally {
      await server.close();
    }
    const db = new Database(dbFile, { readonly: true });
    try {
      // a small record each (code, size, credential hash, source, time), never the body
      const rows = db.prepare('SELECT * FROM "RefusedRequest" ORDER BY id').all() as {
        code: string;
        size: number;
        hash: string | null;
        source: string;
        route: string;
      }[];
      expect(rows.map((r) => [r.route, r.code, r.size])).toEqual([
        ['submitReport', 'TOKEN_MISSING', 30_000],
        ['submitReport', 'TOKEN_INVALID', 30_000],
      ]);
      expect(rows[0]!.hash).toBeNull();
      expect(rows[1]!.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(rows[1]!.source).toMatch(/127\.0\.0\.1/);
      expect(db.prepare('SELECT count(*) AS n FROM "ReceivedEnvelope"').get()).toEqual({ n: 0 });
    } finally {
      db.close();
    }
  });
});

describe('a flood of maximum-size unauthenticated requests while the kits report', () => {
  it('takes nothing from the kits: every report accepted, none busy, disk use bounded', async () => {
    const dbFile = join(office.dir, 'flood.db');
    const maxRows = 40;
    // a writer queue so short that refusals queued in it would crowd out the kits
    const server = await startTestServer(office, dbFile, undefined, {
      maxQueue: 4,
      refusalLogMaxRows: maxRows,
    });
    try {
      const kits = [...office.kits.values()];
      const sessions = await Promise.all(kits.map((k) => openSession(server, k)));
      const body = Buffer.alloc(MAX_ENVELOPE_BYTES, 0x41);
      let refused = 0;
      const flood = async () => {
        for (let i = 0; i < 50; i++) {
          const { response } = await rawExchange(
            server.url,
            reportHead(server.url, body.length, `Bearer flood.${i}.x`),
            { body },
          );
          if (statusOf(response) === 401) refused += 1;
        }
      };
      const report = async (i: number) => {
        const kit = kits[i]!;
        const token = sessions[i]!.body.token as string;
        const t =
          kit.precinctId === 'B1'
            ? {
                ...urneReport('P1', [100, 80, 40]),
                precinctId: 'B1',
                counts: { B: 225, B1: 225, C: 5, D: 220, D1: 100, D2: 80, D3: 40 },
              }
            : urneReport(kit.precinctId, [300 + i, 250, 140]);
        return submit(server, token, await kit.seal(t));
      };
      const [answers] = await Promise.all([
        Promise.all(kits.map((_, i) => report(i))),
        ...Array.from({ length: 8 }, flood),
      ]);
      expect(answers.map((a) => a.status)).toEqual(kits.map(() => 201));
      expect(refused).toBe(8 * 50);
      const health = await get(`${server.url}/healthz`);
      const stats = health.body.refusals as { stored: number; pending: number };
      expect(stats.stored + stats.pending).toBeLessThanOrEqual(maxRows);
    } finally {
      await server.close();
    }
    const db = new Database(dbFile, { readonly: true });
    try {
      const count = (table: string) =>
        (db.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number }).n;
      expect(count('ReceivedEnvelope')).toBe(office.kits.size);
      expect(count('RefusedRequest')).toBeLessThanOrEqual(maxRows);
      // the stated bound (docs/security-testing.md): ≤ 256 bytes per record kept, plus two
      // pages of B-tree structure
      const { bytes } = db
        .prepare(`SELECT sum(pgsize) AS bytes FROM dbstat WHERE name = 'RefusedRequest'`)
        .get() as { bytes: number };
      expect(bytes).toBeLessThanOrEqual(maxRows * 256 + 2 * 4096);
    } finally {
      db.close();
    }
  });
});
