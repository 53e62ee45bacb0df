import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CRASH_REPORT as REPORT } from './outbox-crash-report.ts';
import type { OutboxStep } from '../../../koffer-app/main/outbox/outbox.ts';
import { createKitOffice, startOfficeServer, totpAt, type KitOffice } from '../office.ts';
import { openStation, provision } from '../station.ts';

/*
 * Exactly once through crashes: for every step of the outbox a real kit process is killed with
 * SIGKILL right after that step; then the kit's services start again over the same files and
 * finish the evening (seal again, deliver). The report must be delivered, its receipt verified,
 * and the server must hold it exactly once.
 */
let office: KitOffice;
let scratch: string;

beforeAll(async () => {
  office = await createKitOffice({ name: 'crash' });
  scratch = mkdtempSync(join(tmpdir(), 'kit-crash-'));
}, 120_000);
afterAll(() => {
  office.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const child = join(import.meta.dirname, 'outbox-crash-child.ts');

function runKit(
  args: object,
): Promise<{ code: number | null; signal: string | null; out: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(args)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal, out }));
  });
}

const STEPS: OutboxStep[] = ['sealed', 'stored', 'sending', 'answered', 'confirmed'];

describe('the outbox delivers exactly once when the kit is killed', () => {
  for (const step of STEPS) {
    it(`after “${step}”`, async () => {
      const dir = join(scratch, step);
      const server = await startOfficeServer(office, join(dir, 'server.db'));
      try {
        const kit = office.kits.get('P1')!;
        const dataDir = join(dir, 'kit');
        await provision(office, kit, dataDir);
        const morning = await openStation(dataDir, kit.passphrase, server.url);
        await morning.session.open(morning.material, totpAt(kit, new Date()));
        await morning.close();

        const args = { dataDir, passphrase: kit.passphrase, serverUrl: server.url };
        const crashed = await runKit({ ...args, crashAt: step });
        expect(crashed.signal).toBe('SIGKILL');
        // the restart: the same services over the same files, in this process
        const check = await openStation(dataDir, kit.passphrase, server.url, {
          backoff: { baseMs: 10, maxMs: 50 },
        });
        await check.outbox.seal(check.material, REPORT);
        await check.outbox.makeDue();
        expect(await check.deliver()).toBe(0);
        const items = await check.outbox.list();
        expect(items).toHaveLength(1);
        expect(items[0]).toMatchObject({ state: 'CONFIRMED', revision: 1 });

        const token = (await check.session.current())!.token;
        const status = await check.client.precinctStatus(token, 'P1');
        expect(status.contests[0]!.revisions).toHaveLength(1);
        expect(status.contests[0]!.revisions[0]!.receiptCode).toBe(items[0]!.receipt!.receiptCode);
        expect(status.rejections).toEqual([]);
        expect((await check.client.results()).reportsCounted).toBe(1);
        await check.close();
      } finally {
        await server.close();
      }
    }, 120_000);
  }
});
