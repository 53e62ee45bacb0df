import type { Page } from 'playwright-core';

/**
 * What a poll worker does on each screen, as Playwright actions on the real renderer. Locators
 * are the ones a person uses: labels, roles and visible text — the same the axe checks see.
 * German and English share the element ids, so the steps work in both languages.
 */

const LONG = 60_000;

export async function typeFingerprint(page: Page, fingerprint: string): Promise<void> {
  // as on the letter: groups of four, upper case
  const grouped = (fingerprint.toUpperCase().match(/.{1,4}/g) ?? []).join(' ');
  await page.locator('#root-fingerprint').fill(grouped);
}

/**
 * Clicks a button once the kit is idle: while a call to main is in flight the buttons are
 * disabled, and a click that lands in that moment does nothing (as for a person).
 */
export async function submit(page: Page, name: RegExp): Promise<void> {
  await waitIdle(page);
  await page.getByRole('button', { name }).click();
}

export async function waitIdle(page: Page): Promise<void> {
  await page.locator('main[aria-busy="false"]').waitFor({ timeout: LONG });
}

export async function waitForHeading(page: Page, id: string): Promise<void> {
  await page.locator(`#${id}`).waitFor({ timeout: LONG });
}

export async function startEntry(page: Page, name: string, role: string): Promise<void> {
  await page.locator('#person-name').fill(name);
  await page.locator('#person-role').selectOption(role);
}

/**
 * Types the figures as a poll worker does, keyboard only: into the first field, digits, Enter,
 * digits, Enter … Checks on every field that Enter really moved the cursor there, in the order
 * of the form, and that the last Enter lands on "Eingabe abschließen". Prefilled fields (A1–A3
 * from the register) are checked, not retyped.
 */
export async function typeForm(
  page: Page,
  order: readonly string[],
  values: Readonly<Record<string, number>>,
): Promise<void> {
  const first = order[0];
  if (first === undefined) throw new Error('the form has no fields');
  await page.locator(`#f-${first}`).focus();
  for (const key of order) {
    const focused = await activeId(page);
    if (focused !== `f-${key}`)
      throw new Error(`Enter did not move to ${key} (focus on ${focused})`);
    const wanted = String(values[key] ?? '');
    if ((await page.locator(`#f-${key}`).inputValue()) !== wanted) {
      await page.keyboard.press('Control+A');
      await page.keyboard.type(wanted);
    }
    await page.keyboard.press('Enter');
  }
  const last = await page.evaluate('document.activeElement?.textContent ?? ""');
  if (!/Eingabe abschließen|Finish this entry/.test(String(last))) {
    throw new Error(`the last Enter did not reach the finish button (focus on ${String(last)})`);
  }
}

async function activeId(page: Page): Promise<string> {
  return String(await page.evaluate('document.activeElement?.id ?? ""'));
}

/** The field keys of the form on screen, in form order (read from the inputs' ids). */
export async function formOrder(page: Page): Promise<string[]> {
  await page.locator('input[id^="f-"]').first().waitFor({ timeout: LONG });
  const ids = await page.locator('input[id^="f-"]').evaluateAll((els) => els.map((e) => e.id));
  return ids.map((id) => id.slice(2));
}

export async function waitForOutboxState(
  page: Page,
  state: string,
  minAttempts = 0,
): Promise<void> {
  await page
    .locator(`.kit-outbox [data-state="${state}"]`)
    .first()
    .waitFor({ timeout: LONG * 2 });
  if (minAttempts > 0) {
    const deadline = Date.now() + LONG * 2;
    for (;;) {
      const text = (await page.locator('.kit-outbox').textContent()) ?? '';
      const match = /(?:Versuche bisher|attempts so far): (\d+)/.exec(text);
      if (match !== null && Number(match[1]) >= minAttempts) return;
      if (Date.now() > deadline) throw new Error(`the outbox made no ${minAttempts} attempts`);
      await page.waitForTimeout(250);
    }
  }
}
