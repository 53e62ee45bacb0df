import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { OutboxItem } from '../../koffer-app/shared/index.ts';
import type { TcpProxy } from './tcp-proxy.ts';
import type { WalkthroughResult } from './walkthrough.ts';
import { WalkthroughStepFailed } from './walkthrough-error.ts';
import type { WalkthroughOffice } from './walkthrough-office.ts';
import {
  formOrder,
  startEntry,
  submit,
  typeFingerprint,
  typeForm,
  waitForHeading,
  waitForOutboxState,
} from './walkthrough-steps.ts';

export type EveningContext = {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly office: WalkthroughOffice;
  readonly proxy: TcpProxy;
  readonly lang: 'de' | 'en';
  readonly out: string;
  readonly totp: () => string;
  readonly log: (line: string) => void;
  readonly outbox: () => Promise<readonly OutboxItem[]>;
  readonly onScreen?: (page: Page, name: string) => Promise<void>;
};

const FIRST = { name: 'Maria Huber', role: 'WAHLVORSTEHER' };
const SECOND = { name: 'Jonas Becker', role: 'SCHRIFTFUEHRER' };
const REASON = {
  de: 'Nachgezählt: viele Stimmzettel waren mit zwei Kreuzen abgegeben.',
  en: 'Recounted: many ballots were marked with two crosses.',
};

/** The evening, step by step; each step leaves one numbered screenshot of what the poll workers saw. */
export async function eveningSteps(ctx: EveningContext): Promise<WalkthroughResult> {
  const { page, office, proxy } = ctx;
  let shots = 0;
  const shot = async (name: string, on: Page = page) => {
    shots += 1;
    const file = path.join(ctx.out, `${String(shots).padStart(2, '0')}-${name}.png`);
    // the whole page in one window as tall as the page, so the sticky outbox bar sits at the
    // bottom as a person sees it, not across the middle of a stitched full-page image
    const size = on.viewportSize() ?? { width: 1280, height: 900 };
    const height = Number(await on.evaluate('document.documentElement.scrollHeight'));
    await on.setViewportSize({ width: size.width, height: Math.max(size.height, height) });
    await on.screenshot({ path: file });
    await on.setViewportSize(size);
    await ctx.onScreen?.(on, name);
  };
  const step = async (name: string, run: () => Promise<void>) => {
    ctx.log(`step: ${name}`);
    try {
      await run();
    } catch (error) {
      await page
        .screenshot({ path: path.join(ctx.out, `failed-${name}.png`), fullPage: true })
        .catch((e: unknown) => ctx.log(`no screenshot of the failure: ${String(e)}`));
      throw new WalkthroughStepFailed(name, error);
    }
  };
  const words = ctx.lang === 'de';
  const counted = office.counted;
  const b1 = counted.B1 ?? 0;
  // Jonas reads B1 (voters with a Wahlschein) one off: an independent count, so only this field differs
  const secondReading = { ...counted, B1: b1 > 0 ? b1 - 1 : b1 + 1 };

  await step('fingerprint-check', async () => {
    await waitForHeading(page, 'setup-heading');
    const wrong =
      office.rootFingerprint.slice(0, -4) +
      (office.rootFingerprint.endsWith('0000') ? '1111' : '0000');
    await typeFingerprint(page, wrong);
    await submit(page, words ? /prüfen und einrichten/ : /Check the file/);
    await page.getByRole('alert').waitFor();
    await shot('fingerprint-mismatch');
  });
  await step('bundle', async () => {
    await submit(page, words ? /^Verstanden$/ : /^Understood$/);
    await typeFingerprint(page, office.rootFingerprint);
    await shot('bundle');
    await submit(page, words ? /prüfen und einrichten/ : /Check the file/);
  });
  await step('unlock', async () => {
    await waitForHeading(page, 'unlock-heading');
    await page.locator('#passphrase').fill(office.passphrase);
    await shot('unlock');
    await submit(page, words ? /^Entsperren$/ : /^Unlock$/);
  });
  await step('totp', async () => {
    await waitForHeading(page, 'session-heading');
    await page.locator('#totp').fill(ctx.totp());
    await shot('totp');
    await submit(page, words ? /^Anmelden$/ : /^Sign in$/);
  });
  await step('first-person', async () => {
    await waitForHeading(page, 'who-heading');
    await startEntry(page, FIRST.name, FIRST.role);
    await shot('first-person');
    await submit(page, words ? /Eingabe beginnen/ : /Start entering/);
  });
  await step('first-entry', async () => {
    await typeForm(page, await formOrder(page), counted);
    await page.locator('.kit-finding').first().waitFor();
    await shot('first-entry');
    await submit(page, words ? /Eingabe abschließen/ : /Finish this entry/);
  });
  await step('second-person', async () => {
    await waitForHeading(page, 'who-heading');
    await startEntry(page, SECOND.name, SECOND.role);
    await shot('second-person');
    await submit(page, words ? /Eingabe beginnen/ : /Start entering/);
  });
  await step('second-entry', async () => {
    await typeForm(page, await formOrder(page), secondReading);
    await shot('second-entry-blind');
    await submit(page, words ? /Eingabe abschließen/ : /Finish this entry/);
  });
  await step('difference', async () => {
    await waitForHeading(page, 'differ-heading');
    await shot('difference');
    await page.locator('tr[data-key="B1"] button').first().click();
    await page.locator('tr[data-key="B1"] .wk-badge--ok').waitFor();
    await shot('difference-resolved');
    await submit(page, words ? /Abweichungen übernehmen/ : /Apply the decisions/);
  });
  await step('warning-reason', async () => {
    await waitForHeading(page, 'review-heading');
    await page.locator('#reason-W-203').fill(REASON[ctx.lang]);
    await submit(page, words ? /Begründung speichern/ : /Save reason/);
    await page.locator('.kit-reason .wk-badge--ok').waitFor();
    await shot('warning-reason');
  });
  await step('sign-offline', async () => {
    await proxy.down();
    await submit(page, words ? /Unterschreiben und senden/ : /Sign and send/);
    await waitForHeading(page, 'sent-heading');
    await waitForOutboxState(page, 'WAITING', 1);
    await shot('sealed-waiting-for-network');
  });
  let receiptCode = '';
  await step('receipt', async () => {
    await proxy.up();
    await submit(page, words ? /Jetzt erneut senden/ : /Send again now/);
    await waitForOutboxState(page, 'CONFIRMED');
    receiptCode = (await page.getByTestId('receipt-code').textContent()) ?? '';
    await shot('receipt');
  });
  const pdf = path.join(ctx.out, 'schnellmeldung.pdf');
  await step('paper-record', async () => {
    await page
      .getByRole('link', { name: words ? /Papierbeleg drucken/ : /Print the paper record/ })
      .click();
    await page.locator('.kit-paper__qr').waitFor();
    await shot('paper-record');
    await submit(page, words ? /^Drucken$/ : /^Print$/);
    const printed = page.getByTestId('printed-file');
    await printed.waitFor({ timeout: 60_000 });
    await copyFile((await printed.getAttribute('data-file')) ?? '', pdf);
  });
  const [item] = await ctx.outbox();
  return {
    accepted: item?.state === 'CONFIRMED' && item.receipt?.receiptCode === receiptCode,
    precinctId: office.precinct.id,
    revision: item?.revision ?? 0,
    receiptCode,
    screenshots: shots,
    pdf,
  };
}
