import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  countVotes,
  prepareKit,
  publishedVotes,
  readDatabase,
  sendReport,
  setUpOffice,
  startServer,
  storedSchnellmeldungen,
} from './durability-harness.ts';
import type { Answer, Office } from './durability-harness.ts';
import type { ServerProcess as RunningServer } from '../../cli/demo/server-process.ts';

/** One pre-sealed report of the burst and what the kit got back for it. */
type Shot = {
  precinctId: string;
  contestId: string;
  token: string;
  envelope: string;
  answer?: Answer;
};

const IN_FLIGHT = 64;

describe('durability: the server is killed (SIGKILL) in the middle of a burst of reports', () => {
  let dir: string;
  let office: Office;
  let server: RunningServer;
  const shots: Shot[] = [];
  let killedAfter = 0;
  let afterRestart: ReturnType<typeof readDatabase>;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'wk-durability-'));
    office = await setUpOffice(dir, 120);
    server = await startServer(office);
    // Morning: every kit unlocks its bundle, opens its session and seals its report.
    for (const tally of office.truth) {
      shots.push({
        precinctId: tally.precinctId,
        contestId: tally.contestId,
        ...(await prepareKit(office, server.url, tally)),
      });
    }
    // Evening: all reports at once, 64 in flight; kill -9 as soon as a third have their receipt.
    const third = Math.floor(shots.length / 3);
    let next = 0;
    let accepted = 0;
    const url = server.url;
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        while (next < shots.length) {
          const shot = shots[next++]!;
          shot.answer = await sendReport(url, shot.token, shot.envelope);
          if (shot.answer.kind === 'ACCEPTED' && ++accepted === third) {
            killedAfter = accepted;
            server.child.kill('SIGKILL');
          }
        }
      }),
    );
    await server.exited;
    server = await startServer(office);
    afterRestart = readDatabase(office.dbFile);
  }, 180_000);

  afterAll(async () => {
    await server?.stop('SIGTERM');
    await rm(dir, { recursive: true, force: true });
  });

  it('was really killed mid-burst: some reports got receipts, others no answer; the file is sound', () => {
    const receipted = shots.filter((s) => s.answer?.kind === 'ACCEPTED');
    const lost = shots.filter((s) => s.answer?.kind === 'NO_ANSWER');
    expect(killedAfter).toBeGreaterThan(0);
    expect(receipted.length).toBeGreaterThanOrEqual(killedAfter);
    expect(lost.length).toBeGreaterThan(0);
    expect(afterRestart.integrity).toBe('ok');
    process.stderr.write(
      `durability: ${shots.length} sent, SIGKILL after ${killedAfter} receipts; ${receipted.length} receipted, ` +
        `${lost.length} without answer, ${afterRestart.reports.length} stored after restart\n`,
    );
  });

  it('stores every receipted report exactly once, under the sequence and receipt code the kit got', () => {
    for (const shot of shots) {
      if (shot.answer?.kind !== 'ACCEPTED') continue;
      const rows = afterRestart.reports.filter(
        (r) => r.precinctId === shot.precinctId && r.contestId === shot.contestId,
      );
      expect(rows, shot.precinctId).toHaveLength(1);
      expect(rows[0]!.sequence).toBe(shot.answer.sequence);
      expect(afterRestart.receipts.get(shot.answer.sequence)).toBe(shot.answer.receiptCode);
    }
  });

  it('counts nothing twice: one report per precinct and contest, gap-free sequence numbers', () => {
    const keys = afterRestart.reports.map((r) => `${r.precinctId}/${r.contestId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(afterRestart.reports.map((r) => r.sequence)).toEqual(keys.map((_, i) => i + 1));
  });

  it('publishes after the restart exactly the totals recounted from the stored reports', async () => {
    const published = await publishedVotes(server.url);
    expect(published.votes).toEqual(
      countVotes(office.definition, storedSchnellmeldungen(afterRestart.reports)),
    );
    expect(published.reported).toBe(afterRestart.reports.length);
  });

  it('after the restart the same session tokens work: receipted reports get their original receipt, the rest complete the count', async () => {
    const again: Answer[] = [];
    for (let i = 0; i < shots.length; i += 32) {
      const batch = shots.slice(i, i + 32);
      again.push(
        ...(await Promise.all(batch.map((s) => sendReport(server.url, s.token, s.envelope)))),
      );
    }
    again.forEach((answer, i) => {
      const before = shots[i]!.answer;
      expect(answer.kind, shots[i]!.precinctId).toBe('ACCEPTED');
      if (before?.kind === 'ACCEPTED') {
        expect(answer).toMatchObject({
          status: 200,
          sequence: before.sequence,
          receiptCode: before.receiptCode,
        });
      }
    });
    const final = readDatabase(office.dbFile);
    expect(final.reports).toHaveLength(office.truth.length);
    const published = await publishedVotes(server.url);
    expect(published.votes).toEqual(countVotes(office.definition, office.truth));
    expect(published.votes).toEqual(
      countVotes(office.definition, storedSchnellmeldungen(final.reports)),
    );
  });
});
