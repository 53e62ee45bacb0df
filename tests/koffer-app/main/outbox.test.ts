import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StationClient } from '../../../api/index.ts';
import { loadServerMaterial, receiptCode, signReceipt, type Receipt } from '../../../pki/index.ts';
import type { RunningServer } from '../../../central-server/index.ts';
import type { Transport } from '../../../koffer-app/main/outbox/transport.ts';
import { createTransmission } from '../../../koffer-app/main/outbox/transmission.ts';
import { contentHashOf } from '../../../koffer-app/main/outbox/record.ts';
import { urneReport } from '../../central-server/fixture.ts';
import { createKitOffice, startOfficeServer, totpAt, type KitOffice } from '../office.ts';
import { openStation, provision, type Station } from '../station.ts';

let office: KitOffice;
let foreign: KitOffice;
let server: RunningServer;
let scratch: string;

beforeAll(async () => {
  office = await createKitOffice({ name: 'outbox' });
  foreign = await createKitOffice({ name: 'outbox-foreign' });
  scratch = mkdtempSync(join(tmpdir(), 'kit-outbox-'));
  server = await startOfficeServer(office, join(scratch, 'server.db'));
}, 120_000);
afterAll(async () => {
  await server.close();
  office.cleanup();
  foreign.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** A provisioned, unlocked kit with an open session, on a clock the test moves. */
async function kitFor(precinctId: string, clock: { now: Date }): Promise<Station> {
  const kit = office.kits.get(precinctId)!;
  const dataDir = join(scratch, precinctId);
  await provision(office, kit, dataDir);
  const station = await openStation(dataDir, kit.passphrase, server.url, {
    clock: () => clock.now,
    random: () => 0.5,
  });
  await station.session.open(station.material, totpAt(kit, new Date()));
  return station;
}

const refusedConnection: Transport = createTransmission({
  // a port nobody listens on: the network is down
  client: new StationClient({ serverUrl: 'http://127.0.0.1:9' }),
  session: {
    current: async () => ({ token: 't', validUntil: '', precinctId: '' }),
    open: () => {
      throw new Error();
    },
    clear: async () => {},
  },
});

describe('the outbox against a real server', () => {
  it('keeps a report while the network is down and delivers it once it is back, with a verified receipt', async () => {
    const clock = { now: new Date() };
    const station = await kitFor('P1', clock);
    const item = await station.outbox.seal(station.material, urneReport('P1', [300, 200, 100]));
    expect(item).toMatchObject({ state: 'WAITING', attempts: 0, revision: 1, receipt: null });

    expect(await station.deliver(refusedConnection)).toBe(1);
    const [waiting] = await station.outbox.list();
    expect(waiting).toMatchObject({
      state: 'WAITING',
      attempts: 1,
      lastError: { code: 'NETWORK_UNAVAILABLE' },
    });
    // back-off: not due again at once (2 s base, jitter 0.5 → 1.5 s)
    expect(Date.parse(waiting!.nextAttemptAt!) - clock.now.getTime()).toBe(1500);
    expect(await station.deliver()).toBe(1);
    expect((await station.outbox.list())[0]!.attempts).toBe(1);

    clock.now = new Date(clock.now.getTime() + 1500);
    expect(await station.deliver()).toBe(0);
    const [done] = await station.outbox.list();
    expect(done).toMatchObject({ state: 'CONFIRMED', attempts: 2, lastError: null });
    expect(done!.receipt!.receiptCode).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}$/);

    const status = await station.client.precinctStatus(
      (await station.session.current())!.token,
      'P1',
    );
    expect(status.contests[0]!.revisions.map((r) => r.receiptCode)).toEqual([
      done!.receipt!.receiptCode,
    ]);
    await station.close();
  });

  it('seals a revision once: sealing it again returns the stored report, other content is refused', async () => {
    const clock = { now: new Date() };
    const station = await kitFor('P2', clock);
    const report = urneReport('P2', [10, 20, 30]);
    const first = await station.outbox.seal(station.material, report);
    const again = await station.outbox.seal(station.material, report);
    expect(again).toEqual(first);
    await expect(
      station.outbox.seal(station.material, urneReport('P2', [11, 20, 30])),
    ).rejects.toMatchObject({ code: 'REVISION_ALREADY_SEALED' });
    expect(await station.outbox.list()).toHaveLength(1);
    await station.close();
  });

  describe('does not accept a receipt that does not match', () => {
    let station: Station;
    let genuine: string;
    beforeAll(async () => {
      station = await kitFor('P3', { now: new Date() });
      await station.outbox.seal(station.material, urneReport('P3', [310, 190, 95]));
      // the genuine receipt of this report, as the server signs it
      const record = await station.outbox.record('outbox-OB-r1');
      const answer = await station.client.submitReport(
        (await station.session.current())!.token,
        record.envelope,
      );
      genuine = Buffer.from(answer.receipt, 'base64').toString('utf8');
    });
    afterAll(() => station.close());

    const answering = (receipt: string): Transport => ({
      deliver: async () => ({ kind: 'ACCEPTED', receipt, repeat: false }),
    });

    it('a receipt with a broken signature', async () => {
      const [h, p, s] = genuine.split('.');
      const flipped = `${h}.${p}.${s!.startsWith('A') ? 'B' : 'A'}${s!.slice(1)}`;
      await station.outbox.makeDue();
      await station.deliver(answering(flipped));
      expect((await station.outbox.list())[0]).toMatchObject({
        state: 'WAITING',
        lastError: { code: 'RECEIPT_REJECTED' },
      });
    });

    it('a receipt signed by another election office (chain)', async () => {
      const theirs = await loadServerMaterial(foreign.pkiDir, new Date());
      const record = await station.outbox.record('outbox-OB-r1');
      const fields = {
        electionId: 'test-ob',
        precinctId: 'P3',
        contestId: 'OB',
        revision: 1,
        envelopeHash: record.envelopeHash,
        contentHash: record.contentHash,
        serverTime: new Date().toISOString(),
        sequence: 1,
      };
      const forged = Buffer.from(
        signReceipt(fields, theirs.receiptKey, theirs.receiptChain),
      ).toString('utf8');
      await station.outbox.makeDue();
      await station.deliver(answering(forged));
      expect((await station.outbox.list())[0]).toMatchObject({
        state: 'WAITING',
        lastError: { code: 'RECEIPT_REJECTED' },
      });
    });

    it('a genuine receipt of another report (content hash)', async () => {
      const other = urneReport('P3', [311, 190, 95]);
      const serverKeys = await loadServerMaterial(office.pkiDir, new Date());
      const record = await station.outbox.record('outbox-OB-r1');
      const fields = {
        electionId: 'test-ob',
        precinctId: 'P3',
        contestId: 'OB',
        revision: 1,
        envelopeHash: record.envelopeHash,
        contentHash: contentHashOf(other),
        serverTime: new Date().toISOString(),
        sequence: 1,
      };
      expect(receiptCode(fields)).toMatch(/-/);
      const wrong = Buffer.from(
        signReceipt(fields, serverKeys.receiptKey, serverKeys.receiptChain),
      ).toString('utf8');
      await station.outbox.makeDue();
      await station.deliver(answering(wrong));
      expect((await station.outbox.list())[0]).toMatchObject({
        state: 'WAITING',
        lastError: { code: 'RECEIPT_REJECTED' },
      });
    });

    /** The genuine receipt's fields, signed again with the office's real receipt key. */
    async function resigned(change: (receipt: Receipt) => Receipt): Promise<string> {
      const serverKeys = await loadServerMaterial(office.pkiDir, new Date());
      const payload = JSON.parse(
        Buffer.from(genuine.split('.')[1]!, 'base64url').toString('utf8'),
      ) as Receipt;
      const { format: _f, receiptCode: _c, ...fields } = change(payload);
      return Buffer.from(
        signReceipt(fields, serverKeys.receiptKey, serverKeys.receiptChain),
      ).toString('utf8');
    }

    it('a receipt with a genuine signature whose log proof was changed (transparency log)', async () => {
      const tampered = await resigned((r) => ({
        ...r,
        log: {
          ...r.log!,
          proof: r.log!.proof.map((p) => (p.startsWith('A') ? 'B' : 'A') + p.slice(1)),
        },
      }));
      await station.outbox.makeDue();
      await station.deliver(answering(tampered));
      expect((await station.outbox.list())[0]).toMatchObject({
        state: 'WAITING',
        lastError: { code: 'RECEIPT_REJECTED' },
      });
    });

    it('a receipt with a genuine signature but no log proof, or another log index', async () => {
      for (const change of [
        ({ log: _l, ...r }: Receipt) => r,
        (r: Receipt) => ({ ...r, log: { ...r.log!, index: r.log!.index + 1 } }),
      ]) {
        await station.outbox.makeDue();
        await station.deliver(answering(await resigned(change)));
        expect((await station.outbox.list())[0]).toMatchObject({
          state: 'WAITING',
          lastError: { code: 'RECEIPT_REJECTED' },
        });
      }
    });

    it('and takes the genuine one (the resend is a repeat the server does not count again)', async () => {
      await station.outbox.makeDue();
      expect(await station.deliver()).toBe(0);
      const [item] = await station.outbox.list();
      expect(item).toMatchObject({ state: 'CONFIRMED' });
      const status = await station.client.precinctStatus(
        (await station.session.current())!.token,
        'P3',
      );
      expect(status.contests[0]!.revisions).toHaveLength(1);
      expect(status.rejections).toEqual([]);
    });
  });

  it('asks for a new TOTP code when the server no longer takes the session, and stops on a refusal', async () => {
    const clock = { now: new Date() };
    const station = await kitFor('B1', clock);
    await station.session.clear();
    // a Briefwahlbezirk report with A values breaks a hard rule: the server refuses it
    const bad = { ...urneReport('P1', [1, 2, 3]), precinctId: 'B1' };
    await station.outbox.seal(station.material, bad);
    await station.deliver();
    expect((await station.outbox.list())[0]).toMatchObject({
      state: 'WAITING',
      lastError: { code: 'SESSION_REQUIRED' },
    });
    await station.session.open(
      station.material,
      totpAt(office.kits.get('B1')!, new Date(Date.now() + 30_000)),
    );
    await station.outbox.makeDue();
    await station.deliver();
    const [refused] = await station.outbox.list();
    expect(refused!.state).toBe('REFUSED');
    expect(refused!.lastError!.code).toMatch(/PLAUSIBILITY_ERROR/);
    expect(refused!.lastError!.messages.de.length).toBeGreaterThan(10);
    await station.close();
  });
});
