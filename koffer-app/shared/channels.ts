import { z } from 'zod';
import { FourEyesEventSchema, FourEyesViewSchema } from '../../election/index.ts';
import {
  KitStatusSchema,
  OutboxItemSchema,
  PaperRecordSchema,
  StationInfoSchema,
} from './schemas.ts';

const Empty = z.strictObject({});
const Id = z.string().min(1).max(64);

/**
 * The typed IPC contract between the renderer and main: one entry per function of the bridge
 * (`window.kit.<name>`), with its channel name and the zod schemas of request and reply value.
 * Main validates every request against `request` before a handler sees it; the bridge checks
 * every reply against `reply`. Nothing else crosses the process boundary.
 *
 * Secrets go one way only: the passphrase and TOTP code travel renderer → main; the key, the
 * session token and the sealed bytes never travel back.
 */
export const CHANNELS = {
  getStatus: { channel: 'kit:get-status', request: Empty, reply: KitStatusSchema },
  installBundle: {
    channel: 'provisioning:install',
    request: z.strictObject({
      candidateId: Id,
      /** the root certificate's SHA-256 as typed from the Wahlvorsteher's letter (any grouping) */
      rootFingerprint: z.string().max(200),
    }),
    reply: StationInfoSchema,
  },
  unlock: {
    channel: 'unlock:unlock',
    request: z.strictObject({ passphrase: z.string().min(1).max(300) }),
    reply: z.strictObject({ unlocked: z.literal(true) }),
  },
  lock: {
    channel: 'unlock:lock',
    request: Empty,
    reply: z.strictObject({ locked: z.literal(true) }),
  },
  openSession: {
    channel: 'session:open',
    request: z.strictObject({ totp: z.string().max(20) }),
    reply: z.strictObject({ validUntil: z.iso.datetime() }),
  },
  /**
   * The four-eyes data entry (election/'s state machine) lives in main, which persists every
   * step; the renderer sends events and renders the view it gets back (state, fields in paper
   * order, live findings, allowed events). SIGN is refused here: it happens in sealReport.
   */
  getEntry: {
    channel: 'entry:get',
    request: z.strictObject({ contestId: Id }),
    reply: FourEyesViewSchema,
  },
  dispatchEntry: {
    channel: 'entry:dispatch',
    request: z.strictObject({ contestId: Id, event: FourEyesEventSchema }),
    reply: FourEyesViewSchema,
  },
  /** Seals the entry that is ready to sign and puts it into the outbox. */
  sealReport: {
    channel: 'report:seal',
    request: z.strictObject({ contestId: Id }),
    reply: OutboxItemSchema,
  },
  listOutbox: { channel: 'outbox:list', request: Empty, reply: z.array(OutboxItemSchema) },
  /** Skips the back-off wait (the poll worker saw the network come back). */
  sendNow: { channel: 'outbox:send-now', request: Empty, reply: z.array(OutboxItemSchema) },
  getPaperRecord: {
    channel: 'paper:get',
    request: z.strictObject({ outboxId: Id }),
    reply: PaperRecordSchema,
  },
  printPaperRecord: {
    channel: 'paper:print',
    request: z.strictObject({ outboxId: Id }),
    reply: z.strictObject({ file: z.string(), bytes: z.number().int().min(1) }),
  },
} as const;

export type ChannelKey = keyof typeof CHANNELS;
export type ChannelName = (typeof CHANNELS)[ChannelKey]['channel'];
export type RequestOf<K extends ChannelKey> = z.input<(typeof CHANNELS)[K]['request']>;
export type ParsedRequestOf<K extends ChannelKey> = z.output<(typeof CHANNELS)[K]['request']>;
export type ReplyOf<K extends ChannelKey> = z.output<(typeof CHANNELS)[K]['reply']>;

export const CHANNEL_KEYS = Object.keys(CHANNELS) as ChannelKey[];

/** channel name → bridge function name, for main's dispatcher */
export const KEY_BY_CHANNEL: ReadonlyMap<string, ChannelKey> = new Map(
  CHANNEL_KEYS.map((key) => [CHANNELS[key].channel, key]),
);
