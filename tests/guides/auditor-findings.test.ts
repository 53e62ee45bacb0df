import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FINDING_MESSAGES } from '../../cli/audit/findings.ts';

const GUIDE = path.resolve(import.meta.dirname, '../../docs/guides/auditor.md');

describe('the auditor guide’s table of findings', () => {
  it('explains every code audit verify can report, and no other', () => {
    const rows = [...readFileSync(GUIDE, 'utf8').matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
    expect(rows.sort()).toEqual(Object.keys(FINDING_MESSAGES).sort());
  });
});
