import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../../central-server/index.ts';
import { AuditChain } from '../../../central-server/storage/audit-chain.ts';
import { openDatabase } from '../../../central-server/storage/database.ts';
import type { IntakeBatch } from '../../../central-server/storage/repository.ts';
import { SqliteIntakeStore } from '../../../central-server/storage/sqlite-intake-store.ts';
import { SqliteClient } from '../../../central-server/storage/sql-client.ts';
import { SqlRepository } from '../../../central-server/storage/sql-repository.ts';
import {
  WAL_AUTOCHECKPOINT_PAGES,
  useWal,
} from '../../../central-server/storage/sqlite-pragmas.ts';
import { EMPTY_LOG_HEAD, appendToLog } from '../../../central-server/log/append.ts';
import { testLogKey } from '../log/log-key.ts';
import { writeWithPrisma } from './prisma-writes.ts';

const dir = mkdtempSync(join(tmpdir(), 'wahlkoffer-store-'));
const log = appendToLog(
  EMPTY_LOG_HEAD,
  [{ sequence: 1, leaf: '{"sequence":1}' }],
  testLogKey().sign,
  new Date('2026-09-27T18:31:02.123Z'),
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function batch(): IntakeBatch {
  const at = new Date('2026-09-27T18:31:02.123Z');
  const chain = new AuditChain(null);
  const a1 = chain.draft({
    kind: 'REPORT_ACCEPTED',
    at,
    precinctId: 'P1',
    requestId: 'req-1',
    data: { sequence: 1 },
  });
  const a2 = chain.draft(
    { kind: 'REPORT_REJECTED', at, precinctId: 'P2', requestId: 'req-2', data: { code: 'X' } },
    a1,
  );
  return {
    envelopes: [
      {
        id: 1,
        receivedAt: at,
        requestId: 'req-1',
        precinctId: 'P1',
        contestId: 'OB',
        revision: 1,
        sha256: 'a'.repeat(64),
        body: new Uint8Array([1, 2, 3]),
        verdict: 'ACCEPTED',
        code: null,
        detail: null,
      },
      {
        id: 2,
        receivedAt: at,
        requestId: 'req-2',
        precinctId: null,
        contestId: null,
        revision: null,
        sha256: 'b'.repeat(64),
        body: new Uint8Array([0, 255]),
        verdict: 'REJECTED',
        code: 'TOKEN_MISSING',
        detail: '{"x":1}',
      },
    ],
    reports: [
      {
        sequence: 1,
        envelopeId: 1,
        electionId: 'e',
        precinctId: 'P1',
        contestId: 'OB',
        revision: 1,
        correctionReason: null,
        envelopeHash: 'a'.repeat(64),
        contentHash: 'c'.repeat(64),
        signedBytes: new Uint8Array([123, 125]),
        signedData: new Uint8Array([48, 0]),
        counts: '{"B":1}',
        certSerial: '01',
        certFingerprint: 'f'.repeat(64),
        signingTime: new Date('2026-09-27T18:30:00.000Z'),
        acceptedAt: at,
        acknowledgements: '[]',
        source: 'telefonisch',
      },
    ],
    receipts: [
      { sequence: 1, issuedAt: at, receipt: new Uint8Array([9, 9]), receiptCode: 'ABCD-EFGH' },
    ],
    current: [{ precinctId: 'P1', contestId: 'OB', sequence: 1, revision: 1 }],
    audit: [a1, a2],
    leaves: log.leaves,
    nodes: log.nodes,
    checkpoints: [log.checkpoint],
  };
}

const TABLES = [
  'ReceivedEnvelope',
  'Report',
  'Receipt',
  'CurrentReport',
  'AuditEvent',
  'LogLeaf',
  'LogNode',
  'Checkpoint',
];

function dump(file: string) {
  const db = new Database(file, { readonly: true });
  const out = Object.fromEntries(TABLES.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all()]));
  db.close();
  return out;
}

describe('the SQLite fast path of the intake write', () => {
  it('writes exactly what Prisma writes, and both Prisma and the server read it back', async () => {
    const viaPrisma = join(dir, 'prisma.db');
    const viaStore = join(dir, 'store.db');
    await migrateDatabase(viaPrisma);
    await migrateDatabase(viaStore);
    const prisma = await openDatabase(viaPrisma);
    await writeWithPrisma(prisma, batch());
    await prisma.$disconnect();
    const store = new SqliteIntakeStore(viaStore);
    await store.commit(batch());
    expect(dump(viaStore)).toEqual(dump(viaPrisma));
    // what Prisma reads from the store's rows (the audit export reads them this way)
    const reader = await openDatabase(viaStore);
    const [report] = await reader.report.findMany();
    expect(report).toEqual(batch().reports[0]);
    await reader.$disconnect();
    // what the server reads from rows Prisma wrote, and from its own
    const fromPrisma = new SqlRepository(
      new SqliteClient(viaPrisma),
      new SqliteIntakeStore(viaPrisma),
    );
    const fromStore = new SqlRepository(new SqliteClient(viaStore), store);
    const { signedData: _, ...read } = batch().reports[0]!;
    expect((await fromStore.loadState()).reports).toEqual([read]);
    expect(await fromStore.loadState()).toEqual(await fromPrisma.loadState());
    expect(await fromStore.findReceipt(1)).toEqual(batch().receipts[0]);
    expect(await fromStore.findReceipt(1)).toEqual(await fromPrisma.findReceipt(1));
    await fromPrisma.close();
    await fromStore.close();
  });

  it('stores nothing of a batch that fails half-way', async () => {
    const file = join(dir, 'half.db');
    await migrateDatabase(file);
    const store = new SqliteIntakeStore(file);
    const broken = batch();
    const twice = { ...broken, receipts: [...broken.receipts, ...broken.receipts] };
    expect(() => store.commitSync(twice)).toThrow();
    await store.close();
    const rows = dump(file);
    expect(TABLES.map((t) => (rows[t] as unknown[]).length)).toEqual(TABLES.map(() => 0));
  });

  it('gives every connection to the file the same WAL settings, the checkpoint threshold included', async () => {
    const file = join(dir, 'pragmas.db');
    const raw = new Database(file);
    useWal(raw);
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('synchronous', { simple: true })).toBe(2); // FULL
    expect(raw.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
    raw.close();
    // the main thread's connection: a lower threshold there would move checkpoints into it
    const client = new SqliteClient(file);
    expect(await client.all('PRAGMA wal_autocheckpoint')).toEqual([
      { wal_autocheckpoint: WAL_AUTOCHECKPOINT_PAGES },
    ]);
    await client.close();
  });
});
