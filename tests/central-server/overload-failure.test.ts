import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOffice,
  openSession,
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

describe('when the writer queue is full', () => {
  it('answers SERVER_BUSY (503) and stores nothing for those reports', async () => {
    const server = await startTestServer(office, join(office.dir, 'busy.db'), undefined, {
      maxQueue: 1,
    });
    try {
      const kit = office.kits.get('P1')!;
      const { body } = await openSession(server, kit);
      const envelopes = await Promise.all(
        Array.from({ length: 30 }, (_, i) => kit.seal(urneReport('P1', [300 + i, 250, 140]))),
      );
      const answers = await Promise.all(
        envelopes.map((e) => submit(server, body.token as string, e)),
      );
      const codes = answers.map((a) => a.body.error?.code ?? String(a.status));
      expect(codes).toContain('SERVER_BUSY');
      expect(codes.filter((c) => c === '201')).toHaveLength(1);
      expect(
        answers.filter((a) => a.body.error?.code === 'SERVER_BUSY').every((a) => a.status === 503),
      ).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('when the database refuses a commit', () => {
  it('answers STORAGE_FAILED, stores nothing half, and keeps serving once storage is back', async () => {
    const dbFile = join(office.dir, 'failing.db');
    const server = await startTestServer(office, dbFile);
    try {
      const kit = office.kits.get('P2')!;
      const { body } = await openSession(server, kit);
      const token = body.token as string;
      const sqlite = new Database(dbFile);
      sqlite.exec('ALTER TABLE "Receipt" RENAME TO "ReceiptAway"');
      const failed = await submit(server, token, await kit.seal(urneReport('P2', [400, 350, 200])));
      expect(failed.status).toBe(503);
      expect(failed.body.error?.code).toBe('STORAGE_FAILED');
      expect(sqlite.prepare('SELECT count(*) AS n FROM "Report"').get()).toEqual({ n: 0 });
      expect(sqlite.prepare('SELECT count(*) AS n FROM "ReceivedEnvelope"').get()).toEqual({
        n: 0,
      });
      sqlite.exec('ALTER TABLE "ReceiptAway" RENAME TO "Receipt"');
      sqlite.close();
      const retried = await submit(
        server,
        token,
        await kit.seal(urneReport('P2', [400, 350, 200])),
      );
      expect(retried.status).toBe(201);
      expect(retried.body.sequence).toBe(1);
    } finally {
      await server.close();
    }
  });
});
