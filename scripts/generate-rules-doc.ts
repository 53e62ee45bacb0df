// Writes docs/rules.md from the RULES table: `npx tsx scripts/generate-rules-doc.ts`.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderRulesDoc } from './rules-doc.ts';

const target = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/rules.md');
await writeFile(target, renderRulesDoc());
console.log(`wrote ${target}`);
