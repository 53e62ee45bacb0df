import { join } from 'node:path';
import { indexElection } from '../../election/index.ts';
import type { StationMaterial } from '../../pki/index.ts';
import { createEntryService, type EntryService } from './entry/entry-service.ts';
import type { BackoffConfig } from '../../api/index.ts';
import { createOutbox, type Outbox, type OutboxOptions } from './outbox/outbox.ts';
import { createTransmission, type ReportClient } from './outbox/transmission.ts';
import type { InstalledKit } from './provisioning/provisioning.ts';
import {
  createSessionService,
  type SessionClient,
  type SessionService,
} from './session/session.ts';
import { createSealedStore, deriveStorageKey } from './storage/sealed-store.ts';

export type StationClientLike = SessionClient & ReportClient & { close(): Promise<void> };

export type ServiceOptions = {
  readonly dataDir: string;
  readonly clock: () => Date;
  readonly random: () => number;
  /** the HTTP contract's station client for the bundle's server, TLS pinned to its root */
  readonly connect: (server: { url: string; rootCaPem: string }) => StationClientLike;
  readonly backoff?: BackoffConfig;
  readonly checkpoint?: OutboxOptions['checkpoint'];
};

/** What exists only while the kit is unlocked: the key in memory and everything it opens. */
export type StationServices = {
  readonly material: StationMaterial;
  readonly client: StationClientLike;
  readonly session: SessionService;
  readonly entry: EntryService;
  readonly outbox: Outbox;
  /** one delivery pass over the due reports; resolves to how many still wait */
  readonly deliver: () => Promise<number>;
};

/**
 * Opens the station's services after a successful unlock: the encrypted store under the key
 * derived from the station key, the session, the four-eyes entry, the outbox and its transport.
 */
export function openStationServices(
  options: ServiceOptions,
  kit: InstalledKit,
  material: StationMaterial,
): StationServices {
  const key = deriveStorageKey(material.stationKey, Buffer.from(kit.config.storageSalt, 'base64'));
  const store = createSealedStore(join(options.dataDir, 'store'), key);
  const client = options.connect({ url: material.serverUrl, rootCaPem: material.rootCaPem });
  const session = createSessionService({ store, client, clock: options.clock });
  const outbox = createOutbox({
    store,
    clock: options.clock,
    random: options.random,
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
    ...(options.checkpoint === undefined ? {} : { checkpoint: options.checkpoint }),
  });
  const entry = createEntryService({
    store,
    env: { index: indexElection(material.election) },
    electionId: material.electionId,
    precinctId: material.precinctId,
  });
  const transport = createTransmission({ client, session });
  const trust = {
    trust: material.trust,
    crl: material.crl,
    checkpointKey: material.checkpointKey,
  };
  return {
    material,
    client,
    session,
    entry,
    outbox,
    deliver: () => outbox.deliverDue(transport, trust),
  };
}
