import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StationClient } from '../../api/index.ts';
import type { StationMaterial } from '../../pki/index.ts';
import {
  installBundle,
  loadInstalledKit,
} from '../../koffer-app/main/provisioning/provisioning.ts';
import { createUnlockService } from '../../koffer-app/main/unlock/unlock.ts';
import {
  createSealedStore,
  deriveStorageKey,
  type SealedStore,
} from '../../koffer-app/main/storage/sealed-store.ts';
import {
  createSessionService,
  type SessionService,
} from '../../koffer-app/main/session/session.ts';
import { createOutbox, type OutboxOptions } from '../../koffer-app/main/outbox/outbox.ts';
import { createTransmission } from '../../koffer-app/main/outbox/transmission.ts';
import type { Transport } from '../../koffer-app/main/outbox/transport.ts';
import type { IssuedKit, KitOffice } from './office.ts';

/**
 * One kit's main-process services over a data directory, built from the real modules the way
 * the kit composes them: provision (once), unlock, encrypted store, session, outbox. Used by the
 * in-process tests and by the crash test's child process.
 */
export type Station = {
  readonly material: StationMaterial;
  readonly store: SealedStore;
  readonly client: StationClient;
  readonly session: SessionService;
  readonly outbox: ReturnType<typeof createOutbox>;
  readonly transport: Transport;
  readonly deliver: (transport?: Transport) => Promise<number>;
  readonly close: () => Promise<void>;
};

export async function provision(office: KitOffice, kit: IssuedKit, dataDir: string) {
  return installBundle({
    dataDir,
    bundleBytes: readFileSync(kit.bundleFile),
    typedFingerprint: office.rootFingerprint,
    now: new Date(),
  });
}

export async function openStation(
  dataDir: string,
  passphrase: string,
  serverUrl: string,
  extra: Partial<Pick<OutboxOptions, 'checkpoint' | 'clock' | 'random' | 'backoff'>> = {},
): Promise<Station> {
  const clock = extra.clock ?? (() => new Date());
  const installed = await loadInstalledKit(dataDir, clock());
  if (installed === undefined) throw new Error('not provisioned');
  const material = await createUnlockService({ dataDir, clock }).unlock(installed, passphrase);
  const key = deriveStorageKey(
    material.stationKey,
    Buffer.from(installed.config.storageSalt, 'base64'),
  );
  const store = createSealedStore(join(dataDir, 'store'), key);
  const client = new StationClient({ serverUrl });
  const session = createSessionService({ store, client, clock });
  const outbox = createOutbox({
    store,
    clock,
    random: extra.random ?? Math.random,
    ...(extra.backoff === undefined ? {} : { backoff: extra.backoff }),
    ...(extra.checkpoint === undefined ? {} : { checkpoint: extra.checkpoint }),
  });
  const transport = createTransmission({ client, session });
  return {
    material,
    store,
    client,
    session,
    outbox,
    transport,
    deliver: (t = transport) =>
      outbox.deliverDue(t, {
        trust: material.trust,
        crl: material.crl,
        checkpointKey: material.checkpointKey,
      }),
    close: () => client.close(),
  };
}
