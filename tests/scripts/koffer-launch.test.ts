import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NO_ELECTRON_MESSAGE, ensureElectron } from '../../scripts/koffer.ts';

const dir = mkdtempSync(join(tmpdir(), 'koffer-launch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run koffer: Electron’s binary on demand', () => {
  it('runs Electron’s installer when the binary is missing, and uses what it installed', () => {
    const electronDir = join(dir, 'electron-ok');
    mkdirSync(join(electronDir, 'dist'), { recursive: true });
    let installs = 0;
    const result = ensureElectron(electronDir, () => {
      installs++;
      writeFileSync(join(electronDir, 'path.txt'), 'electron');
      writeFileSync(join(electronDir, 'dist', 'electron'), '');
      return true;
    });
    expect(result).toEqual({ ok: true, binary: join(electronDir, 'dist', 'electron') });
    expect(ensureElectron(electronDir, () => false).ok).toBe(true);
    expect(installs).toBe(1);
  });

  it('says clearly where it cannot be had, and points to the Chromium mode', () => {
    const electronDir = join(dir, 'electron-offline');
    mkdirSync(electronDir, { recursive: true });
    const result = ensureElectron(electronDir, () => false);
    expect(result).toEqual({ ok: false, message: NO_ELECTRON_MESSAGE });
    expect(NO_ELECTRON_MESSAGE).toContain('kit walkthrough');
    expect(NO_ELECTRON_MESSAGE).toContain('allowScripts');
  });
});
