import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../../central-server/index.ts';
import type { BoardDelta } from '../../../../central-server/office/live/board.ts';
import {
  createOffice,
  openSession,
  startTestServer,
  submit,
  totpAt,
  urneReport,
  type Office,
} from '../../fixture.ts';

let office: Office;
let server: RunningServer;
const deltas: BoardDelta[] = [];

beforeAll(async () => {
  office = await createOffice();
  server = await startTestServer(office);
  server.liveFeed.subscribe((update) => {
    if (update.kind === 'delta') deltas.push(update.published.delta);
  });
});
afterAll(async () => {
  await server.close();
  office.cleanup();
});

/** Waits (reading the logs and publishing) until a published delta satisfies `found`. */
async function published<T>(found: (delta: BoardDelta) => T | undefined): Promise<T> {
  for (let i = 0; i < 200; i++) {
    await server.liveFeed.poll();
    server.liveFeed.publish();
    for (const delta of deltas) {
      const hit = found(delta);
      if (hit !== undefined) return hit;
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('no such delta was published');
}

const tokens = new Map<string, string>();
async function send(precinctId: string, report: ReturnType<typeof urneReport>) {
  const kit = office.kits.get(precinctId)!;
  let token = tokens.get(precinctId);
  if (token === undefined) {
    token = (await openSession(server, kit)).body.token as string;
    tokens.set(precinctId, token);
  }
  return submit(server, token, await kit.seal(report));
}

describe('the live feed of a running server', () => {
  it('publishes an accepted report as the district "eingegangen", with its areas\' counts', async () => {
    expect((await send('P1', urneReport('P1', [300, 250, 140]))).status).toBe(201);
    const delta = await published((d) =>
      d.districts.some((x) => x.precinctId === 'P1') ? d : undefined,
    );
    expect(delta.districts).toContainEqual({ precinctId: 'P1', state: 'received' });
    expect(delta.areas.map((a) => a.areaId).sort()).toEqual(['M', 'SB1']);
  });

  it('publishes a refused report from the audit log: code, station, and the district "abgelehnt"', async () => {
    const bad = urneReport('P2', [300, 250, 140]);
    const answer = await send('P2', { ...bad, counts: { ...bad.counts, D: 1 } });
    expect(answer.status).toBe(422);
    const refusal = await published((d) => d.refusals.find((r) => r.precinctId === 'P2'));
    expect(refusal).toMatchObject({ attempt: 'report', code: 'PLAUSIBILITY_ERROR' });
    expect(server.liveFeed.board.district('P2')?.state).toBe('refused');
  });

  it('publishes a refused session of a known station (a wrong TOTP code)', async () => {
    const kit = office.kits.get('P3')!;
    const wrong = String((Number(totpAt(kit, new Date())) + 1) % 1_000_000).padStart(6, '0');
    expect((await openSession(server, kit, wrong)).status).toBe(401);
    const refusal = await published((d) =>
      d.refusals.find((r) => r.precinctId === 'P3' && r.attempt === 'session'),
    );
    expect(refusal.code).toBe('TOTP_INVALID');
  });

  it('publishes a request without a valid session with its peer address', async () => {
    expect((await submit(server, 'not-a-token', 'x')).status).toBe(401);
    const refusal = await published((d) => d.refusals.find((r) => r.attempt === 'request'));
    expect(refusal.origin).toMatch(/127\.0\.0\.1/);
    expect(refusal.precinctId).toBeNull();
  });

  it('publishes a phone confirmation: the district becomes "telefonisch bestätigt"', async () => {
    const history = await server.officeActions.store.phoneConfirmations();
    expect(history).toHaveLength(0);
    const sent = await send('B1', {
      ...urneReport('P1', [1, 1, 1]),
      precinctId: 'B1',
      counts: { B: 103, B1: 103, C: 3, D: 100, D1: 50, D2: 30, D3: 20 },
    });
    expect(sent.status).toBe(201);
    await server.officeActions.phone.confirm({
      precinctId: 'B1',
      code: sent.body.receiptCode as string,
      user: 'anna',
      requestId: 'test-confirm',
    });
    await published((d) =>
      d.districts.find((x) => x.precinctId === 'B1' && x.state === 'phone-confirmed'),
    );
    expect(server.liveFeed.board.counts('SB1')).toEqual([0, 1, 0, 0, 1, 0]);
  });
});
