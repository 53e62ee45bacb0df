import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../election/index.ts';
import { renderRulesDoc } from '../../scripts/rules-doc.ts';

describe('docs/rules.md', () => {
  it('is up to date with the RULES table (regenerate: npx tsx scripts/generate-rules-doc.ts)', async () => {
    const committed = await readFile(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    expect(committed).toBe(renderRulesDoc());
  });

  it('lists every rule once', () => {
    const doc = renderRulesDoc();
    for (const r of RULES) expect(doc.split(`| ${r.code} |`)).toHaveLength(2);
  });
});
