import {
  createCipheriv,
  createDecipheriv,
  hkdfSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { z } from 'zod';
import { KitError } from '../error.ts';
import { readFileIfExists, writeFileDurable } from './durable-file.ts';

const STORAGE_INFO = 'wahlkoffer.kit-storage/1';
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,120}$/;

/**
 * The key that encrypts the kit's working files (outbox, session, data entry) at rest:
 * HKDF-SHA256 (RFC 5869) over the station's private scalar with a per-kit salt. It exists only
 * while the kit is unlocked, so a stolen, switched-off kit reveals nothing without the
 * passphrase — and the same passphrase that protects the signing key protects the files.
 */
export function deriveStorageKey(stationKey: KeyObject, salt: Uint8Array): Buffer {
  const d = stationKey.export({ format: 'jwk' }).d;
  if (typeof d !== 'string') throw new KitError('INTERNAL', 'station key has no private scalar');
  return Buffer.from(hkdfSync('sha256', Buffer.from(d, 'base64url'), salt, STORAGE_INFO, 32));
}

export type SealedStore = {
  put(name: string, value: unknown): Promise<void>;
  get<S extends z.ZodType>(name: string, schema: S): Promise<z.output<S> | undefined>;
  list(prefix: string): Promise<string[]>;
  remove(name: string): Promise<void>;
};

/**
 * Named JSON values in one directory, each file AES-256-GCM encrypted under the storage key,
 * with its name as additional authenticated data (a file renamed or swapped fails to open),
 * and written durably. A file that fails to decrypt or to parse is OUTBOX_CORRUPT — never
 * silently skipped.
 */
export function createSealedStore(dir: string, key: Uint8Array): SealedStore {
  const fileOf = (name: string) => {
    if (!NAME.test(name)) throw new KitError('INTERNAL', `bad store name ${name}`);
    return join(dir, `${name}.sealed`);
  };
  return {
    async put(name, value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(name, 'utf8'));
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      await writeFileDurable(fileOf(name), Buffer.concat([iv, cipher.getAuthTag(), body]));
    },
    async get(name, schema) {
      const bytes = await readFileIfExists(fileOf(name));
      if (bytes === undefined) return undefined;
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
        decipher.setAAD(Buffer.from(name, 'utf8'));
        decipher.setAuthTag(bytes.subarray(12, 28));
        const text = Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]);
        return schema.parse(JSON.parse(text.toString('utf8')));
      } catch (error) {
        throw new KitError('OUTBOX_CORRUPT', name, { cause: error });
      }
    },
    async remove(name) {
      await rm(fileOf(name), { force: true });
    },
    async list(prefix) {
      let names: string[];
      try {
        names = await readdir(dir);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw error;
      }
      return names
        .filter((n) => n.startsWith(prefix) && n.endsWith('.sealed'))
        .map((n) => n.slice(0, -'.sealed'.length))
        .sort();
    },
  };
}
