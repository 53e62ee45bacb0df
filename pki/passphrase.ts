import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PkiError } from './error.ts';

/**
 * Station passphrases (docs/crypto.md §Passphrase): five words from a fixed German list of
 * 7,776 words (pki/wordlist/de-7776.txt, built by scripts/build-wordlist.ts), chosen
 * uniformly with a CSPRNG: log2(7776^5) ≈ 64.6 bits. Entry is forgiving about case and
 * separators: "Fjord salzig-Atlas  ..." and "fjord-salzig-atlas-..." are the same passphrase.
 */
export const PASSPHRASE_WORDS = 5;
export const PASSPHRASE_BITS = PASSPHRASE_WORDS * Math.log2(7776);

let cached: readonly string[] | undefined;

export function wordList(): readonly string[] {
  cached ??= readFileSync(new URL('./wordlist/de-7776.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((w) => w !== '');
  return cached;
}

/** `pick(n)` must return a uniform integer in [0, n); the default is node:crypto's CSPRNG. */
export function generatePassphrase(pick: (n: number) => number = (n) => randomInt(n)): string {
  const words = wordList();
  return Array.from({ length: PASSPHRASE_WORDS }, () => words[pick(words.length)]!).join('-');
}

/**
 * The canonical form the KDF sees: NFKC, lowercase, words joined by single hyphens.
 * Refuses anything that cannot be a station passphrase before spending a slow KDF on it.
 */
export function normalisePassphrase(input: string): string {
  const words = input
    .normalize('NFKC')
    .toLowerCase()
    .split(/[\s-]+/)
    .filter((w) => w !== '');
  if (words.length !== PASSPHRASE_WORDS || words.some((w) => !/^[a-z]{4,8}$/.test(w))) {
    throw new PkiError('PASSPHRASE_MALFORMED', `expected ${PASSPHRASE_WORDS} words`);
  }
  return words.join('-');
}
