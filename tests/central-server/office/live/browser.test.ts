import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StationClient } from '../../../../api/index.ts';
import type { Schnellmeldung } from '../../../../election/index.ts';
import type { RunningServer } from '../../../../central-server/index.ts';
import { signSessionChallenge } from '../../../../pki/session.ts';
import { createOffice, startTestServer, totpAt, urneReport, type Office } from '../../fixture.ts';
import { totpCode } from '../office-client.ts';

/** Screenshots of every step, to look at (not compared): test-artifacts/office-live/. */
const ARTIFACTS = join(import.meta.dirname, '../../../../test-artifacts/office-live');
const PASSWORD = 'korrekt pferd batterie';

let office: Office;
let server: RunningServer;
let browser: Browser;
let station: StationClient;
let totpSecret: string;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  office = await createOffice();
  server = await startTestServer(office);
  ({ totpSecret } = await server.officeUsers.add({
    name: 'clara',
    role: 'auditor',
    password: PASSWORD,
    actor: { name: 'setup', via: 'cli' },
  }));
  station = new StationClient({ serverUrl: server.url });
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
  await station.close();
  await server.close();
  office.cleanup();
});

/** A station's kit sends through the real client: challenge, session, report. */
async function stationSends(report: Schnellmeldung) {
  const kit = office.kits.get(report.precinctId)!;
  const { challenge } = await station.challenge();
  const session = await station.openSession({
    certificateChain: kit.chain.map((c) => c.toString('base64')),
    challenge,
    signature: Buffer.from(signSessionChallenge(Buffer.from(challenge), kit.key)).toString(
      'base64',
    ),
    totp: totpAt(kit, new Date()),
  });
  return station.submitReport(session.token, await kit.seal(report)).catch((e: unknown) => e);
}

async function logIn(page: Page, at = new Date()): Promise<void> {
  await page.goto(`${server.url}/office/login`);
  await page.fill('input[name="name"]', 'clara');
  await page.fill('input[name="password"]', PASSWORD);
  await page.fill('input[name="code"]', totpCode(totpSecret, at));
  await Promise.all([page.waitForURL(/\/office\/(\?.*)?$/), page.click('button[type="submit"]')]);
}

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

describe('the live overview in Chromium', () => {
  let page: Page;

  it('shows every district "nicht gemeldet" before the first report, and goes live', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1400 } });
    // the browser asks for /favicon.ico by itself; the dashboard has none (not an error of the page)
    await context.route('**/favicon.ico', (route) => route.fulfill({ status: 204 }));
    page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
    });
    await logIn(page);
    expect(await text(page, 'h1')).toBe('Eingang der Schnellmeldungen');
    expect(await text(page, '[data-count="M"][data-state="not-reported"]')).toBe('4');
    expect(await text(page, '[data-reported="M"]')).toBe('0 von 4');
    await page.locator('#live-status', { hasText: 'live' }).waitFor();
    await page.screenshot({
      path: join(ARTIFACTS, '1-vor-der-ersten-meldung.png'),
      fullPage: true,
    });
    expect(errors, errors.join('\n')).toEqual([]); // no CSP violation, no script error
  });

  it("updates without a reload when a station's report arrives", async () => {
    const answer = await stationSends(urneReport('P1', [300, 250, 140]));
    expect(answer).toMatchObject({ repeat: false });
    await page.locator('[data-badge="P1"]', { hasText: 'eingegangen' }).waitFor();
    await page.locator('[data-reported="M"]', { hasText: '1 von 4' }).waitFor();
    expect(await text(page, '[data-count="M"][data-state="received"]')).toBe('1');
    expect(await text(page, '[data-reported="SB1"]')).toBe('1 von 2');
    await page.screenshot({ path: join(ARTIFACTS, '2-erste-meldung.png'), fullPage: true });
  });

  it('lists a refused report with its code and German reason, and alerts on identical results', async () => {
    const bad = urneReport('P2', [410, 380, 190]);
    await stationSends({ ...bad, counts: { ...bad.counts, D: 1 } });
    const refusal = page.locator('#live-refusal-list tr', { hasText: 'PLAUSIBILITY_ERROR' });
    await refusal.waitFor();
    expect(await refusal.innerText()).toContain('0201 Schule Süd');
    await page.locator('[data-badge="P2"]', { hasText: 'abgelehnt' }).waitFor();
    // the same figures as P1, acknowledged by the Wahlvorstand: accepted, and two alerts
    const same = urneReport('P3', [300, 250, 140], {
      acknowledgements: [{ code: 'W.301', reason: 'Nachgezählt, Ergebnis stimmt' }],
    });
    expect(await stationSends(same)).toMatchObject({ repeat: false });
    await page.locator('#live-alert-list li', { hasText: 'Gleiches Ergebnis in 2' }).waitFor();
    await page.locator('#live-alert-list li', { hasText: 'W.301' }).waitFor();
    await page.screenshot({
      path: join(ARTIFACTS, '3-ablehnung-und-warnungen.png'),
      fullPage: true,
    });
  });

  it('reads without script: the same counts, filtered by state, on a phone', async () => {
    const context = await browser.newContext({
      javaScriptEnabled: false,
      viewport: { width: 390, height: 844 },
    });
    const phone = await context.newPage();
    await logIn(phone, new Date(Date.now() + 30_000)); // a TOTP code is taken once: the next one
    await phone.selectOption('#live-state', 'refused');
    await Promise.all([phone.waitForURL(/state=refused/), phone.click('.live-filter button')]);
    expect(await phone.locator('tr[data-district]').count()).toBe(1);
    expect(await text(phone, 'tr[data-district]')).toContain('Schule Süd');
    expect(await text(phone, '[data-reported="M"]')).toBe('2 von 4');
    expect(await phone.locator('#live-status').isVisible()).toBe(false); // not "live" without script
    expect(await phone.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(
      true,
    );
    await phone.screenshot({ path: join(ARTIFACTS, '4-ohne-script-telefon.png'), fullPage: true });
    await context.close();
  });

  it('in English with ?lang=en', async () => {
    await page.goto(`${server.url}/office/?lang=en`);
    expect(await text(page, 'h1')).toBe('Incoming quick reports');
    expect(await text(page, '[data-reported="M"]')).toBe('2 of 4');
    await page.screenshot({ path: join(ARTIFACTS, '5-english.png'), fullPage: true });
  });
});
