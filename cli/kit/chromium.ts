import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run); playwright never downloads a browser of its own. */
export const CHROMIUM_PATH = process.env.WAHLKOFFER_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Headless Chromium as the walkthrough and the browser tests run it. The background-networking
 * flags keep it from calling out to Google's services (refused on a closed network, and not
 * what a polling-station kit should do anyway).
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
