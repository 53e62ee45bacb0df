import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateDatabase } from '../../../central-server/index.ts';
import { createLogger } from '../../../central-server/logger.ts';
import { AuditChain } from '../../../central-server/storage/audit-chain.ts';
import { openStorage, type OpenedStorage } from '../../../central-server/storage/open-storage.ts';
import type {
  AuditRow,
  IntakeBatch,
  StationImport,
} from '../../../central-server/storage/repository.ts';
import {
  createPool,
  openPostgresClient,
} from '../../../central-server/storage/postgres/connection.ts';
import { EMPTY_LOG_HEAD, appendToLog, type LogAppend } from '../../../central-server/log/append.ts';
import {
  frontierNodes,
  inclusionPlan,
  nodeMap,
  openCheckpoint,
  resolvePlan,
  verifyLogInclusion,
} from '../../../transparency/index.ts';
import { testLogKey } from '../log/log-key.ts';
import { freshDatabase, query } from '../../postgres/database.ts';
import { writeWithPrisma } from './prisma-writes.ts';

/*
 * The repository's contract, run against both databases it supports: a SQLite file (with the
 * threaded intake store the server uses) and a PostgreSQL database on the run's throwaway cluster.
 */
const dir = mkdtempSync(join(tmpdir(), 'wahlkoffer-repository-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const DATABASES = {
  sqlite: async () => join(dir, `repo-${Math.random().toString(36).slice(2)}.db`),
  postgresql: () => freshDatabase('repository'),
};

const at = new Date('2026-09-27T18:31:02.123Z');

function station(precinctId: string, fingerprint = 'f'.repeat(64)): StationImport {
  return {
    precinctId,
    electionId: 'e',
    certSerial: '01',
    certFingerprint: fingerprint,
    totpSecretEnc: 'secret',
  };
}

const logKey = testLogKey();

/** A batch accepting report `sequence` (envelope id = sequence) after `chain`'s head. */
function batch(
  chain: AuditChain,
  sequence: number,
  precinctId = `P${sequence}`,
  log?: LogAppend,
): IntakeBatch {
  const audit = chain.draft({
    kind: 'REPORT_ACCEPTED',
    at,
    precinctId,
    requestId: `req-${sequence}`,
    data: { sequence },
  });
  return {
    envelopes: [
      {
        id: sequence,
        receivedAt: at,
        requestId: `req-${sequence}`,
        precinctId,
        contestId: 'OB',
        revision: 1,
        sha256: 'a'.repeat(64),
        body: new Uint8Array([0, 1, 2, 255]),
        verdict: 'ACCEPTED',
        code: null,
        detail: null,
      },
    ],
    reports: [
      {
        sequence,
        envelopeId: sequence,
        electionId: 'e',
        precinctId,
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
        signingTime: new Date('2026-09-27T18:30:00.001Z'),
        acceptedAt: at,
        acknowledgements: '[]',
        source: 'kit',
      },
    ],
    receipts: [
      { sequence, issuedAt: at, receipt: new Uint8Array([9, 0, 9]), receiptCode: 'AB-CD' },
    ],
    current: [{ precinctId, contestId: 'OB', sequence, revision: 1 }],
    audit: [audit],
    leaves: log?.leaves ?? [],
    nodes: log?.nodes ?? [],
    checkpoints: log === undefined ? [] : [log.checkpoint],
  };
}

const auditRow = (chain: AuditChain, kind: string): AuditRow =>
  chain.draft({ kind, at, precinctId: 'P1', data: {} });

describe.each(Object.keys(DATABASES) as (keyof typeof DATABASES)[])(
  'the repository on %s',
  (provider) => {
    let storage: OpenedStorage;
    beforeAll(async () => {
      const db = await DATABASES[provider]();
      await migrateDatabase(db);
      storage = await openStorage(db, createLogger('silent'));
      return () => storage.close();
    });

    it('imports stations, updates a re-issued one and keeps its TOTP replay floor', async () => {
      const repo = storage.repository;
      expect(await repo.importStations([station('S1'), station('S2')], at)).toEqual({
        added: 2,
        changed: 0,
      });
      const chain = new AuditChain((await repo.loadState()).auditHead);
      const row = auditRow(chain, 'SESSION_OPENED');
      expect(await repo.recordTotpSuccess('S1', 100, row, { request: 'r1', at })).toBe(true);
      chain.advance(row);
      const failure = auditRow(chain, 'SESSION_REFUSED');
      await repo.recordTotpFailure('S1', at, failure);
      chain.advance(failure);
      expect(await repo.importStations([station('S1', 'e'.repeat(64))], at)).toEqual({
        added: 0,
        changed: 1,
      });
      expect(await repo.findStation('S1')).toMatchObject({
        certFingerprint: 'e'.repeat(64),
        totpLastStep: 100,
        failedAttempts: 0,
        lastFailureAt: null,
        sessionRequest: 'r1',
        sessionOpenedAt: at,
      });
      expect(await repo.findStation('nope')).toBeNull();
    });

    it('imports a register larger than one query in slices: every station stored once, a re-issue found in any slice', async () => {
      const repo = storage.repository;
      const register = Array.from({ length: 2_500 }, (_, i) => station(`N${i}`));
      expect(await repo.importStations(register, at)).toEqual({ added: 2_500, changed: 0 });
      expect(await repo.findStation('N2499')).toMatchObject({
        certFingerprint: 'f'.repeat(64),
        totpLastStep: -1,
        failedAttempts: 0,
        lastFailureAt: null,
        importedAt: at,
        sessionRequest: null,
      });
      const reissued = register.map((s, i) =>
        i === 2_400 ? station(s.precinctId, 'a'.repeat(64)) : s,
      );
      expect(await repo.importStations([...reissued, station('N2500')], at)).toEqual({
        added: 1,
        changed: 1,
      });
      expect((await repo.findStation('N2400'))?.certFingerprint).toBe('a'.repeat(64));
    });

    it('accepts a TOTP step once only, also when two servers race for it', async () => {
      const repo = storage.repository;
      await repo.importStations([station('S3')], at);
      const head = (await repo.loadState()).auditHead;
      const a = new AuditChain(head).draft({ kind: 'SESSION_OPENED', at, data: { n: 1 } });
      const b = new AuditChain(head).draft({ kind: 'SESSION_OPENED', at, data: { n: 2 } });
      const attempt = (row: AuditRow) =>
        repo.recordTotpSuccess('S3', 200, row, { request: 'r3', at });
      // Two servers race only on PostgreSQL; a SQLite file has one server, whose write lock
      // serialises its transactions.
      const results =
        provider === 'postgresql'
          ? await Promise.allSettled([attempt(a), attempt(b)])
          : [
              await attempt(a).then((value) => ({ status: 'fulfilled' as const, value })),
              await attempt(b).then((value) => ({ status: 'fulfilled' as const, value })),
            ];
      const won = results.filter((r) => r.status === 'fulfilled' && r.value === true);
      expect(won).toHaveLength(1);
      expect((await repo.findStation('S3'))?.totpLastStep).toBe(200);
    });

    it('stores a batch with every byte and millisecond, reads it back, and loads the tail after a sequence', async () => {
      const repo = storage.repository;
      const before = await repo.loadState();
      const chain = new AuditChain(before.auditHead);
      const first = batch(chain, before.lastSequence + 1);
      await repo.commitIntake(first);
      chain.advance(first.audit[0]!);
      const second = batch(chain, before.lastSequence + 2);
      await repo.commitIntake(second);
      const state = await repo.loadState();
      expect(state.lastSequence).toBe(before.lastSequence + 2);
      expect(state.lastEnvelopeId).toBe(before.lastSequence + 2);
      expect(state.auditHead).toEqual({ id: second.audit[0]!.id, hash: second.audit[0]!.hash });
      const { signedData: _, ...stored } = second.reports[0]!;
      const last = state.reports.at(-1)!;
      expect({ ...last, signedBytes: [...last.signedBytes] }).toEqual({
        ...stored,
        signedBytes: [...stored.signedBytes],
      });
      const receipt = (await repo.findReceipt(second.receipts[0]!.sequence))!;
      expect({ ...receipt, receipt: [...receipt.receipt] }).toEqual({
        ...second.receipts[0],
        receipt: [9, 0, 9],
      });
      const tail = await repo.loadTail(before.lastSequence + 1);
      expect(tail.reports.map((r) => r.sequence)).toEqual([before.lastSequence + 2]);
      expect(tail.auditHead).toEqual(state.auditHead);
      expect((await repo.loadTail(state.lastSequence)).reports).toEqual([]);
      const history = await repo.precinctHistory(second.reports[0]!.precinctId, 10);
      expect(history.reports).toEqual([
        expect.objectContaining({ sequence: second.reports[0]!.sequence, receiptCode: 'AB-CD' }),
      ]);
    });

    it('stores nothing of a batch that fails half-way, and refuses a second writer on a stale head', async () => {
      const repo = storage.repository;
      const before = await repo.loadState();
      const chain = new AuditChain(before.auditHead);
      const good = batch(chain, before.lastSequence + 1);
      const broken = { ...good, receipts: [...good.receipts, ...good.receipts] };
      await expect(repo.commitIntake(broken)).rejects.toThrow();
      expect(await repo.loadState()).toEqual(before);
      await repo.commitIntake(good);
      // drafted against the same head as `good`: it collides on the envelope id, sequence and
      // audit id, so nothing of it is stored
      const stale = batch(new AuditChain(before.auditHead), before.lastSequence + 1, 'OTHER');
      await expect(repo.commitIntake(stale)).rejects.toThrow();
      expect((await repo.loadState()).reports.filter((r) => r.precinctId === 'OTHER')).toEqual([]);
    });

    it('stores the log with its batch and serves its nodes, leaves and checkpoints', async () => {
      const repo = storage.repository;
      const before = await repo.loadState();
      expect(before.logSize).toBe(0);
      expect(before.checkpoint).toBeNull();
      let head = EMPTY_LOG_HEAD;
      let chain = new AuditChain(before.auditHead);
      const records: { sequence: number; leaf: string }[] = [];
      for (const n of [1, 4, 2]) {
        const add = Array.from({ length: n }, (_, k) => {
          const sequence = before.lastSequence + records.length + k + 1;
          return { sequence, leaf: `{"leaf":${sequence}}` };
        });
        // one report row per batch is enough for the store; the log takes n leaves
        const log = appendToLog(head, add, logKey.sign, at);
        const b = batch(chain, add.at(-1)!.sequence, undefined, log);
        await repo.commitIntake(b);
        chain = new AuditChain({ id: b.audit[0]!.id, hash: b.audit[0]!.hash });
        head = log.head;
        records.push(...add);
      }
      const state = await repo.loadState();
      expect(state.logSize).toBe(7);
      expect(state.checkpoint).toEqual(head.checkpoint);
      expect(openCheckpoint(state.checkpoint!.note, logKey.verifier).size).toBe(7);
      const frontier = await repo.logNodes(frontierNodes(7));
      expect(frontier.map((n) => [...n.hash])).toEqual(head.frontier.hashes.map((h) => [...h]));
      expect((await repo.logLeaves(2, 5)).map((l) => l.leaf)).toEqual(
        records.slice(2, 5).map((r) => r.leaf),
      );
      const plan = inclusionPlan(3, 7);
      const proof = resolvePlan(plan, nodeMap(await repo.logNodes(plan.nodes)));
      verifyLogInclusion(
        records[3]!.leaf,
        {
          index: 3,
          proof: proof.map((h) => Buffer.from(h).toString('base64')),
          checkpoint: state.checkpoint!.note,
        },
        logKey.verifier,
      );
      expect((await repo.checkpointAt(5))?.size).toBe(5);
      expect(await repo.checkpointAt(6)).toBeNull();
    });

    it('records the installation once and hands it back to every later server', async () => {
      const repo = storage.repository;
      const first = { electionId: 'e', keyCheck: 'k1' };
      expect(await repo.claimInstallation(first, at)).toEqual(first);
      expect(await repo.claimInstallation({ electionId: 'x', keyCheck: 'k2' }, at)).toEqual(first);
    });

    it('keeps the records of refused requests and counts them', async () => {
      const repo = storage.repository;
      const rows = [
        { at, route: 'submitReport', code: 'TOKEN_MISSING', size: 10, hash: null, source: '::1' },
        { at, route: 'precinctStatus', code: 'TOKEN_INVALID', size: null, hash: 'h', source: 'x' },
      ];
      await repo.appendRefusals(rows);
      expect(await repo.countRefusals()).toBe(2);
    });
  },
);

describe('the PostgreSQL intake store', () => {
  it('writes exactly the rows and encodings that Prisma writes, and Prisma reads them back', async () => {
    const [viaPrisma, viaStore] = [
      await freshDatabase('via_prisma'),
      await freshDatabase('via_store'),
    ];
    await migrateDatabase(viaPrisma);
    await migrateDatabase(viaStore);
    const pool = createPool(viaPrisma, { size: 1 });
    const prisma = await openPostgresClient(pool);
    const storePool = createPool(viaStore, { size: 1 });
    const reader = await openPostgresClient(storePool);
    const store = await openStorage(viaStore, createLogger('silent'));
    const fromPrisma = await openStorage(viaPrisma, createLogger('silent'));
    try {
      const chain = new AuditChain(null);
      const log1 = appendToLog(EMPTY_LOG_HEAD, [{ sequence: 1, leaf: 'one' }], logKey.sign, at);
      const first = batch(chain, 1, 'P1', log1);
      chain.advance(first.audit[0]!);
      const log2 = appendToLog(log1.head, [{ sequence: 2, leaf: 'two' }], logKey.sign, at);
      const second = batch(chain, 2, 'P9', log2);
      for (const b of [first, second]) {
        await writeWithPrisma(prisma, b);
        await store.repository.commitIntake(b);
      }
      const tables = [
        'ReceivedEnvelope',
        'Report',
        'Receipt',
        'CurrentReport',
        'AuditEvent',
        'LogLeaf',
        'LogNode',
        'Checkpoint',
      ];
      for (const table of tables) {
        const dump = (url: string) => query(url, `SELECT * FROM "${table}" ORDER BY 1, 2`);
        expect(await dump(viaStore), table).toEqual(await dump(viaPrisma));
      }
      expect(await reader.report.findMany({ orderBy: { sequence: 'asc' } })).toEqual([
        first.reports[0],
        second.reports[0],
      ]);
      expect(await store.repository.loadState()).toEqual(await fromPrisma.repository.loadState());
    } finally {
      await prisma.$disconnect();
      await reader.$disconnect();
      await pool.end();
      await storePool.end();
      await store.close();
      await fromPrisma.close();
    }
  });
});
