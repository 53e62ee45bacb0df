import { readFile, mkdtemp, readdir, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { runWalkthrough } from '../../cli/kit/walkthrough.ts';

const axeSource = await readFile(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

type AxeViolation = {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
};

/** axe-core in the page as the poll worker sees it: WCAG 2.1 A/AA rules, serious and critical only. */
async function axeCheck(page: Page): Promise<{ passes: number; serious: AxeViolation[] }> {
  // through the DevTools protocol: the kit's CSP (rightly) refuses an injected <script>
  await page.evaluate(`${axeSource}\n;true`);
  const result = await page.evaluate(async () => {
    type Axe = {
      run: (o: unknown) => Promise<{ violations: AxeViolation[]; passes: unknown[] }>;
    };
    const axe = (globalThis as unknown as { axe: Axe }).axe;
    const r = await axe.run({
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return { violations: r.violations, passes: r.passes.length };
  });
  return {
    passes: result.passes,
    serious: result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'),
  };
}

describe('wahlkoffer kit walkthrough (real server, real kit services, real renderer in Chromium)', () => {
  let out = '';
  afterAll(async () => {
    if (out !== '') await rm(out, { recursive: true, force: true });
  });

  it('gets one polling station through the evening: receipt, paper record, no serious a11y violation', async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'wahlkoffer-walkthrough-test-'));
    const screens: { name: string; passes: number; serious: AxeViolation[] }[] = [];
    const result = await runWalkthrough({
      out,
      lang: 'de',
      log: () => undefined,
      onScreen: async (page, name) => {
        screens.push({ name, ...(await axeCheck(page)) });
      },
    });
    expect(result.accepted).toBe(true);
    expect(result.revision).toBe(1);
    expect(result.receiptCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    const files = (await readdir(out)).sort();
    expect(files.filter((f) => /^\d\d-[a-z-]+\.png$/.test(f))).toHaveLength(result.screenshots);
    expect(files).toContain('schnellmeldung.pdf');
    const pdf = await readFile(result.pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(screens.map((s) => s.name)).toContain('receipt');
    // axe really ran on every screen (checks passed), and found nothing serious or critical
    expect(screens).toHaveLength(result.screenshots);
    expect(screens.filter((s) => s.passes < 10)).toEqual([]);
    expect(screens.filter((s) => s.serious.length > 0)).toEqual([]);
  }, 300_000);
});
