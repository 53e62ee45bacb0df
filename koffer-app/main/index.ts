// Public surface of the kit's main process for the hosts that run it (Electron's main, the
// Chromium harness in cli/): the composed kit, the IPC dispatcher, the app protocol, the window
// factory and the printer type.
export { createKitMain, type KitMain, type KitMainOptions } from './kit-main.ts';
export {
  createDispatch,
  registerIpc,
  type Dispatch,
  type HandlerTable,
  type IpcSender,
} from './ipc/index.ts';
export { createAppProtocolHandler } from './app-protocol.ts';
export {
  createWindowFactory,
  lockDownContents,
  lockDownSession,
  HARDENED_WEB_PREFERENCES,
  type WindowKind,
} from './windows.ts';
export type { Printer } from './paper/paper-record.ts';
export { KitError } from './error.ts';
