export {
  createDispatch,
  isTrustedSender,
  toIpcError,
  type Dispatch,
  type DispatchOptions,
  type Handler,
  type HandlerTable,
  type IpcSender,
} from './dispatch.ts';
export { registerIpc } from './electron-ipc.ts';
