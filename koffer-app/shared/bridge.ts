import {
  CHANNELS,
  CHANNEL_KEYS,
  type ChannelKey,
  type ReplyOf,
  type RequestOf,
} from './channels.ts';
import { KIT_MESSAGES } from './messages.ts';
import { replySchema, type IpcReply } from './reply.ts';

/**
 * The object the renderer sees as `window.kit`: one named async function per channel, never
 * `ipcRenderer` itself. Electron's preload builds it over `ipcRenderer.invoke`; the Chromium
 * harness builds the same object over a playwright binding — the renderer cannot tell them apart.
 */
export type KitBridge = {
  readonly [K in ChannelKey]: (request: RequestOf<K>) => Promise<IpcReply<ReplyOf<K>>>;
};

export type Invoke = (channel: string, payload: unknown) => Promise<unknown>;

/** The global name under which the bridge is exposed in the renderer. */
export const BRIDGE_GLOBAL = 'kit' as const;

export function createBridge(invoke: Invoke): KitBridge {
  const entries = CHANNEL_KEYS.map((key) => [key, bridgeFunction(key, invoke)] as const);
  return Object.freeze(Object.fromEntries(entries)) as unknown as KitBridge;
}

function bridgeFunction<K extends ChannelKey>(key: K, invoke: Invoke) {
  const schema = replySchema(CHANNELS[key].reply);
  return async (request: RequestOf<K>): Promise<IpcReply<ReplyOf<K>>> => {
    const raw = await invoke(CHANNELS[key].channel, request);
    const parsed = schema.safeParse(raw);
    if (parsed.success) return parsed.data as IpcReply<ReplyOf<K>>;
    const messages = KIT_MESSAGES.IPC_INVALID_REPLY;
    return { ok: false, error: { code: 'IPC_INVALID_REPLY', message: messages.de, messages } };
  };
}
