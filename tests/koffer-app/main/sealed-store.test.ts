import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createSealedStore,
  deriveStorageKey,
} from '../../../koffer-app/main/storage/sealed-store.ts';
import { writeFileDurable } from '../../../koffer-app/main/storage/durable-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'kit-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const salt = randomBytes(32);
const Value = z.strictObject({ counts: z.record(z.string(), z.number()) });

describe('the kit’s encrypted store', () => {
  it('round-trips a value and keeps nothing readable on disk', async () => {
    const store = createSealedStore(dir, deriveStorageKey(privateKey, salt));
    await store.put('entry-OB', { counts: { D1: 4711 } });
    expect(await store.get('entry-OB', Value)).toEqual({ counts: { D1: 4711 } });
    const raw = readFileSync(join(dir, 'entry-OB.sealed'));
    expect(raw.includes(Buffer.from('4711'))).toBe(false);
    expect(raw.includes(Buffer.from('counts'))).toBe(false);
    // no temporary files are left behind
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('derives the same key from the same station key and salt, another from another salt', () => {
    expect(deriveStorageKey(privateKey, salt).equals(deriveStorageKey(privateKey, salt))).toBe(
      true,
    );
    expect(
      deriveStorageKey(privateKey, randomBytes(32)).equals(deriveStorageKey(privateKey, salt)),
    ).toBe(false);
  });

  it.each([
    ['another key', (store: string) => store],
    [
      'a swapped file',
      (store: string) => {
        renameSync(join(store, 'a.sealed'), join(store, 'b.sealed'));
        return store;
      },
    ],
    [
      'a flipped bit',
      (store: string) => {
        const file = join(store, 'a.sealed');
        const bytes = readFileSync(file);
        bytes[bytes.length - 1]! ^= 1;
        writeFileSync(file, bytes);
        return store;
      },
    ],
  ])('refuses to open a file under %s (OUTBOX_CORRUPT)', async (name, spoil) => {
    const sub = mkdtempSync(join(dir, 'case-'));
    const key = deriveStorageKey(privateKey, salt);
    await createSealedStore(sub, key).put('a', { counts: {} });
    spoil(sub);
    const other = name === 'another key' ? deriveStorageKey(privateKey, randomBytes(32)) : key;
    const target = name === 'a swapped file' ? 'b' : 'a';
    await expect(createSealedStore(sub, other).get(target, Value)).rejects.toMatchObject({
      code: 'OUTBOX_CORRUPT',
    });
  });

  it('replaces a file whole (temporary file, fsync, rename)', async () => {
    const file = join(dir, 'durable.json');
    await writeFileDurable(file, Buffer.from('first'));
    await writeFileDurable(file, Buffer.from('second'));
    expect(readFileSync(file, 'utf8')).toBe('second');
  });
});
