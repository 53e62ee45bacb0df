import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../central-server/index.ts';
import type { AuditRow } from '../../central-server/storage/repository.ts';
import type { ServerProcess } from '../../cli/demo/server-process.ts';
import { freshDatabase, query } from '../postgres/database.ts';
import {
  countVotes,
  prepareKit,
  publishedVotes,
  sendReport,
  setUpOffice,
  startServerOn,
  storedSchnellmeldungen,
} from './durability-harness.ts';
import type { Answer, Office, StoredReport } from './durability-harness.ts';

/*
 * The durability test on PostgreSQL with two servers, as behind a load balancer: reports go to
 * both; one server is killed (SIGKILL) in the middle of the burst; a kit whose request got no
 * answer sends the same bytes to the other server (what nginx and the kit's resend do); the killed
 * server is started again. Every receipted report must be stored exactly once under the receipt
 * its kit got, the chains gap-free, and both servers must publish the recount.
 */
type Shot = {
  precinctId: string;
  contestId: string;
  token: string;
  envelope: string;
  /** the answers in order: to the first server tried, then (after no answer) to the other */
  answers: Answer[];
};

const IN_FLIGHT = 64;

const receipted = (shot: Shot) => shot.answers.find((a) => a.kind === 'ACCEPTED');

async function readPostgres(url: string) {
  const reports = await query<StoredReport>(
    url,
    'SELECT "sequence", "precinctId", "contestId", "revision", "signedBytes" FROM "Report" ORDER BY "sequence"',
  );
  const receipts = await query<{ sequence: number; receiptCode: string }>(
    url,
    'SELECT "sequence", "receiptCode" FROM "Receipt"',
  );
  const envelopes = await query<{ id: number }>(
    url,
    'SELECT "id" FROM "ReceivedEnvelope" ORDER BY "id"',
  );
  const audit = await query<AuditRow>(url, 'SELECT * FROM "AuditEvent" ORDER BY "id"');
  return {
    reports,
    receipts: new Map(receipts.map((r) => [r.sequence, r.receiptCode])),
    envelopeIds: envelopes.map((e) => e.id),
    audit,
  };
}

/** Polls (no fixed sleep) until the server publishes `reports` reports, or 30 s pass. */
async function publishedOnceCaughtUp(url: string, reports: number) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const published = await publishedVotes(url);
    if (published.reported === reports || Date.now() > deadline) return published;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('durability on PostgreSQL: two servers, one killed (SIGKILL) in the middle of a burst', () => {
  let dir: string;
  let office: Office;
  let db: string;
  let servers: ServerProcess[];
  const shots: Shot[] = [];
  let killedAfter = 0;
  let stored: Awaited<ReturnType<typeof readPostgres>>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wk-durability-pg-'));
    office = await setUpOffice(dir, 60);
    db = await freshDatabase('durability');
    servers = [await startServerOn(office, db, 'a'), await startServerOn(office, db, 'b')];
    // Morning: every kit opens its session, on either server (a token works on both).
    for (const [i, tally] of office.truth.entries()) {
      const kit = await prepareKit(office, servers[i % 2]!.url, tally);
      shots.push({ precinctId: tally.precinctId, contestId: tally.contestId, ...kit, answers: [] });
    }
    // Evening: all reports at once, alternating between the servers; server a dies as soon as a
    // third have their receipt, and its unanswered kits turn to server b.
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const urls = [a.url, b.url];
    const third = Math.floor(shots.length / 3);
    let next = 0;
    let accepted = 0;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < shots.length) {
          const i = next++;
          const shot = shots[i]!;
          const answer = await sendReport(urls[i % 2]!, shot.token, shot.envelope);
          shot.answers.push(answer);
          if (answer.kind === 'NO_ANSWER') {
            shot.answers.push(await sendReport(b.url, shot.token, shot.envelope));
          }
          if (receipted(shot) !== undefined && ++accepted === third) {
            killedAfter = accepted;
            a.child.kill('SIGKILL');
          }
        }
      }),
    );
    await a.exited;
    servers[0] = await startServerOn(office, db, 'a');
    stored = await readPostgres(db);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(servers?.map((s) => s.stop('SIGTERM')) ?? []);
    await rm(dir, { recursive: true, force: true });
  });

  it('was really killed mid-burst: receipts before, kits without an answer that turned to the other server', () => {
    const turned = shots.filter((s) => s.answers[0]?.kind === 'NO_ANSWER');
    expect(killedAfter).toBeGreaterThan(0);
    expect(turned.length).toBeGreaterThan(0);
    expect(shots.every((s) => receipted(s) !== undefined)).toBe(true);
    process.stderr.write(
      `durability (PostgreSQL, 2 servers): ${shots.length} sent, SIGKILL after ${killedAfter} receipts; ` +
        `${turned.length} without answer resent to the other server; ${stored.reports.length} stored\n`,
    );
  });

  it('stores every receipted report exactly once, under the sequence and receipt code its kit got', () => {
    for (const shot of shots) {
      const answer = receipted(shot);
      if (answer?.kind !== 'ACCEPTED') continue;
      const rows = stored.reports.filter(
        (r) => r.precinctId === shot.precinctId && r.contestId === shot.contestId,
      );
      expect(rows, shot.precinctId).toHaveLength(1);
      expect(rows[0]!.sequence).toBe(answer.sequence);
      expect(stored.receipts.get(answer.sequence)).toBe(answer.receiptCode);
    }
  });

  it('counts nothing twice and keeps one gap-free chain: sequences, envelope ids, the audit log', () => {
    const keys = stored.reports.map((r) => `${r.precinctId}/${r.contestId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(office.truth.length);
    expect(stored.reports.map((r) => r.sequence)).toEqual(keys.map((_, i) => i + 1));
    expect(stored.envelopeIds).toEqual(stored.envelopeIds.map((_, i) => i + 1));
    expect(verifyAuditChain(stored.audit)).toBeNull();
  });

  it('both servers, the restarted one too, publish exactly the totals recounted from the stored reports — the truth', async () => {
    const recount = countVotes(
      office.definition,
      storedSchnellmeldungen(
        stored.reports.map((r) => ({ ...r, signedBytes: Buffer.from(r.signedBytes) })),
      ),
    );
    expect(recount).toEqual(countVotes(office.definition, office.truth));
    for (const server of servers) {
      const published = await publishedOnceCaughtUp(server.url, stored.reports.length);
      expect(published.votes).toEqual(recount);
      expect(published.reported).toBe(stored.reports.length);
    }
  });

  it('after the restart every kit that sends again, to either server, gets its original receipt', async () => {
    for (let i = 0; i < shots.length; i += 32) {
      const batch = shots.slice(i, i + 32);
      const again = await Promise.all(
        batch.map((s, j) => sendReport(servers[(i + j) % 2]!.url, s.token, s.envelope)),
      );
      again.forEach((answer, j) => {
        const before = receipted(batch[j]!);
        expect(answer).toMatchObject({
          kind: 'ACCEPTED',
          status: 200,
          sequence: before?.kind === 'ACCEPTED' ? before.sequence : -1,
        });
      });
    }
    expect((await readPostgres(db)).reports).toHaveLength(office.truth.length);
  });
});
