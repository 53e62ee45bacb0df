import { createDecipheriv, generateKeyPairSync, scryptSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';
import { describe, expect, it } from 'vitest';
import { canonicalBytes } from '../../election/index.ts';
import {
  PASSPHRASE_BITS,
  TEST_SCRYPT_COST,
  decryptPrivateKey,
  encryptPrivateKey,
  generatePassphrase,
  normalisePassphrase,
  wordList,
} from '../../pki/index.ts';
import { buildWordList } from '../../pki/wordlist-builder.ts';

describe('the German word list', () => {
  const words = wordList();

  it('has 7,776 distinct lowercase ASCII words of 4–8 letters', () => {
    expect(words).toHaveLength(7776);
    expect(new Set(words).size).toBe(7776);
    for (const w of words) expect(w).toMatch(/^[a-z]{4,8}$/);
  });

  it('is unambiguous: unique five-letter prefixes, no word a prefix of another', () => {
    expect(new Set(words.map((w) => w.slice(0, 5))).size).toBe(7776);
    const sorted = [...words].sort();
    sorted.forEach((w, i) => expect(sorted[i + 1]?.startsWith(w) ?? false).toBe(false));
  });

  it.runIf(readFileSyncSafe('/usr/share/dict/ngerman') !== undefined)(
    'is exactly what scripts/build-wordlist.ts makes from wngerman',
    () => {
      expect(buildWordList(readFileSyncSafe('/usr/share/dict/ngerman')!)).toEqual(words);
    },
  );

  it('gives five-word passphrases of more than 60 bits', () => {
    expect(PASSPHRASE_BITS).toBeGreaterThan(64);
    const phrase = generatePassphrase();
    expect(phrase.split('-')).toHaveLength(5);
    for (const w of phrase.split('-')) expect(words).toContain(w);
  });

  it('normalises case and separators, and refuses what cannot be a passphrase', () => {
    expect(normalisePassphrase(' Fjord  SALZIG-atlas -halft\tgolds ')).toBe(
      'fjord-salzig-atlas-halft-golds',
    );
    expect(() => normalisePassphrase('123456')).toThrow(
      expect.objectContaining({ code: 'PASSPHRASE_MALFORMED' }),
    );
    expect(() => normalisePassphrase('fjord salzig atlas halft')).toThrow(
      expect.objectContaining({ code: 'PASSPHRASE_MALFORMED' }),
    );
  });
});

function readFileSyncSafe(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

describe('a private key at rest', () => {
  const key = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

  it('round-trips with the right passphrase and keeps its KDF cost with the ciphertext', async () => {
    const file = await encryptPrivateKey(key, 'fjord-salzig-atlas-halft-golds', TEST_SCRYPT_COST);
    expect(file.kdf).toMatchObject({ name: 'scrypt', N: 1024, r: 8, p: 1 });
    const back = await decryptPrivateKey(file, 'fjord-salzig-atlas-halft-golds');
    expect(back.export({ format: 'der', type: 'pkcs8' })).toEqual(
      key.export({ format: 'der', type: 'pkcs8' }),
    );
  });

  it('is refused with a wrong passphrase', async () => {
    const file = await encryptPrivateKey(key, 'fjord-salzig-atlas-halft-golds', TEST_SCRYPT_COST);
    await expect(decryptPrivateKey(file, 'fjord-salzig-atlas-halft-gold')).rejects.toMatchObject({
      code: 'KEY_DECRYPTION_FAILED',
    });
  });

  it('cannot be made cheaper to attack: lowering N in the file breaks decryption', async () => {
    const file = await encryptPrivateKey(key, 'pass', { N: 2048, r: 8, p: 1 });
    await expect(
      decryptPrivateKey({ ...file, kdf: { ...file.kdf, N: 1024 } }, 'pass'),
    ).rejects.toMatchObject({
      code: 'KEY_DECRYPTION_FAILED',
    });
    await expect(
      decryptPrivateKey({ ...file, kdf: { ...file.kdf, N: 2 ** 30 } }, 'pass'),
    ).rejects.toMatchObject({
      code: 'KEY_FILE_MALFORMED',
    });
  });

  it('decrypts with node-forge’s independent AES-256-GCM as well (format as documented)', async () => {
    const file = await encryptPrivateKey(key, 'pass', TEST_SCRYPT_COST);
    const derived = scryptSync('pass', Buffer.from(file.kdf.salt, 'base64'), 32, {
      N: 1024,
      r: 8,
      p: 1,
    });
    const aad = canonicalBytes({ format: file.format, kdf: file.kdf, cipher: file.cipher });
    const decipher = forge.cipher.createDecipher(
      'AES-GCM',
      forge.util.createBuffer(derived.toString('binary')),
    );
    decipher.start({
      iv: forge.util.createBuffer(Buffer.from(file.iv, 'base64').toString('binary')),
      additionalData: Buffer.from(aad).toString('binary'),
      tag: forge.util.createBuffer(Buffer.from(file.tag, 'base64').toString('binary')),
      tagLength: 128,
    });
    decipher.update(
      forge.util.createBuffer(Buffer.from(file.ciphertext, 'base64').toString('binary')),
    );
    expect(decipher.finish()).toBe(true);
    expect(Buffer.from(decipher.output.getBytes(), 'binary')).toEqual(
      key.export({ format: 'der', type: 'pkcs8' }),
    );
    // and node agrees on the same bytes
    const d = createDecipheriv('aes-256-gcm', derived, Buffer.from(file.iv, 'base64'));
    d.setAAD(aad);
    d.setAuthTag(Buffer.from(file.tag, 'base64'));
    expect(Buffer.concat([d.update(Buffer.from(file.ciphertext, 'base64')), d.final()])).toEqual(
      key.export({ format: 'der', type: 'pkcs8' }),
    );
  });
});
