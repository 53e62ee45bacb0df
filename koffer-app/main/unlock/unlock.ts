import { join } from 'node:path';
import { z } from 'zod';
import {
  loadStationBundle,
  normalisePassphrase,
  PkiError,
  type StationMaterial,
} from '../../../pki/index.ts';
import { KitError } from '../error.ts';
import type { InstalledKit } from '../provisioning/provisioning.ts';
import { readFileIfExists, writeFileDurable } from '../storage/durable-file.ts';
import {
  DEFAULT_UNLOCK_LOCKOUT,
  retryAfterSeconds,
  type AttemptState,
  type UnlockLockoutConfig,
} from './lockout.ts';

const AttemptsFileSchema = z.strictObject({
  failedAttempts: z.number().int().min(0),
  lastFailureAt: z.iso.datetime().nullable(),
});

export type UnlockService = {
  state(): Promise<{ failedAttempts: number; retryAfterSeconds: number }>;
  /** the station material with the key in memory; never written anywhere */
  unlock(installed: InstalledKit, passphrase: string): Promise<StationMaterial>;
};

/**
 * Unlocking the station key with the passphrase from the letter. The failed-attempt counter
 * lives in a file and is raised BEFORE the (slow) key derivation runs, and reset only after a
 * success: switching the kit off in the middle of an attempt does not give a free guess, and
 * restarting the app does not reset the lock-out. A malformed passphrase (wrong word count)
 * is refused without counting — it reveals nothing about the key.
 */
export function createUnlockService(options: {
  readonly dataDir: string;
  readonly clock: () => Date;
  readonly lockout?: UnlockLockoutConfig;
}): UnlockService {
  const file = join(options.dataDir, 'unlock-attempts.json');
  const config = options.lockout ?? DEFAULT_UNLOCK_LOCKOUT;
  const read = async (): Promise<AttemptState> => {
    const bytes = await readFileIfExists(file);
    if (bytes === undefined) return { failedAttempts: 0, lastFailureAt: null };
    const parsed = AttemptsFileSchema.safeParse(safeJson(bytes));
    // an unreadable counter fails closed: treat it as a long run of failures
    if (!parsed.success) return { failedAttempts: 1000, lastFailureAt: options.clock() };
    const { failedAttempts, lastFailureAt } = parsed.data;
    return {
      failedAttempts,
      lastFailureAt: lastFailureAt === null ? null : new Date(lastFailureAt),
    };
  };
  const write = (state: AttemptState) =>
    writeFileDurable(
      file,
      Buffer.from(
        JSON.stringify({
          failedAttempts: state.failedAttempts,
          lastFailureAt: state.lastFailureAt?.toISOString() ?? null,
        }),
      ),
    );

  return {
    async state() {
      const current = await read();
      return {
        failedAttempts: current.failedAttempts,
        retryAfterSeconds: retryAfterSeconds(config, current, options.clock()),
      };
    },
    async unlock(installed, passphrase) {
      const now = options.clock();
      const before = await read();
      const wait = retryAfterSeconds(config, before, now);
      if (wait > 0) {
        throw new KitError('UNLOCK_LOCKED_OUT', undefined, {
          details: { retryAfterSeconds: wait },
        });
      }
      normalisePassphrase(passphrase); // PASSPHRASE_MALFORMED, not counted
      const counted = { failedAttempts: before.failedAttempts + 1, lastFailureAt: now };
      await write(counted);
      try {
        const material = await loadStationBundle(installed.bundleBytes, passphrase, {
          rootCaPem: installed.bundle.content.ca.root,
          now,
        });
        await write({ failedAttempts: 0, lastFailureAt: null });
        return material;
      } catch (error) {
        if (error instanceof PkiError && error.code === 'KEY_DECRYPTION_FAILED') {
          throw new KitError('WRONG_PASSPHRASE', undefined, {
            cause: error,
            details: {
              failedAttempts: counted.failedAttempts,
              retryAfterSeconds: retryAfterSeconds(config, counted, now),
            },
          });
        }
        throw error;
      }
    },
  };
}

function safeJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return undefined;
  }
}
