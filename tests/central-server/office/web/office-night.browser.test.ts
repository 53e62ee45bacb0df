import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../../../central-server/index.ts';
import type { Enrolment } from '../../../../central-server/office/index.ts';
import {
  createOffice,
  openSession,
  startTestServer,
  submit,
  totpAt,
  urneReport,
  type Office,
} from '../../fixture.ts';
import { totpCode } from '../office-client.ts';
import { kitFromReplacement } from '../office-kits.ts';

/*
 * Election night at the office, in real Chromium against a real server: log in with password
 * and TOTP, watch a kit's report arrive live, confirm it by the receipt code read out on the
 * phone, take a result by phone with two operators (blind second entry, a difference settled),
 * revoke a stolen kit and see its next report refused, replace it and see the new kit accepted,
 * and the public page with the right totals. Every step is a screenshot under
 * test-artifacts/office-night/ (look at them); scripts/office-guide-images.ts copies them into
 * docs/guides/img/ for the office guide.
 */
export const ARTIFACTS = join(import.meta.dirname, '../../../../test-artifacts/office-night');
const PASSWORD = 'korrekt pferd batterie';
const CA_PASSPHRASE = 'test ca passphrase';
/** scripts/office-guide-images.ts renders smaller, so the guide's PNGs stay small */
const SCALE = Number(process.env['OFFICE_NIGHT_SCALE'] ?? '1');

let office: Office;
let server: RunningServer;
let browser: Browser;
const users = new Map<string, Enrolment>();
const contexts: BrowserContext[] = [];

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** A browser window of its own (own cookies) for one office user, logged in. */
async function desk(name: string, first?: (page: Page) => Promise<void>): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    deviceScaleFactor: SCALE,
    locale: 'de-DE',
  });
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(`${server.url}/office/login`);
  await page.fill('#name', name);
  await page.fill('#password', PASSWORD);
  await page.fill('#code', totpCode(users.get(name)!.totpSecret));
  await first?.(page);
  await Promise.all([page.waitForURL(/\/office\/$/), page.click('button[type=submit]')]);
  return page;
}

async function kitReport(precinctId: string, d: [number, number, number]) {
  const kit = office.kits.get(precinctId)!;
  const token = (await openSession(server, kit)).body.token as string;
  return { token, answer: await submit(server, token, await kit.seal(urneReport(precinctId, d))) };
}

const typed = (precinctId: string, d: [number, number, number]) =>
  Object.entries(urneReport(precinctId, d).counts).filter(
    ([key]) => !['A1', 'A2', 'A3'].includes(key),
  );

async function typeFigures(page: Page, figures: [string, number][]) {
  for (const [key, value] of figures) await page.fill(`#feld-${key}`, String(value));
}

let admin: Page;
let anna: Page;
let bernd: Page;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  office = await createOffice();
  server = await startTestServer(office);
  for (const [name, role] of [
    ['ada', 'admin'],
    ['anna', 'operator'],
    ['bernd', 'operator'],
  ] as const) {
    users.set(
      name,
      await server.officeUsers.add({
        name,
        role,
        password: PASSWORD,
        actor: { name: 'setup', via: 'cli' },
      }),
    );
  }
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
}, 120_000);

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await server?.close();
  office?.cleanup();
});

describe('election night at the office, in Chromium', () => {
  let receiptCode: string;

  it('logs in with password and the code of the authenticator app', async () => {
    admin = await desk('ada', (page) => shot(page, 'office-01-login'));
    expect(await admin.locator('.wk-office-user').innerText()).toContain('ada');
  });

  it('watches a kit’s report arrive live, without reloading the page', async () => {
    await admin.goto(`${server.url}/office/`);
    const badge = admin.locator('[data-badge="P1"]').first();
    expect(await badge.innerText()).toBe('nicht gemeldet');
    await admin.locator('#live-status.wk-badge--ok').waitFor({ timeout: 10_000 });
    await admin.evaluate('window.sameDocument = true');
    const { answer } = await kitReport('P1', [300, 250, 140]);
    expect(answer.status).toBe(201);
    receiptCode = answer.body.receiptCode as string;
    // the badge changes by the server-sent event; the page is not reloaded
    await admin
      .locator('[data-badge="P1"]', { hasText: 'eingegangen' })
      .first()
      .waitFor({ timeout: 10_000 });
    expect(await admin.evaluate('window.sameDocument')).toBe(true);
    await shot(admin, 'office-02-live');
  });

  it('confirms the report by the receipt code the poll worker reads out', async () => {
    anna = await desk('anna');
    await anna.goto(`${server.url}/office/phone`);
    await anna.fill('#confirm-precinct', '0101');
    await anna.fill('#confirm-code', 'FALS-CH00');
    await anna.press('#confirm-code', 'Enter');
    await anna.locator('.wk-alert--error').waitFor();
    expect(await anna.locator('.wk-alert--error').innerText()).toMatch(
      /RECEIPT_CODE_MISMATCH|RECEIPT_CODE_MALFORMED/,
    );
    await shot(anna, 'office-03-code-refused');
    await anna.fill('#confirm-precinct', '0101');
    await anna.fill('#confirm-code', receiptCode.toLowerCase().replace('-', ' '));
    await anna.press('#confirm-code', 'Enter');
    await anna.locator('.wk-alert--ok').waitFor();
    expect(await anna.locator('.wk-alert--ok').innerText()).toContain(
      'telefonisch bestätigt – von anna',
    );
    await shot(anna, 'office-04-confirmed');
  });

  it('takes a result by phone: a first entry, a blind second entry, a difference settled', async () => {
    await anna.goto(`${server.url}/office/phone`);
    await anna.fill('#entry-precinct', '0201');
    await anna.click('text=Erfassung öffnen');
    await anna.click('text=Ersteingabe beginnen');
    await typeFigures(anna, typed('P2', [400, 300, 200]));
    await shot(anna, 'office-05-first-entry');
    await anna.click('button[value=finish]');
    await anna.getByText('Jetzt muss eine andere Person die Zweiteingabe machen').waitFor();

    bernd = await desk('bernd');
    await bernd.goto(`${server.url}/office/phone/entry/P2/OB`);
    await bernd.click('text=Zweiteingabe beginnen (blind)');
    expect(await bernd.inputValue('#feld-D1')).toBe('');
    await typeFigures(bernd, typed('P2', [410, 300, 200]));
    await shot(bernd, 'office-06-second-entry-blind');
    await bernd.click('button[value=finish]');
    await bernd.getByText('Die beiden Eingaben weichen ab').waitFor();
    await shot(bernd, 'office-07-differences');
    for (const key of ['B', 'D', 'D1']) await bernd.check(`input[name=r_${key}][value=first]`);
    await bernd.click('button[value=resolve]');
    await bernd.getByText('Beide Eingaben stimmen überein').waitFor();
    await bernd.click('button[value=sign]');
    await bernd.locator('.wk-receipt-code').waitFor();
    expect(await bernd.locator('.wk-receipt-code').innerText()).toMatch(
      /^[0-9A-Z]{4}-[0-9A-Z]{4}$/,
    );
    await shot(bernd, 'office-08-phoned-counted');
  });

  it('revokes a stolen kit: its next report is refused', async () => {
    const { token } = await (async () => {
      const kit = office.kits.get('P3')!;
      return { token: (await openSession(server, kit)).body.token as string };
    })();
    await admin.goto(`${server.url}/office/stations`);
    await shot(admin, 'office-09-stations');
    await admin.click('#station-P3 >> text=Sperren');
    await admin.fill('#ca-passphrase', CA_PASSPHRASE);
    await admin.fill('#confirm-number', '0202');
    await shot(admin, 'office-10-revoke');
    await admin.click('text=Endgültig sperren');
    await admin.getByText('ist gesperrt').waitFor();
    await shot(admin, 'office-11-revoked');
    const kit = office.kits.get('P3')!;
    const refused = await submit(server, token, await kit.seal(urneReport('P3', [100, 100, 100])));
    expect(refused.status).toBe(403);
  });

  it('replaces it: the new kit is accepted at once, without a restart', async () => {
    await admin.click('text=Ersetzen');
    await admin.fill('#ca-passphrase', CA_PASSPHRASE);
    await admin.fill('#confirm-number', '0202');
    await admin.click('text=Ersatz erzeugen');
    await admin.getByText('Ersatz erzeugt').waitFor();
    await shot(admin, 'office-12-replaced');
    const [bundle, letter] = await admin.locator('code.wk-path').allInnerTexts();
    const overview = (await server.officeActions.stations.overview()).find(
      (s) => s.precinctId === 'P3',
    )!;
    const kit = await kitFromReplacement(office.pkiDir, {
      precinctId: 'P3',
      serial: overview.serial!,
      superseded: [],
      bundle: bundle!,
      letter: letter!,
    });
    const session = await openSession(server, kit, totpAt(kit, new Date(Date.now() + 30_000)));
    expect(session.status).toBe(201);
    const accepted = await submit(
      server,
      session.body.token as string,
      await kit.seal(urneReport('P3', [220, 260, 90])),
    );
    expect(accepted.status).toBe(201);
    await admin.goto(`${server.url}/office/stations`);
    await shot(admin, 'office-13-stations-after');
  });

  it('shows the public the right totals, the phoned-in district marked', async () => {
    await server.publicationFlush();
    const page = await contexts[0]!.newPage();
    await page.goto(server.resultsUrl);
    const text = await page.locator('main').innerText();
    // P1 300/250/140 + P2 400/300/200 (by phone) + P3 220/260/90
    expect(text).toContain('920');
    expect(text).toContain('810');
    expect(text).toContain('430');
    expect(text).toMatch(/3 von 4 Stimmbezirken/);
    expect(text).toContain('telefonisch');
    await shot(page, 'office-14-public');
  });
});
