import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../central-server/index.ts';
import { startPostgresCluster, type PostgresCluster } from '../../cli/postgres/cluster.ts';
import {
  createOffice,
  get,
  openSession,
  startTestServer,
  submit,
  urneReport,
  type Answer,
  type Office,
} from './fixture.ts';

/*
 * PostgreSQL restarts under two running servers (an operator's restart, a failover to the
 * standby under the same name): every connection is cut. The servers must reconnect by
 * themselves — the query pool, the write lock's connection and the LISTEN connection — and the
 * kits' resends complete the count, counted once, on both servers.
 */
let cluster: PostgresCluster;
let office: Office;
let a: RunningServer;
let b: RunningServer;
const tokens = new Map<string, string>();

beforeAll(async () => {
  cluster = await startPostgresCluster();
  office = await createOffice();
  const url = await cluster.createDatabase('restart');
  const publishing = (name: string) => ({ publishDir: join(office.dir, `publication-${name}`) });
  a = await startTestServer(office, url, undefined, publishing('a'));
  b = await startTestServer(office, url, undefined, publishing('b'));
  for (const id of ['P1', 'P2', 'P3']) {
    tokens.set(id, (await openSession(a, office.kits.get(id)!)).body.token as string);
  }
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  await cluster?.stop();
  office?.cleanup();
});

/** The kit's outbox: the same bytes again until the server takes them (or 30 s pass). */
async function sendUntilAccepted(server: RunningServer, id: string, d: [number, number, number]) {
  const envelope = await office.kits.get(id)!.seal(urneReport(id, d));
  const deadline = Date.now() + 30_000;
  let answer: Answer;
  do {
    answer = await submit(server, tokens.get(id), envelope).catch(() => ({
      status: 0,
      body: {},
    }));
    if (answer.status === 200 || answer.status === 201) return answer;
    await new Promise((resolve) => setTimeout(resolve, 200));
  } while (Date.now() < deadline);
  return answer;
}

const counted = async (server: RunningServer) =>
  (await get(`${server.url}/api/v1/results`)).body.reportsCounted as number;

async function eventuallyCounted(server: RunningServer, n: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  let seen = await counted(server);
  while (seen !== n && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    seen = await counted(server);
  }
  return seen;
}

describe('when PostgreSQL restarts under two running servers', () => {
  it('both servers reconnect by themselves, accept the resent reports once, and publish the same count', async () => {
    expect((await sendUntilAccepted(a, 'P1', [300, 250, 140])).status).toBe(201);
    await cluster.restart();
    const p2 = await sendUntilAccepted(b, 'P2', [400, 350, 200]);
    const p3 = await sendUntilAccepted(a, 'P3', [100, 100, 100]);
    expect([p2.status, p3.status]).toEqual([201, 201]);
    expect([p2.body.sequence, p3.body.sequence].sort()).toEqual([2, 3]);
    // the same report again on the other server: its original receipt, nothing counted twice
    const again = await sendUntilAccepted(a, 'P2', [400, 350, 200]);
    expect(again.body.sequence).toBe(p2.body.sequence);
    expect(await eventuallyCounted(a, 3)).toBe(3);
    expect(await eventuallyCounted(b, 3)).toBe(3);
    // each step waits up to 30 s of its own (a restart on a busy machine takes a while)
  }, 150_000);
});
