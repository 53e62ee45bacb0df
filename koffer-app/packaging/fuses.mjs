// The Electron fuses of a packaged kit (Electron security checklist; @electron/fuses). Plain JS:
// electron-builder loads the afterPack hook without our TypeScript toolchain.
import { FuseV1Options, FuseVersion } from '@electron/fuses';

/**
 * Every fuse set explicitly (strictlyRequireAllFuses): a future Electron with a new fuse fails
 * the build until we decide about it.
 * - RunAsNode off: ELECTRON_RUN_AS_NODE cannot turn the signed kit binary into a plain Node.
 * - NODE_OPTIONS and --inspect off: no code injection or debugger through the environment.
 * - asar integrity on, load only from app.asar: the app code is the code that was packaged.
 * - cookie encryption on (the kit sets no cookies; harmless), file:// gets no extra privileges
 *   (the app is served from app://), browser V8 snapshot as Electron ships it.
 */
export const KIT_FUSES = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  [FuseV1Options.RunAsNode]: false,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};
