import { readFile } from 'node:fs/promises';
import type { KitStatus } from '../shared/index.ts';
import { KitError } from './error.ts';
import type { HandlerTable } from './ipc/index.ts';
import { paperRecord, printPaperRecord, type Printer } from './paper/paper-record.ts';
import type { BundleSource } from './provisioning/candidates.ts';
import { installBundle, loadInstalledKit, type InstalledKit } from './provisioning/provisioning.ts';
import {
  openStationServices,
  type ServiceOptions,
  type StationServices,
} from './station-services.ts';
import type { UnlockLockoutConfig } from './unlock/lockout.ts';
import { createUnlockService, type UnlockService } from './unlock/unlock.ts';

export type { StationClientLike } from './station-services.ts';

export type KitOptions = ServiceOptions & {
  readonly bundles: BundleSource;
  readonly printer: Printer;
  readonly lockout?: UnlockLockoutConfig;
  /** called when there may be something new to deliver (a seal, a new session): kick the loop */
  readonly onOutboxWork?: () => void;
};

export type Kit = {
  readonly handlers: HandlerTable;
  /** one delivery pass (the delivery loop calls it; tests call it directly) */
  deliverDue(): Promise<number>;
  /** when the next waiting report is due, if any */
  nextDue(): Promise<Date | undefined>;
  close(): Promise<void>;
};

/** The kit's two facts that change: is it provisioned, is it unlocked. */
type KitState = { installed: InstalledKit | undefined; unlocked: StationServices | undefined };

/**
 * The kit's main process as plain code: provisioning, unlock, session, data entry, outbox and
 * paper record composed into the IPC handler table. Electron's main and the Chromium harness
 * both build it and route the bridge through one dispatcher; nothing here imports Electron.
 */
export async function createKit(options: KitOptions): Promise<Kit> {
  const state: KitState = {
    installed: await loadInstalledKit(options.dataDir, options.clock()),
    unlocked: undefined,
  };
  const unlockService = createUnlockService({
    dataDir: options.dataDir,
    clock: options.clock,
    ...(options.lockout === undefined ? {} : { lockout: options.lockout }),
  });
  const lock = async () => {
    await state.unlocked?.client.close();
    state.unlocked = undefined;
  };
  return {
    handlers: kitHandlers(state, options, unlockService, lock),
    deliverDue: async () => (state.unlocked === undefined ? 0 : state.unlocked.deliver()),
    nextDue: async () => state.unlocked?.outbox.nextDue(),
    close: lock,
  };
}

function needInstalled(state: KitState): InstalledKit {
  if (state.installed === undefined) throw new KitError('NOT_PROVISIONED');
  return state.installed;
}

function needUnlocked(state: KitState): StationServices {
  if (state.unlocked === undefined) {
    throw new KitError(state.installed === undefined ? 'NOT_PROVISIONED' : 'KIT_LOCKED');
  }
  return state.unlocked;
}

async function kitStatus(
  state: KitState,
  options: KitOptions,
  unlockService: UnlockService,
): Promise<KitStatus> {
  const { installed, unlocked } = state;
  const session = await unlocked?.session.current();
  const phase =
    installed === undefined ? 'NOT_PROVISIONED' : unlocked === undefined ? 'LOCKED' : 'UNLOCKED';
  return {
    phase,
    station: installed?.station ?? null,
    unlock: await unlockService.state(),
    session: {
      state: session === undefined ? 'NONE' : 'OPEN',
      validUntil: session?.validUntil ?? null,
    },
    bundleCandidates: installed === undefined ? await options.bundles.list() : [],
  };
}

function kitHandlers(
  state: KitState,
  options: KitOptions,
  unlockService: UnlockService,
  lock: () => Promise<void>,
): HandlerTable {
  return {
    getStatus: () => kitStatus(state, options, unlockService),
    installBundle: async ({ candidateId, rootFingerprint }) => {
      const path = await options.bundles.resolve(candidateId);
      state.installed = await installBundle({
        dataDir: options.dataDir,
        bundleBytes: await readFile(path),
        typedFingerprint: rootFingerprint,
        now: options.clock(),
      });
      return state.installed.station;
    },
    unlock: async ({ passphrase }) => {
      const kit = needInstalled(state);
      if (state.unlocked === undefined) {
        const material = await unlockService.unlock(kit, passphrase);
        state.unlocked = openStationServices(options, kit, material);
        options.onOutboxWork?.();
      }
      return { unlocked: true };
    },
    lock: async () => {
      await lock();
      return { locked: true };
    },
    openSession: async ({ totp }) => {
      const u = needUnlocked(state);
      const session = await u.session.open(u.material, totp);
      options.onOutboxWork?.();
      return { validUntil: session.validUntil };
    },
    getEntry: ({ contestId }) => needUnlocked(state).entry.view(contestId),
    dispatchEntry: ({ contestId, event }) => needUnlocked(state).entry.dispatch(contestId, event),
    sealReport: async ({ contestId }) => {
      const u = needUnlocked(state);
      // sign (pure) → seal and store in the outbox → only then store the entry as signed
      const { report, signed } = await u.entry.sign(contestId);
      const item = await u.outbox.seal(u.material, report);
      await u.entry.save(contestId, signed);
      options.onOutboxWork?.();
      return item;
    },
    listOutbox: () => needUnlocked(state).outbox.list(),
    sendNow: async () => {
      const u = needUnlocked(state);
      await u.outbox.makeDue();
      await u.deliver();
      return u.outbox.list();
    },
    getPaperRecord: async ({ outboxId }) =>
      paperRecord(needInstalled(state).station, await needUnlocked(state).outbox.record(outboxId)),
    printPaperRecord: async ({ outboxId }) =>
      printPaperRecord({
        dataDir: options.dataDir,
        printer: options.printer,
        record: await needUnlocked(state).outbox.record(outboxId),
      }),
  };
}
