import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../central-server/index.ts';
import {
  createOffice,
  openSession,
  startTestServer,
  submit,
  urneReport,
  type Office,
} from '../fixture.ts';

/** Screenshots of every step, to look at (not compared): test-artifacts/publication/. */
const ARTIFACTS = join(import.meta.dirname, '../../../test-artifacts/publication');

let office: Office;
let server: RunningServer;
let browser: Browser;

async function report(precinctId: string, votes: [number, number, number]): Promise<number> {
  const kit = office.kits.get(precinctId)!;
  const session = await openSession(server, kit);
  const answer = await submit(
    server,
    session.body.token as string,
    await kit.seal(urneReport(precinctId, votes)),
  );
  expect(answer.status).toBe(201);
  return answer.body.sequence as number;
}

/** A page without script (the public pages must read without it), at a given width. */
async function open(path: string, width: number): Promise<Page> {
  const context = await browser.newContext({
    javaScriptEnabled: false,
    viewport: { width, height: 900 },
  });
  const page = await context.newPage();
  const response = await page.goto(`${server.resultsUrl}${path}`);
  expect(response?.status()).toBe(200);
  return page;
}

const noHorizontalScroll = (page: Page) =>
  page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth');
/** The text a reader sees (innerText: as laid out, no-break spaces kept). */
const text = (l: Locator) => l.innerText();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  office = await createOffice();
  server = await startTestServer(office);
  const last = [
    await report('P1', [300, 250, 140]),
    await report('P2', [410, 380, 190]),
    await report('P3', [220, 260, 90]),
  ].at(-1)!;
  // wait for the snapshot that holds the last report (publication is asynchronous)
  for (let i = 0; i < 400; i++) {
    const r = (await (await fetch(`${server.resultsUrl}results.json`)).json()) as {
      lastSequence: number;
    };
    if (r.lastSequence >= last) break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  office?.cleanup();
});

describe('the public results page in Chromium', () => {
  it('shows the right totals to a citizen on a desktop, in German', async () => {
    const page = await open('', 1280);
    expect(await text(page.locator('h1'))).toBe('Musterstadt');
    const ballot = page.locator('section.wk-ballot');
    expect(await text(ballot.locator('.wk-progress').first())).toContain(
      '3 von 4 Stimmbezirken ausgezählt',
    );
    expect(await text(ballot.locator('.wk-badge'))).toBe('Zwischenergebnis');
    // Anna Alt: 300 + 410 + 220 = 930 of 690 + 980 + 570 = 2,240 valid votes = 41.5 %
    const first = ballot.locator('tbody tr').first();
    expect(await text(first.locator('th'))).toContain('Anna Alt');
    expect(await text(first.locator('td').nth(0))).toMatch(/41,5\s%/);
    expect(await text(first.locator('td').nth(1))).toBe('930');
    expect(await text(ballot)).toContain('Gültige Stimmen: 2.240');
    await page.screenshot({ path: join(ARTIFACTS, 'desktop-de.png'), fullPage: true });
  });

  it('reads on a phone without sideways scrolling, and switches to English and back', async () => {
    const page = await open('', 390);
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'phone-de.png'), fullPage: true });
    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await text(page.locator('section.wk-ballot .wk-progress').first())).toContain(
      '3 of 4 polling districts counted',
    );
    expect(
      await text(page.locator('section.wk-ballot tbody tr').first().locator('td').nth(0)),
    ).toBe('41.5%');
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'phone-en.png'), fullPage: true });
    await page.getByRole('link', { name: 'Deutsch' }).click();
    expect(await page.locator('html').getAttribute('lang')).toBe('de');
  });

  it('leads from the city to a Stadtbezirk, whose districts show what arrived and what is missing', async () => {
    const page = await open('', 390);
    await page.getByRole('link', { name: 'Nord' }).click();
    expect(await text(page.locator('h1'))).toBe('Nord');
    const districts = page.locator('table.wk-districts tbody tr');
    expect(await districts.count()).toBe(2);
    expect(await text(districts.filter({ hasText: 'Schule Nord' }))).toContain('eingegangen');
    expect(await text(districts.filter({ hasText: 'Briefwahl 1' }))).toContain('nicht gemeldet');
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'phone-de-nord.png'), fullPage: true });
    await page.getByRole('link', { name: 'Musterstadt', exact: true }).click();
    expect(await text(page.locator('h1'))).toBe('Musterstadt');
  });
});
