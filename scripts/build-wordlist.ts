/**
 * Builds pki/wordlist/de-7776.txt from Debian's wngerman (rules in pki/wordlist-builder.ts).
 *
 *   apt-get install -y wngerman
 *   npx tsx scripts/build-wordlist.ts [/usr/share/dict/ngerman] [pki/wordlist/de-7776.txt]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { buildWordList } from '../pki/wordlist-builder.ts';

if (import.meta.url === `file://${process.argv[1]}`) {
  const input = process.argv[2] ?? '/usr/share/dict/ngerman';
  const output = process.argv[3] ?? 'pki/wordlist/de-7776.txt';
  const words = buildWordList(readFileSync(input, 'utf8'));
  writeFileSync(output, `${words.join('\n')}\n`);
  console.log(`wrote ${words.length} words to ${output}`);
}
