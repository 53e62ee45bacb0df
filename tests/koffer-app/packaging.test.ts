import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import config from '../../koffer-app/packaging/electron-builder.config.mjs';
import { electronBinaryPath, setKitFuses } from '../../koffer-app/packaging/after-pack.mjs';

const dir = mkdtempSync(join(tmpdir(), 'kit-packaging-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLE = 49;
const DISABLE = 48;

/**
 * A stand-in for the Electron binary: random bytes around the fuse wire exactly as Electron
 * lays it out (sentinel, wire version 1, length 8, one byte per fuse, all as Electron ships
 * them: enabled except the three off by default). @electron/fuses itself flips and reads it.
 */
function fakeElectronBinary(): string {
  const shipped = [ENABLE, DISABLE, ENABLE, ENABLE, DISABLE, DISABLE, DISABLE, ENABLE];
  const file = join(dir, `electron-${randomBytes(4).toString('hex')}`);
  writeFileSync(
    file,
    Buffer.concat([
      randomBytes(4096),
      Buffer.from(SENTINEL, 'ascii'),
      Buffer.from([1, shipped.length, ...shipped]),
      randomBytes(4096),
    ]),
  );
  return file;
}

describe('the packaged kit', () => {
  it('has its fuses set: RunAsNode, NODE_OPTIONS and --inspect off; asar integrity and asar-only on', async () => {
    const binary = fakeElectronBinary();
    const before = readFileSync(binary);
    await setKitFuses(binary);
    const wire = await getCurrentFuseWire(binary);
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLE);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLE);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLE);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLE);
    // only the eight fuse bytes changed
    const after = readFileSync(binary);
    const changed = [...after].filter((b, i) => b !== before[i]).length;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThanOrEqual(8);
  });

  it('fails the build for a binary without a fuse wire', async () => {
    const file = join(dir, 'not-electron');
    writeFileSync(file, randomBytes(1024));
    await expect(setKitFuses(file)).rejects.toThrow(/sentinel/);
  });

  it('is packaged from the bundled app directory into one asar, with the fuse hook', () => {
    expect(config.asar).toBe(true);
    expect(config.directories.app).toBe('koffer-app/dist');
    expect(config.afterPack).toBe('./koffer-app/packaging/after-pack.mjs');
    expect(config.npmRebuild).toBe(false);
    expect(config.electronVersion).toMatch(/^40\.\d+\.\d+$/);
  });

  it('finds the Electron binary where electron-builder puts it', () => {
    const context = (platform: string) => ({
      electronPlatformName: platform,
      appOutDir: '/out',
      packager: { appInfo: { productFilename: 'Wahlkoffer' }, executableName: 'wahlkoffer' },
    });
    expect(electronBinaryPath(context('linux'))).toBe('/out/wahlkoffer');
    expect(electronBinaryPath(context('win32'))).toBe('/out/Wahlkoffer.exe');
    expect(electronBinaryPath(context('darwin'))).toBe('/out/Wahlkoffer.app');
  });
});
