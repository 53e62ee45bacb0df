/**
 * Builds the content of pki/wordlist/de-7776.txt (run by scripts/build-wordlist.ts), the German word list for station passphrases, from
 * Debian's `wngerman` dictionary (/usr/share/dict/ngerman). Deterministic: the same dictionary
 * always gives the same list. The list is data, not a secret; it is committed.
 *
 *   apt-get install -y wngerman
 *   npx tsx scripts/build-wordlist.ts [/usr/share/dict/ngerman] [pki/wordlist/de-7776.txt]
 *
 * Rules (docs/crypto.md §Passphrase):
 * - lowercase ASCII a–z only (no umlauts or ß: every keyboard layout types them), 4–8 letters;
 * - unambiguous: no two words share their first five letters, and no word is a prefix of
 *   another, so a word is identified by what was typed even with a typo after letter five;
 * - of each five-letter prefix the shortest word (ties: alphabetical), which favours base forms;
 * - then the 7,776 shortest of those (ties broken by SHA-256 of the word, i.e. evenly spread
 *   over the alphabet), sorted. Five words = log2(7776^5) ≈ 64.6 bits.
 */
import { createHash } from 'node:crypto';

export const WORD_COUNT = 7776;

export function buildWordList(dictionary: string): string[] {
  const candidates = new Set<string>();
  for (const line of dictionary.split('\n')) {
    const word = line.trim().toLowerCase();
    if (/^[a-z]{4,8}$/.test(word)) candidates.add(word);
  }
  const byPrefix = new Map<string, string>();
  for (const word of [...candidates].sort()) {
    const prefix = word.slice(0, 5);
    const kept = byPrefix.get(prefix);
    if (kept === undefined || word.length < kept.length) byPrefix.set(prefix, word);
  }
  const sorted = [...byPrefix.values()].sort();
  const prefixFree = sorted.filter((w, i) => !(sorted[i + 1]?.startsWith(w) ?? false));
  const hash = (w: string) => createHash('sha256').update(w).digest('hex');
  const chosen = prefixFree
    .map((w) => ({ w, h: hash(w) }))
    .sort((a, b) => a.w.length - b.w.length || (a.h < b.h ? -1 : 1))
    .slice(0, WORD_COUNT)
    .map((x) => x.w)
    .sort();
  if (chosen.length !== WORD_COUNT) throw new Error(`only ${chosen.length} words qualify`);
  return chosen;
}
