import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../../../cli/kit/chromium.ts';
import type { RunningServer } from '../../../central-server/index.ts';
import { createOffice, startTestServer, type Office } from '../fixture.ts';
import { totpCode } from './office-client.ts';

const ARTIFACTS = join(import.meta.dirname, '../../../test-artifacts/office');
const PASSWORD = 'korrekt pferd batterie';

let office: Office;
let server: RunningServer;
let browser: Browser;
const secrets = new Map<string, string>();
const cspViolations: string[] = [];

async function newPage(width = 1280): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: { width, height: 860 } });
  const page = await context.newPage();
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) cspViolations.push(m.text());
  });
  return { context, page };
}

async function logIn(page: Page, name: string, at = new Date()) {
  await page.getByLabel('Benutzername').fill(name);
  await page.getByLabel('Passwort').fill(PASSWORD);
  await page.getByLabel('Code aus der App').fill(totpCode(secrets.get(name)!, at));
  await page.getByRole('button', { name: 'Anmelden' }).click();
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  office = await createOffice({ issue: [] });
  server = await startTestServer(office);
  for (const [name, role] of [
    ['wahlleitung', 'admin'],
    ['telefon1', 'operator'],
  ] as const) {
    const e = await server.officeUsers.add({
      name,
      role,
      password: PASSWORD,
      actor: { name: 'test', via: 'cli' },
    });
    secrets.set(name, e.totpSecret);
  }
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  office?.cleanup();
});

describe('logging in to the dashboard in Chromium', () => {
  it('sends a visitor to the log-in, logs in with password and code, shows the users page', async () => {
    const { context, page } = await newPage();
    await page.goto(`${server.officeUrl}users`);
    expect(new URL(page.url()).pathname).toBe('/office/login');
    await expect.poll(() => page.title()).toContain('Anmeldung im Wahlamt');
    await page.screenshot({ path: join(ARTIFACTS, 'login-de.png'), fullPage: true });

    await logIn(page, 'wahlleitung');
    await page.waitForURL('**/office/users');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Benutzer');
    const header = await page.locator('header').innerText();
    expect(header).toContain('wahlleitung');
    expect(header).toContain('Administration');
    for (const item of ['Übersicht', 'Stationen', 'Telefon', 'Benutzer', 'Abmelden']) {
      expect(header).toContain(item);
    }
    expect(await page.locator('tbody tr').count()).toBe(2);
    await page.screenshot({ path: join(ARTIFACTS, 'users-de.png'), fullPage: true });

    // the session cookie is out of the page's reach and bound to this site
    expect(await page.evaluate<string>('document.cookie')).not.toContain('wahlkoffer_office');
    const cookie = (await context.cookies()).find((c) => c.name === 'wahlkoffer_office');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });

    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Users');
    await page.screenshot({ path: join(ARTIFACTS, 'users-en.png'), fullPage: true });

    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/office/login?bye=1');
    expect(await page.getByRole('status').innerText()).toBe('You are logged out.');
    await page.goto(`${server.officeUrl}users?lang=de`);
    expect(new URL(page.url()).pathname).toBe('/office/login');
    await context.close();
  });

  it('shows a refused log-in with its code and keeps the name', async () => {
    const { context, page } = await newPage(390);
    await page.goto(`${server.officeUrl}login`);
    await page.getByLabel('Benutzername').fill('telefon1');
    await page.getByLabel('Passwort').fill('falsches passwort');
    await page.getByLabel('Code aus der App').fill('123456');
    await page.getByRole('button', { name: 'Anmelden' }).click();
    const alert = await page.getByRole('alert').innerText();
    expect(alert).toContain('Anmeldung fehlgeschlagen');
    expect(alert).toContain('LOGIN_FAILED');
    expect(await page.getByLabel('Benutzername').inputValue()).toBe('telefon1');
    expect(
      await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth'),
    ).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'login-refused-phone.png'), fullPage: true });
    await context.close();
  });

  it('gives an operator no Benutzer entry and no users page', async () => {
    const { context, page } = await newPage();
    await page.goto(`${server.officeUrl}login`);
    await logIn(page, 'telefon1', new Date(Date.now() + 30_000));
    await page.waitForURL('**/office/');
    const nav = await page.getByRole('navigation', { name: 'Navigation' }).innerText();
    expect(nav).toContain('Telefon');
    expect(nav).not.toContain('Benutzer');
    const answer = await page.goto(`${server.officeUrl}users`);
    expect(answer?.status()).toBe(403);
    expect(await page.getByRole('alert').innerText()).toContain('ROLE_FORBIDDEN');
    await page.screenshot({ path: join(ARTIFACTS, 'operator-forbidden.png'), fullPage: true });
    await context.close();
  });

  it('loads nothing the CSP blocks', () => {
    expect(cspViolations).toEqual([]);
  });
});
