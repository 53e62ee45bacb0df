// electron-builder afterPack hook: flips the kit's fuses in the packaged Electron binary (before
// signing, so the signature covers them) and reads them back; a fuse not as required fails the build.
import { join } from 'node:path';
import { flipFuses, getCurrentFuseWire } from '@electron/fuses';
import { KIT_FUSES } from './fuses.mjs';

/** Where electron-builder put the Electron binary (or the .app) for this platform. */
export function electronBinaryPath(context) {
  const name = context.packager.appInfo.productFilename;
  switch (context.electronPlatformName) {
    case 'darwin':
    case 'mas':
      return join(context.appOutDir, `${name}.app`);
    case 'win32':
      return join(context.appOutDir, `${name}.exe`);
    default:
      return join(context.appOutDir, context.packager.executableName);
  }
}

/** Flips the fuses and checks every one of them; throws when one is not as configured. */
export async function setKitFuses(binary, options = {}) {
  await flipFuses(binary, { ...KIT_FUSES, resetAdHocDarwinSignature: options.adHocSign === true });
  const wire = await getCurrentFuseWire(binary);
  for (const [index, wanted] of Object.entries(KIT_FUSES)) {
    if (!/^[0-9]+$/.test(index)) continue;
    const actual = wire[index];
    const expected = wanted ? 49 : 48; // FuseState.ENABLE / FuseState.DISABLE
    if (actual !== expected) {
      throw new Error(`fuse ${index} is ${String(actual)}, expected ${expected}`);
    }
  }
}

export default async function afterPack(context) {
  const arm64Mac = context.electronPlatformName === 'darwin' && context.arch === 3;
  await setKitFuses(electronBinaryPath(context), { adHocSign: arm64Mac });
}
