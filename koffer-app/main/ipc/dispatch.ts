import type { LocalizedMessage } from '../../../election/index.ts';
import {
  CHANNELS,
  KEY_BY_CHANNEL,
  KIT_MESSAGES,
  type ChannelKey,
  type IpcError,
  type IpcReply,
  type ParsedRequestOf,
  type ReplyOf,
} from '../../shared/index.ts';
import { KitError } from '../error.ts';

/** Who sent an IPC request: the URL of the sending frame and whether it is the top frame. */
export type IpcSender = { readonly url: string; readonly isMainFrame: boolean };

export type Handler<K extends ChannelKey> = (
  request: ParsedRequestOf<K>,
  context: { readonly sender: IpcSender },
) => Promise<ReplyOf<K>> | ReplyOf<K>;

/** One handler per channel; TypeScript refuses a table with a channel missing or mistyped. */
export type HandlerTable = { readonly [K in ChannelKey]: Handler<K> };

export type Dispatch = (
  channel: string,
  payload: unknown,
  sender: IpcSender,
) => Promise<IpcReply<unknown>>;

export type DispatchOptions = {
  readonly handlers: HandlerTable;
  /** the only origin allowed to call main: `app://kit` in Electron, the harness's origin in Chromium */
  readonly trustedOrigin: string;
  /** unexpected errors are logged here (never sent to the renderer) */
  readonly onUnexpected?: (channel: string, error: unknown) => void;
};

/**
 * The single entry point for IPC, shared by Electron's ipcMain and the Chromium harness:
 * sender check → channel lookup → request schema → handler → reply schema. Every failure is a
 * coded reply; nothing is thrown back across the boundary, and a handler's unexpected error
 * becomes INTERNAL without its details (they may hold paths or key material).
 */
export function createDispatch(options: DispatchOptions): Dispatch {
  return async (channel, payload, sender) => {
    if (!isTrustedSender(sender, options.trustedOrigin)) return refusal('IPC_SENDER_REFUSED');
    const key = KEY_BY_CHANNEL.get(channel);
    if (key === undefined) return refusal('IPC_UNKNOWN_CHANNEL');
    return runHandler(key, payload, sender, options);
  };
}

async function runHandler<K extends ChannelKey>(
  key: K,
  payload: unknown,
  sender: IpcSender,
  options: DispatchOptions,
): Promise<IpcReply<unknown>> {
  const definition = CHANNELS[key];
  const request = definition.request.safeParse(payload);
  if (!request.success) return refusal('IPC_INVALID_REQUEST');
  try {
    const handler = options.handlers[key] as Handler<K>;
    const value = await handler(request.data as ParsedRequestOf<K>, { sender });
    const checked = definition.reply.safeParse(value);
    if (!checked.success) {
      options.onUnexpected?.(definition.channel, checked.error);
      return refusal('INTERNAL');
    }
    return { ok: true, value: checked.data };
  } catch (error) {
    const mapped = toIpcError(error);
    if (mapped === undefined) {
      options.onUnexpected?.(definition.channel, error);
      return refusal('INTERNAL');
    }
    return { ok: false, error: mapped };
  }
}

/**
 * Only the app's own top frame may call main (Electron checklist: validate the sender of all
 * IPC messages). Subframes, other origins and `file://` are refused.
 */
export function isTrustedSender(sender: IpcSender, trustedOrigin: string): boolean {
  if (!sender.isMainFrame) return false;
  try {
    // compare scheme and host, not URL.origin: for a non-special scheme such as app:// the
    // WHATWG origin is the opaque "null" — the same as file://'s
    const from = new URL(sender.url);
    const trusted = new URL(trustedOrigin);
    return from.protocol === trusted.protocol && from.host === trusted.host && from.host !== '';
  } catch {
    return false;
  }
}

type CodedError = Error & {
  code: string;
  messages: LocalizedMessage;
  details?: unknown;
  fields?: unknown;
};

function isCoded(error: unknown): error is CodedError {
  if (!(error instanceof Error)) return false;
  const e = error as Partial<CodedError>;
  return (
    typeof e.code === 'string' &&
    typeof e.messages === 'object' &&
    e.messages !== null &&
    typeof e.messages.de === 'string' &&
    typeof e.messages.en === 'string'
  );
}

/**
 * Maps a coded error of any of our packages (KitError, PkiError, the HTTP contract's errors —
 * all carry `code` and `messages`) to the IPC error shape; undefined for anything else.
 */
export function toIpcError(error: unknown): IpcError | undefined {
  if (!isCoded(error)) return undefined;
  const details = error instanceof KitError ? error.details : undefined;
  const fields =
    Array.isArray(error.fields) && error.fields.every((f) => typeof f === 'string')
      ? (error.fields as string[])
      : undefined;
  return {
    code: error.code,
    message: error.messages.de,
    messages: { de: error.messages.de, en: error.messages.en },
    ...(details === undefined ? {} : { details: { ...details } }),
    ...(fields === undefined || fields.length === 0 ? {} : { fields: [...fields] }),
  };
}

function refusal(code: keyof typeof KIT_MESSAGES): IpcReply<never> {
  const messages = KIT_MESSAGES[code];
  return { ok: false, error: { code, message: messages.de, messages: { ...messages } } };
}
