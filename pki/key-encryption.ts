import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  randomBytes,
  scrypt,
  type KeyObject,
} from 'node:crypto';
import { z } from 'zod';
import { canonicalBytes } from '../election/index.ts';
import { PkiError, orFail } from './error.ts';

/**
 * Private keys at rest (docs/crypto.md §Key storage): PKCS#8 DER, encrypted with AES-256-GCM
 * under a key derived from the passphrase with scrypt (RFC 7914). The KDF parameters, salt
 * and IV are stored with the ciphertext and bound to it as additional authenticated data, so
 * nobody can lower the cost of an existing file without breaking it.
 */
export const ENCRYPTED_KEY_FORMAT = 'wahlkoffer.encrypted-key/1' as const;

export type ScryptCost = { readonly N: number; readonly r: number; readonly p: number };

/**
 * Production cost: N = 2^17, r = 8, p = 1 (128 MiB, ~0.3 s on this machine's cores) — the
 * OWASP minimum for scrypt. With ≥ 64.6-bit passphrases an offline guess costs ~2^63 such
 * derivations on average. Tests pass a low cost explicitly.
 */
export const DEFAULT_SCRYPT_COST: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
/** For tests only: fast, and never the default. */
export const TEST_SCRYPT_COST: ScryptCost = { N: 2 ** 10, r: 8, p: 1 };

const B64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);
const KdfSchema = z.strictObject({
  name: z.literal('scrypt'),
  N: z
    .number()
    .int()
    .min(2 ** 10)
    .max(2 ** 20)
    .refine((n) => (n & (n - 1)) === 0, 'power of two'),
  r: z.number().int().min(1).max(32),
  p: z.number().int().min(1).max(16),
  salt: B64,
});
export const EncryptedKeySchema = z.strictObject({
  format: z.literal(ENCRYPTED_KEY_FORMAT),
  kdf: KdfSchema,
  cipher: z.literal('aes-256-gcm'),
  iv: B64,
  ciphertext: B64,
  tag: B64,
});
export type EncryptedKey = z.infer<typeof EncryptedKeySchema>;

function deriveKey(passphrase: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // async scrypt runs on libuv's thread pool, so several derivations use several cores
    scrypt(
      passphrase.normalize('NFC'),
      salt,
      32,
      { ...cost, maxmem: 256 * cost.N * cost.r + 16 * 1024 * 1024 },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    );
  });
}

function aad(file: Pick<EncryptedKey, 'format' | 'kdf' | 'cipher'>): Uint8Array {
  return canonicalBytes({ format: file.format, kdf: file.kdf, cipher: file.cipher });
}

export async function encryptPrivateKey(
  key: KeyObject,
  passphrase: string,
  cost: ScryptCost = DEFAULT_SCRYPT_COST,
): Promise<EncryptedKey> {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const kdf = { name: 'scrypt' as const, ...cost, salt: salt.toString('base64') };
  const header = { format: ENCRYPTED_KEY_FORMAT, kdf, cipher: 'aes-256-gcm' as const };
  const cipher = createCipheriv('aes-256-gcm', await deriveKey(passphrase, salt, cost), iv);
  cipher.setAAD(aad(header));
  const pkcs8 = key.export({ format: 'der', type: 'pkcs8' });
  const ciphertext = Buffer.concat([cipher.update(pkcs8), cipher.final()]);
  return {
    ...header,
    iv: iv.toString('base64'),
    ciphertext: ciphertext.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

export async function decryptPrivateKey(file: unknown, passphrase: string): Promise<KeyObject> {
  const parsed = orFail('KEY_FILE_MALFORMED', () => EncryptedKeySchema.parse(file));
  const salt = Buffer.from(parsed.kdf.salt, 'base64');
  const iv = Buffer.from(parsed.iv, 'base64');
  const tag = Buffer.from(parsed.tag, 'base64');
  if (salt.length < 16 || iv.length !== 12 || tag.length !== 16) {
    throw new PkiError('KEY_FILE_MALFORMED', 'salt, iv or tag length');
  }
  const key = await deriveKey(passphrase, salt, parsed.kdf);
  const pkcs8 = orFail('KEY_DECRYPTION_FAILED', () => {
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(aad(parsed));
    decipher.setAuthTag(tag);
    return Buffer.concat([
      decipher.update(Buffer.from(parsed.ciphertext, 'base64')),
      decipher.final(),
    ]);
  });
  return orFail('KEY_FILE_MALFORMED', () =>
    createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }),
  );
}
