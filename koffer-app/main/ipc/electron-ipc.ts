import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { CHANNEL_KEYS, CHANNELS } from '../../shared/index.ts';
import type { Dispatch } from './dispatch.ts';

/** Registers one `ipcMain.handle` per channel of the contract, all through the one dispatcher. */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle'>, dispatch: Dispatch): void {
  for (const key of CHANNEL_KEYS) {
    const channel = CHANNELS[key].channel;
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, payload: unknown) =>
      dispatch(channel, payload, senderOf(event)),
    );
  }
}

function senderOf(event: IpcMainInvokeEvent): { url: string; isMainFrame: boolean } {
  const frame = event.senderFrame;
  // a frame that navigated away or was destroyed has no URL we could trust
  if (frame === null) return { url: '', isMainFrame: false };
  return { url: frame.url, isMainFrame: frame === event.sender.mainFrame };
}
