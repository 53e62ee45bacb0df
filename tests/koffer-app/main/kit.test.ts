import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StationClient } from '../../../api/index.ts';
import type { RunningServer } from '../../../central-server/index.ts';
import type { FourEyesEvent, Person } from '../../../election/index.ts';
import { APP_ORIGIN, createBridge, type KitBridge } from '../../../koffer-app/shared/index.ts';
import { createDispatch } from '../../../koffer-app/main/ipc/index.ts';
import { createKit, type Kit } from '../../../koffer-app/main/kit.ts';
import { createKitMain } from '../../../koffer-app/main/index.ts';
import { createBundleSource } from '../../../koffer-app/main/provisioning/candidates.ts';
import { groupFingerprint } from '../../../koffer-app/main/provisioning/fingerprint.ts';
import { createKitOffice, startOfficeServer, totpAt, type KitOffice } from '../office.ts';

/*
 * The whole main process as the renderer sees it: the kit's handler table behind the one
 * dispatcher and the bridge, against a real server — provisioning, unlock, session, the
 * four-eyes entry, seal, delivery with a verified receipt, the paper record's data, a restart.
 */
let office: KitOffice;
let server: RunningServer;
let scratch: string;
let dataDir: string;

beforeAll(async () => {
  office = await createKitOffice({ name: 'kit' });
  scratch = mkdtempSync(join(tmpdir(), 'kit-main-'));
  dataDir = join(scratch, 'kit');
  server = await startOfficeServer(office, join(scratch, 'server.db'));
}, 120_000);
afterAll(async () => {
  await server.close();
  office.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

async function start(): Promise<{ kit: Kit; bridge: KitBridge }> {
  const kit = await createKit({
    dataDir,
    bundles: createBundleSource({ files: [office.kits.get('P1')!.bundleFile], mediaDirs: [] }),
    clock: () => new Date(),
    random: () => 0.5,
    // the bundle names the office's production URL; here the server listens on a free port
    connect: ({ rootCaPem }) => new StationClient({ serverUrl: server.url, rootCaPem }),
    printer: async () => {
      throw new Error('no printer in this test');
    },
  });
  const dispatch = createDispatch({
    handlers: kit.handlers,
    trustedOrigin: APP_ORIGIN,
    onUnexpected: (channel, error) => console.error(channel, error),
  });
  const bridge = createBridge((channel, payload) =>
    dispatch(channel, payload, { url: `${APP_ORIGIN}/index.html`, isMainFrame: true }),
  );
  return { kit, bridge };
}

async function value<T>(
  reply: Promise<{ ok: true; value: T } | { ok: false; error: { code: string } }>,
): Promise<T> {
  const r = await reply;
  if (!r.ok) throw new Error(`refused: ${r.error.code}`);
  return r.value;
}
async function code(reply: Promise<{ ok: boolean; error?: { code: string } }>): Promise<string> {
  const r = await reply;
  return r.ok ? 'OK' : r.error!.code;
}

const maria: Person = { id: 'p-maria', name: 'Maria Müller', role: 'WAHLVORSTEHER' };
const jonas: Person = { id: 'p-jonas', name: 'Jonas Becker', role: 'SCHRIFTFUEHRER' };
const COUNTED = { A: 1100, B: 605, B1: 50, C: 5, D: 600, D1: 300, D2: 200, D3: 100 };
const type = (values: Record<string, number>): FourEyesEvent[] =>
  Object.entries(values).map(([key, v]) => ({ type: 'SET_VALUE', key, value: v }));

describe('the kit’s main process behind the bridge', () => {
  let kit: Kit;
  let bridge: KitBridge;
  beforeAll(async () => {
    ({ kit, bridge } = await start());
  });

  it('starts unprovisioned and offers the --bundle file by id', async () => {
    const status = await value(bridge.getStatus({}));
    expect(status.phase).toBe('NOT_PROVISIONED');
    expect(status.bundleCandidates).toHaveLength(1);
    expect(await code(bridge.unlock({ passphrase: 'x' }))).toBe('NOT_PROVISIONED');
  });

  it('installs the bundle only with the root fingerprint from the letter', async () => {
    const [candidate] = (await value(bridge.getStatus({}))).bundleCandidates;
    const wrong = office.rootFingerprint.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'));
    expect(
      await code(bridge.installBundle({ candidateId: candidate!.id, rootFingerprint: wrong })),
    ).toBe('ROOT_FINGERPRINT_MISMATCH');
    const station = await value(
      bridge.installBundle({
        candidateId: candidate!.id,
        rootFingerprint: groupFingerprint(office.rootFingerprint),
      }),
    );
    expect(station).toMatchObject({
      precinctId: 'P1',
      precinctNumber: '0101',
      contests: [{ id: 'OB' }],
    });
    expect((await value(bridge.getStatus({}))).phase).toBe('LOCKED');
  });

  it('unlocks with the passphrase, refusing a wrong one with the count', async () => {
    const wrong = await bridge.unlock({ passphrase: 'apfel birne kirsche pflaume traube' });
    expect(wrong).toMatchObject({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', details: { failedAttempts: 1 } },
    });
    await value(bridge.unlock({ passphrase: office.kits.get('P1')!.passphrase }));
    expect((await value(bridge.getStatus({}))).phase).toBe('UNLOCKED');
  });

  it('takes the four-eyes entry, durably: a restart mid-entry loses nothing; blind second entry, one difference settled, no signing from the renderer', async () => {
    for (const event of [
      { type: 'START_FIRST_ENTRY', person: maria },
      ...type(COUNTED),
    ] as FourEyesEvent[]) {
      await value(bridge.dispatchEntry({ contestId: 'OB', event }));
    }
    // the power goes off mid-entry: every keystroke that was answered is on disk
    await kit.close();
    ({ kit, bridge } = await start());
    await value(bridge.unlock({ passphrase: office.kits.get('P1')!.passphrase }));
    const resumed = await value(bridge.getEntry({ contestId: 'OB' }));
    expect(resumed.state.status).toBe('FIRST_ENTRY_IN_PROGRESS');
    expect(JSON.stringify(resumed.state)).toContain('"D3":100');
    const events: FourEyesEvent[] = [
      { type: 'FINISH_ENTRY' },
      { type: 'START_SECOND_ENTRY', person: jonas },
      ...type({ ...COUNTED, B1: 51 }),
      { type: 'FINISH_ENTRY' },
    ];
    let view;
    for (const event of events)
      view = await value(bridge.dispatchEntry({ contestId: 'OB', event }));
    expect(view!.state.status).toBe('ENTRIES_DIFFER');
    expect(
      await code(bridge.dispatchEntry({ contestId: 'OB', event: { type: 'FINISH_ENTRY' } })),
    ).not.toBe('OK');
    await value(
      bridge.dispatchEntry({
        contestId: 'OB',
        event: { type: 'RESOLVE_DIFFERENCE', key: 'B1', choice: 'KEEP_FIRST' },
      }),
    );
    view = await value(
      bridge.dispatchEntry({ contestId: 'OB', event: { type: 'FINISH_RESOLUTION' } }),
    );
    expect(view.state.status).toBe('READY_TO_SIGN');
    expect(view.fields.map((f) => f.key)).toContain('D3');
    expect(await code(bridge.dispatchEntry({ contestId: 'OB', event: { type: 'SIGN' } }))).toBe(
      'NOT_READY_TO_SIGN',
    );
  });

  it('seals, keeps the report until a session exists, then delivers it with a verified receipt', async () => {
    const item = await value(bridge.sealReport({ contestId: 'OB' }));
    expect(item).toMatchObject({ state: 'WAITING', revision: 1 });
    expect((await value(bridge.getEntry({ contestId: 'OB' }))).state.status).toBe('SIGNED');
    expect(await kit.deliverDue()).toBe(1);
    expect((await value(bridge.listOutbox({})))[0]!.lastError?.code).toBe('SESSION_REQUIRED');
    expect(await code(bridge.openSession({ totp: '12345' }))).toBe('TOTP_MALFORMED');
    await value(bridge.openSession({ totp: totpAt(office.kits.get('P1')!, new Date()) }));
    const [done] = await value(bridge.sendNow({}));
    expect(done).toMatchObject({
      state: 'CONFIRMED',
      receipt: { receiptCode: expect.stringMatching(/-/) },
    });
    const paper = await value(bridge.getPaperRecord({ outboxId: done!.id }));
    expect(paper).toMatchObject({
      revision: 1,
      counts: { B1: 50, D1: 300 },
      receipt: { receiptCode: done!.receipt!.receiptCode },
    });
    expect(paper.enteredBy.map((e) => e.name).sort()).toEqual(['Jonas Becker', 'Maria Müller']);
    expect(await code(bridge.printPaperRecord({ outboxId: done!.id }))).toBe('PRINT_FAILED');
  });

  it('after a restart: locked again; unlocking restores entry, outbox and session without a new code', async () => {
    await kit.close();
    ({ kit, bridge } = await start());
    expect((await value(bridge.getStatus({}))).phase).toBe('LOCKED');
    expect(await code(bridge.listOutbox({}))).toBe('KIT_LOCKED');
    await value(bridge.unlock({ passphrase: office.kits.get('P1')!.passphrase }));
    const status = await value(bridge.getStatus({}));
    expect(status.session.state).toBe('OPEN');
    expect((await value(bridge.listOutbox({})))[0]!.state).toBe('CONFIRMED');
    expect((await value(bridge.getEntry({ contestId: 'OB' }))).state.status).toBe('SIGNED');
    expect(readFileSync(join(dataDir, 'kit.json'), 'utf8')).toContain(office.rootFingerprint);
    await kit.close();
  });
});

describe('createKitMain (what Electron’s main and the Chromium harness build)', () => {
  it('delivers in the background: after the seal, the receipt arrives without anyone asking', async () => {
    const kitData = join(scratch, 'kit-main');
    const issued = office.kits.get('P2')!;
    const kit = await createKitMain({
      dataDir: kitData,
      bundleFiles: [issued.bundleFile],
      mediaDirs: [],
      printer: async () => new Uint8Array(),
      connect: ({ rootCaPem }) => new StationClient({ serverUrl: server.url, rootCaPem }),
    });
    const dispatch = createDispatch({ handlers: kit.handlers, trustedOrigin: APP_ORIGIN });
    const bridge = createBridge((channel, payload) =>
      dispatch(channel, payload, { url: `${APP_ORIGIN}/`, isMainFrame: true }),
    );
    try {
      const [candidate] = (await value(bridge.getStatus({}))).bundleCandidates;
      await value(
        bridge.installBundle({
          candidateId: candidate!.id,
          rootFingerprint: office.rootFingerprint,
        }),
      );
      await value(bridge.unlock({ passphrase: issued.passphrase }));
      await value(bridge.openSession({ totp: totpAt(issued, new Date()) }));
      const counted = { A: 1352, B: 605, B1: 50, C: 5, D: 600, D1: 310, D2: 190, D3: 100 };
      const events: FourEyesEvent[] = [
        { type: 'START_FIRST_ENTRY', person: maria },
        ...type(counted),
        { type: 'FINISH_ENTRY' },
        { type: 'START_SECOND_ENTRY', person: jonas },
        ...type(counted),
        { type: 'FINISH_ENTRY' },
      ];
      for (const event of events) await value(bridge.dispatchEntry({ contestId: 'OB', event }));
      await value(bridge.sealReport({ contestId: 'OB' }));
      let state = '';
      for (
        let i = 0;
        i < 600 && (state === '' || state === 'WAITING' || state === 'SENDING');
        i++
      ) {
        await new Promise((r) => setTimeout(r, 50));
        state = (await value(bridge.listOutbox({})))[0]!.state;
      }
      expect(state).toBe('CONFIRMED');
    } finally {
      await kit.close();
    }
  }, 60_000);
});
