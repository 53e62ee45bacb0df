import { sealMeldungWithHash, type StationMaterial } from '../../../pki/index.ts';
import type { Schnellmeldung } from '../../../election/index.ts';
import type { OutboxItem } from '../../shared/index.ts';
import { KitError } from '../error.ts';
import type { SealedStore } from '../storage/sealed-store.ts';
import { DEFAULT_BACKOFF, type BackoffConfig } from '../../../api/index.ts';
import type { ReceiptTrust } from './receipt-check.ts';
import { settle } from './settle.ts';
import {
  OutboxRecordSchema,
  contentHashOf,
  outboxId,
  sha256Hex,
  toOutboxItem,
  type OutboxRecord,
} from './record.ts';
import type { Transport } from './transport.ts';

/** Named points between the durable steps; the crash test kills the process at each. */
export type OutboxStep = 'sealed' | 'stored' | 'sending' | 'answered' | 'confirmed';

export type OutboxOptions = {
  readonly store: SealedStore;
  readonly clock: () => Date;
  readonly random: () => number;
  readonly backoff?: BackoffConfig;
  /** called after each step (tests: SIGKILL here); production: nothing */
  readonly checkpoint?: (step: OutboxStep, id: string) => void | Promise<void>;
};

export type Outbox = ReturnType<typeof createOutbox>;

/**
 * The outbox: sealed reports kept encrypted until the server's signed receipt is verified.
 *
 * Exactly once, through crashes: a report is sealed once per (contest, revision) and its
 * envelope stored durably BEFORE the first attempt; every attempt sends those same bytes; the
 * server answers a repeat with the original receipt and counts nothing (revision rules). So a
 * crash before the store loses only an unsent seal (the entry is still ready to sign), and a
 * crash anywhere after it ends in one resend that the server recognises.
 */
export function createOutbox(options: OutboxOptions) {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  const checkpoint = async (step: OutboxStep, id: string) => options.checkpoint?.(step, id);
  const inFlight = new Set<string>();
  const load = async (id: string): Promise<OutboxRecord> => {
    const record = await options.store.get(id, OutboxRecordSchema);
    if (record === undefined) throw new KitError('OUTBOX_ITEM_UNKNOWN', id);
    return record;
  };
  const records = async (): Promise<OutboxRecord[]> => {
    const ids = await options.store.list('outbox-');
    return Promise.all(ids.map(load));
  };

  return {
    /** Seals a tally and stores it; sealing the same revision again returns the stored one. */
    async seal(material: StationMaterial, tally: Schnellmeldung): Promise<OutboxItem> {
      const id = outboxId(tally.contestId, tally.revision);
      const contentHash = contentHashOf(tally);
      const existing = await options.store.get(id, OutboxRecordSchema);
      if (existing !== undefined) {
        if (existing.contentHash !== contentHash) throw new KitError('REVISION_ALREADY_SEALED', id);
        return toOutboxItem(existing, inFlight.has(id));
      }
      const now = options.clock();
      const { envelope: sealed, signedDataHash } = await sealMeldungWithHash(tally, {
        ...material,
        now,
      });
      await checkpoint('sealed', id);
      const envelope = Buffer.from(sealed).toString('utf8');
      const record: OutboxRecord = {
        format: 'wahlkoffer.outbox/1',
        id,
        tally,
        envelope,
        envelopeHash: sha256Hex(sealed),
        contentHash,
        signedDataHash,
        sealedAt: now.toISOString(),
        state: 'WAITING',
        attempts: 0,
        nextAttemptAt: now.toISOString(),
        lastError: null,
        receipt: null,
      };
      await options.store.put(id, record);
      await checkpoint('stored', id);
      return toOutboxItem(record, false);
    },

    async list(): Promise<OutboxItem[]> {
      return (await records()).map((r) => toOutboxItem(r, inFlight.has(r.id)));
    },

    record: load,

    /** Makes every waiting report due now (the poll worker pressed "Jetzt senden"). */
    async makeDue(): Promise<void> {
      const now = options.clock().toISOString();
      for (const r of await records()) {
        if (r.state === 'WAITING') await options.store.put(r.id, { ...r, nextAttemptAt: now });
      }
    },

    /** The earliest time a waiting report is due, or undefined when nothing waits. */
    async nextDue(): Promise<Date | undefined> {
      const due = (await records())
        .filter((r) => r.state === 'WAITING' && r.nextAttemptAt !== null)
        .map((r) => Date.parse(r.nextAttemptAt!));
      return due.length === 0 ? undefined : new Date(Math.min(...due));
    },

    /**
     * One delivery pass over the reports that are due. Returns how many are still waiting.
     * Receipts are checked against the pinned trust (receipt-check.ts).
     */
    async deliverDue(transport: Transport, trust: ReceiptTrust): Promise<number> {
      let waiting = 0;
      for (const record of await records()) {
        if (record.state !== 'WAITING' || inFlight.has(record.id)) continue;
        const now = options.clock();
        if (record.nextAttemptAt !== null && Date.parse(record.nextAttemptAt) > now.getTime()) {
          waiting++;
          continue;
        }
        inFlight.add(record.id);
        try {
          const after = await attempt(record, transport, trust);
          if (after.state === 'WAITING') waiting++;
        } finally {
          inFlight.delete(record.id);
        }
      }
      return waiting;
    },
  };

  async function attempt(
    record: OutboxRecord,
    transport: Transport,
    trust: ReceiptTrust,
  ): Promise<OutboxRecord> {
    await checkpoint('sending', record.id);
    const answer = await transport.deliver(record.envelope);
    await checkpoint('answered', record.id);
    const now = options.clock();
    const next = settle(record, answer, { ...trust, now, backoff, random: options.random() });
    await options.store.put(record.id, next);
    if (next.state === 'CONFIRMED') await checkpoint('confirmed', record.id);
    return next;
  }
}
