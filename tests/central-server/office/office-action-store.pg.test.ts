import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../../central-server/index.ts';
import { createLogger } from '../../../central-server/logger.ts';
import { AuditChain, verifyAuditChain } from '../../../central-server/storage/audit-chain.ts';
import { openStorage, type OpenedStorage } from '../../../central-server/storage/open-storage.ts';
import type { AuditRow, IntakeBatch } from '../../../central-server/storage/repository.ts';
import { freshDatabase, query } from '../../postgres/database.ts';

/*
 * SqlOfficeActionStore (the office's phone confirmations, phoned-in entries in progress and
 * station contacts, decisions/0089) on both databases the server supports: a SQLite file and a
 * PostgreSQL database on the run's throwaway cluster. Every write is one transaction with its
 * audit row: when the audit row cannot be stored, nothing of the action is.
 */
const dir = mkdtempSync(join(tmpdir(), 'wahlkoffer-office-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DATABASES = {
  sqlite: async () => join(dir, `office-${Math.random().toString(36).slice(2)}.db`),
  postgresql: () => freshDatabase('office_actions'),
};

/** Reads with a connection of its own: what another server (or an auditor) would see. */
async function read<R extends Record<string, unknown>>(db: string, sql: string): Promise<R[]> {
  if (db.startsWith('postgres')) return query<R>(db, sql);
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare(sql).all() as R[];
  } finally {
    sqlite.close();
  }
}

async function count(db: string, table: string): Promise<number> {
  const rows = await read<{ n: number | string }>(db, `SELECT count(*) AS n FROM "${table}"`);
  return Number(rows[0]!.n);
}

/** a second server's draft against a head that moved meanwhile: its row's id is taken */
const staleDraft = (chain: AuditChain, kind: string): AuditRow =>
  new AuditChain({ id: chain.headId - 1, hash: chain.headHash }).draft({
    kind,
    at: new Date(),
    data: {},
  });

const station = (precinctId: string) => ({
  precinctId,
  electionId: 'e',
  certSerial: `serial-${precinctId}`,
  certFingerprint: 'f'.repeat(64),
  totpSecretEnc: 'secret',
});

/** One refused envelope of `precinctId` received at `receivedAt` (a contact, not a report). */
function refusedEnvelope(chain: AuditChain, id: number, precinctId: string, receivedAt: Date) {
  const audit = chain.draft({ kind: 'REPORT_REFUSED', at: receivedAt, precinctId, data: { id } });
  const batch: IntakeBatch = {
    envelopes: [
      {
        id,
        receivedAt,
        requestId: `req-${id}`,
        precinctId,
        contestId: 'OB',
        revision: 1,
        sha256: 'a'.repeat(64),
        body: new Uint8Array([1, 2, 3]),
        verdict: 'REJECTED',
        code: 'CERT_REVOKED',
        detail: null,
      },
    ],
    reports: [],
    receipts: [],
    current: [],
    audit: [audit],
    leaves: [],
    nodes: [],
    checkpoints: [],
  };
  return batch;
}

const entryState = (status: string) => JSON.stringify({ status, marker: Math.random() });

describe.each(Object.keys(DATABASES) as (keyof typeof DATABASES)[])(
  'the office actions store on %s',
  (provider) => {
    let db: string;
    let storage: OpenedStorage;
    let chain: AuditChain;
    const at = new Date('2026-09-27T18:41:07.321Z');

    beforeAll(async () => {
      db = await DATABASES[provider]();
      await migrateDatabase(db);
      storage = await openStorage(db, createLogger('silent'));
      chain = new AuditChain((await storage.repository.loadState()).auditHead);
      return () => storage.close();
    });

    /** a drafted audit row that moves the head only once it was stored */
    async function audited<T>(kind: string, write: (row: AuditRow) => Promise<T>): Promise<T> {
      const row = chain.draft({ kind, at, precinctId: 'P1', data: { provider } });
      const result = await write(row);
      chain.advance(row);
      return result;
    }

    it('stores a phone confirmation together with its audit row, to the millisecond', async () => {
      const store = storage.repository.officeActions;
      const row = {
        precinctId: 'P1',
        contestId: 'OB',
        sequence: 7,
        confirmedBy: 'anna',
        confirmedAt: at,
      };
      await audited('PHONE_CONFIRMED', (audit) => store.recordPhoneConfirmation(row, audit));
      expect(await store.phoneConfirmations()).toEqual([row]);
      expect(await count(db, 'AuditEvent')).toBe(1);
    });

    it('stores nothing of a confirmation whose audit row cannot be written (a stale chain head)', async () => {
      const store = storage.repository.officeActions;
      const stale = staleDraft(chain, 'PHONE_CONFIRMED');
      const row = {
        precinctId: 'P2',
        contestId: 'OB',
        sequence: 8,
        confirmedBy: 'bernd',
        confirmedAt: at,
      };
      await expect(store.recordPhoneConfirmation(row, stale)).rejects.toThrow();
      expect((await store.phoneConfirmations()).map((c) => c.precinctId)).toEqual(['P1']);
      expect(await count(db, 'PhoneConfirmation')).toBe(1);
    });

    it('keeps one phoned-in entry per district and contest: inserted, updated, deleted', async () => {
      const store = storage.repository.officeActions;
      const first = {
        precinctId: 'P2',
        contestId: 'OB',
        state: entryState('FIRST_ENTRY_IN_PROGRESS'),
        updatedBy: 'anna',
        updatedAt: at,
      };
      await audited('PHONE_ENTRY', (audit) => store.savePhoneEntry(first, audit));
      // typing a figure is stored without an audit row (decisions/0089: only steps are logged)
      const typed = { ...first, state: entryState('FIRST_ENTRY_IN_PROGRESS') };
      await store.savePhoneEntry(typed, null);
      const later = new Date(at.getTime() + 60_000);
      const second = {
        ...first,
        state: entryState('SECOND_ENTRY_IN_PROGRESS'),
        updatedBy: 'bernd',
        updatedAt: later,
      };
      await audited('PHONE_ENTRY', (audit) => store.savePhoneEntry(second, audit));
      expect(await store.findPhoneEntry('P2', 'OB')).toEqual(second);
      expect(await store.phoneEntries()).toEqual([second]);
      expect(await store.findPhoneEntry('P2', 'XX')).toBeNull();
      await audited('PHONE_ENTRY', (audit) => store.deletePhoneEntry('P2', 'OB', audit));
      expect(await store.phoneEntries()).toEqual([]);
      // deleting what is gone already is no error (a counted entry is removed once)
      await store.deletePhoneEntry('P2', 'OB', null);
    });

    it('keeps an entry as it was when its audit row cannot be written', async () => {
      const store = storage.repository.officeActions;
      const row = {
        precinctId: 'P3',
        contestId: 'OB',
        state: entryState('FIRST_ENTRY_DONE'),
        updatedBy: 'anna',
        updatedAt: at,
      };
      await audited('PHONE_ENTRY', (audit) => store.savePhoneEntry(row, audit));
      const stale = staleDraft(chain, 'PHONE_ENTRY');
      await expect(
        store.savePhoneEntry({ ...row, state: entryState('DISCARDED'), updatedBy: 'x' }, stale),
      ).rejects.toThrow();
      await expect(store.deletePhoneEntry('P3', 'OB', stale)).rejects.toThrow();
      expect(await store.findPhoneEntry('P3', 'OB')).toEqual(row);
    });

    it('tells each station’s last contact: its last session and its last envelope, refused ones too', async () => {
      const repo = storage.repository;
      await repo.importStations([station('P1'), station('P2'), station('P3')], at);
      const opened = new Date(at.getTime() + 1_000);
      const session = chain.draft({ kind: 'SESSION_OPENED', at: opened, data: {} });
      expect(await repo.recordTotpSuccess('P1', 300, session, { request: 'r', at: opened })).toBe(
        true,
      );
      chain.advance(session);
      const failure = chain.draft({ kind: 'SESSION_REFUSED', at, data: {} });
      await repo.recordTotpFailure('P3', at, failure);
      chain.advance(failure);
      const early = new Date(at.getTime() + 2_000);
      const late = new Date(at.getTime() + 3_000);
      const state = await repo.loadState();
      let id = state.lastEnvelopeId;
      for (const [precinctId, receivedAt] of [
        ['P2', late],
        ['P2', early],
      ] as const) {
        const batch = refusedEnvelope(chain, ++id, precinctId, receivedAt);
        await repo.commitIntake(batch);
        chain.advance(batch.audit[0]!);
      }
      expect(await repo.officeActions.stationContacts()).toEqual([
        {
          precinctId: 'P1',
          certSerial: 'serial-P1',
          failedAttempts: 0,
          sessionOpenedAt: opened,
          lastReportAt: null,
        },
        {
          precinctId: 'P2',
          certSerial: 'serial-P2',
          failedAttempts: 0,
          sessionOpenedAt: null,
          lastReportAt: late,
        },
        {
          precinctId: 'P3',
          certSerial: 'serial-P3',
          failedAttempts: 1,
          sessionOpenedAt: null,
          lastReportAt: null,
        },
      ]);
    });

    it('appends audit rows that form one intact chain with the rest', async () => {
      await audited('KIT_REVOKED', (audit) => storage.repository.officeActions.appendAudit(audit));
      const rows = await read<AuditRow>(
        db,
        'SELECT "id", "event", "prevHash", "hash" FROM "AuditEvent" ORDER BY "id"',
      );
      expect(rows.map((r) => r.id)).toEqual(Array.from({ length: chain.headId }, (_, i) => i + 1));
      expect(verifyAuditChain(rows)).toBeNull();
    });
  },
);
