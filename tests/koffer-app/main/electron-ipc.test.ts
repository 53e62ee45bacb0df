import { describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { APP_ORIGIN, CHANNELS } from '../../../koffer-app/shared/index.ts';
import { registerIpc, type IpcSender } from '../../../koffer-app/main/ipc/index.ts';

type Listener = (event: IpcMainInvokeEvent, payload: unknown) => Promise<unknown>;

/** ipcMain as the kit uses it: `handle(channel, listener)`, recorded. */
function recordingIpcMain() {
  const handlers = new Map<string, Listener>();
  return {
    handlers,
    handle: (channel: string, listener: Listener) => void handlers.set(channel, listener),
  };
}

describe('registering the contract with ipcMain', () => {
  it('handles every channel of the contract and nothing else', () => {
    const ipcMain = recordingIpcMain();
    registerIpc(ipcMain, async () => ({ ok: true, value: null }));
    expect([...ipcMain.handlers.keys()].sort()).toEqual(
      Object.values(CHANNELS)
        .map((c) => c.channel)
        .sort(),
    );
  });

  it('passes the sending frame’s URL and whether it is the top frame to the dispatcher', async () => {
    const ipcMain = recordingIpcMain();
    const seen: IpcSender[] = [];
    registerIpc(ipcMain, async (_channel, _payload, sender) => {
      seen.push(sender);
      return { ok: true, value: null };
    });
    const top = { url: `${APP_ORIGIN}/index.html` };
    const sub = { url: `${APP_ORIGIN}/frame.html` };
    const event = (senderFrame: object | null) =>
      ({ senderFrame, sender: { mainFrame: top } }) as unknown as IpcMainInvokeEvent;
    const listener = ipcMain.handlers.get(CHANNELS.getStatus.channel)!;
    await listener(event(top), {});
    await listener(event(sub), {});
    await listener(event(null), {});
    expect(seen).toEqual([
      { url: `${APP_ORIGIN}/index.html`, isMainFrame: true },
      { url: `${APP_ORIGIN}/frame.html`, isMainFrame: false },
      { url: '', isMainFrame: false },
    ]);
  });
});
