import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  installBundle,
  type InstalledKit,
} from '../../../koffer-app/main/provisioning/provisioning.ts';
import { createUnlockService } from '../../../koffer-app/main/unlock/unlock.ts';
import {
  DEFAULT_UNLOCK_LOCKOUT,
  lockoutDelaySeconds,
  retryAfterSeconds,
} from '../../../koffer-app/main/unlock/lockout.ts';
import { createKitOffice, type IssuedKit, type KitOffice } from '../office.ts';

let office: KitOffice;
let issued: IssuedKit;
let scratch: string;

beforeAll(async () => {
  office = await createKitOffice({ name: 'unlock' });
  issued = office.kits.get('P1')!;
  scratch = mkdtempSync(join(tmpdir(), 'kit-unlock-'));
}, 120_000);
afterAll(() => {
  office.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

let n = 0;
async function provisioned(): Promise<{ dataDir: string; kit: InstalledKit }> {
  const dataDir = join(scratch, `kit-${++n}`);
  const kit = await installBundle({
    dataDir,
    bundleBytes: readFileSync(issued.bundleFile),
    typedFingerprint: office.rootFingerprint,
    now: new Date(),
  });
  return { dataDir, kit };
}

const codeOf = async (p: Promise<unknown>) =>
  p.then(
    () => 'OK',
    (e: { code?: string; details?: Record<string, unknown> }) => e.code,
  );

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? allFiles(path) : [path];
  });
}

describe('unlocking the station key', () => {
  it('unlocks with the passphrase from the letter and writes the key nowhere', async () => {
    const { dataDir, kit } = await provisioned();
    const material = await createUnlockService({ dataDir, clock: () => new Date() }).unlock(
      kit,
      issued.passphrase.replace(/-/g, ' ').toUpperCase(),
    );
    expect(material.precinctId).toBe('P1');
    const pkcs8 = material.stationKey.export({ format: 'der', type: 'pkcs8' });
    const d = Buffer.from(material.stationKey.export({ format: 'jwk' }).d!, 'base64url');
    for (const file of allFiles(dataDir)) {
      const bytes = readFileSync(file);
      expect(bytes.includes(pkcs8), file).toBe(false);
      expect(bytes.includes(d), file).toBe(false);
      expect(bytes.includes(Buffer.from(d.toString('base64'))), file).toBe(false);
    }
  });

  it('locks out after three wrong passphrases, with a growing wait that survives a restart', async () => {
    const { dataDir, kit } = await provisioned();
    let now = new Date(Date.now() + 60_000);
    const service = () => createUnlockService({ dataDir, clock: () => now });
    const wrong = 'apfel birne kirsche pflaume traube';
    for (let i = 1; i <= 3; i++) {
      await expect(service().unlock(kit, wrong)).rejects.toMatchObject({
        code: 'WRONG_PASSPHRASE',
        details: { failedAttempts: i },
      });
    }
    // the third failure starts a 30 s wait; even the right passphrase is refused now
    expect(await codeOf(service().unlock(kit, issued.passphrase))).toBe('UNLOCK_LOCKED_OUT');
    expect((await service().state()).retryAfterSeconds).toBe(30);
    now = new Date(now.getTime() + 31_000);
    await expect(service().unlock(kit, wrong)).rejects.toMatchObject({
      details: { failedAttempts: 4, retryAfterSeconds: 60 },
    });
    // a new service over the same directory is a restarted app: still locked out
    expect(await codeOf(service().unlock(kit, issued.passphrase))).toBe('UNLOCK_LOCKED_OUT');
    now = new Date(now.getTime() + 61_000);
    expect(await codeOf(service().unlock(kit, issued.passphrase))).toBe('OK');
    expect(await service().state()).toEqual({ failedAttempts: 0, retryAfterSeconds: 0 });
  });

  it('does not count a passphrase that cannot be one (PASSPHRASE_MALFORMED)', async () => {
    const { dataDir, kit } = await provisioned();
    const service = createUnlockService({ dataDir, clock: () => new Date() });
    expect(await codeOf(service.unlock(kit, '123456'))).toBe('PASSPHRASE_MALFORMED');
    expect((await service.state()).failedAttempts).toBe(0);
  });
});

describe('the lock-out function', () => {
  const c = DEFAULT_UNLOCK_LOCKOUT;
  it('is free for three attempts, then doubles from 30 s up to one hour', () => {
    expect([0, 1, 2, 3, 4, 5, 9, 50].map((a) => lockoutDelaySeconds(c, a))).toEqual([
      0, 0, 0, 30, 60, 120, 1920, 3600,
    ]);
  });

  it('never shortens the wait when the clock is set back', () => {
    const last = new Date('2026-03-08T12:00:00Z');
    const state = { failedAttempts: 5, lastFailureAt: last };
    expect(retryAfterSeconds(c, state, new Date(last.getTime() + 20_000))).toBe(100);
    expect(retryAfterSeconds(c, state, new Date(last.getTime() - 86_400_000))).toBe(120);
    expect(retryAfterSeconds(c, state, new Date(last.getTime() + 120_000))).toBe(0);
  });
});
