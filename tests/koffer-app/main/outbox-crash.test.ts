import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxStep } from '../../../koffer-app/main/outbox/outbox.ts';
import { StationClient } from '../../../api/index.ts';
import { createKitOffice, startOfficeServer, totpAt, type KitOffice } from '../office.ts';
import { ENTRY_EVENTS, crashKit, value } from './crash-kit.ts';

/*
 * Exactly once through crashes. For every step of sealing and sending, a real kit process (the
 * composed main process behind its bridge) is killed with SIGKILL right after that step; then the
 * kit starts again over the same files and finishes the evening as the poll worker would — unlock,
 * "Unterschreiben und senden" again, wait. The report must be delivered once, its receipt
 * verified, the entry signed, and the server must count it exactly once.
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

function runKit(args: object): Promise<{ code: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(args)], {
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    p.on('error', reject);
    p.on('close', (code, signal) => resolve({ code, signal }));
  });
}

const STEPS: OutboxStep[] = ['sealed', 'stored', 'sending', 'answered', 'confirmed'];

describe('the kit delivers exactly once when it is killed', () => {
  for (const step of STEPS) {
    it(`after “${step}”`, async () => {
      const dir = join(scratch, step);
      const server = await startOfficeServer(office, join(dir, 'server.db'));
      try {
        const issued = office.kits.get('P1')!;
        const dataDir = join(dir, 'kit');
        // the morning and the count: provisioned, unlocked, session open, both entries done
        const morning = await crashKit(dataDir, server.url, issued.bundleFile);
        const [candidate] = (await value(morning.bridge.getStatus({}))).bundleCandidates;
        await value(
          morning.bridge.installBundle({
            candidateId: candidate!.id,
            rootFingerprint: office.rootFingerprint,
          }),
        );
        await value(morning.bridge.unlock({ passphrase: issued.passphrase }));
        await value(morning.bridge.openSession({ totp: totpAt(issued, new Date()) }));
        for (const event of ENTRY_EVENTS) {
          await value(morning.bridge.dispatchEntry({ contestId: 'OB', event }));
        }
        await morning.kit.close();

        const args = {
          dataDir,
          passphrase: issued.passphrase,
          serverUrl: server.url,
          bundleFile: issued.bundleFile,
        };
        const crashed = await runKit({ ...args, crashAt: step });
        expect(crashed.signal).toBe('SIGKILL');

        // the restart: same files, the poll worker unlocks and presses "send" again
        const again = await crashKit(dataDir, server.url, issued.bundleFile);
        await value(again.bridge.unlock({ passphrase: issued.passphrase }));
        await value(again.bridge.sealReport({ contestId: 'OB' }));
        const items = await value(again.bridge.sendNow({}));
        expect(items).toHaveLength(1);
        expect(items[0]).toMatchObject({ state: 'CONFIRMED', revision: 1 });
        expect((await value(again.bridge.getEntry({ contestId: 'OB' }))).state.status).toBe(
          'SIGNED',
        );
        expect((await value(again.bridge.getStatus({}))).session.state).toBe('OPEN');
        await again.kit.close();

        // the server counted it exactly once
        const client = new StationClient({ serverUrl: server.url });
        const results = await client.results();
        await client.close();
        expect(results.reportsCounted).toBe(1);
        expect(results.contests[0]!.root).toMatchObject({
          reported: 1,
          counts: { B: 955, D: 950 },
        });
      } finally {
        await server.close();
      }
    }, 120_000);
  }
});
