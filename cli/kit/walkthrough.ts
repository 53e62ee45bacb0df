import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSync } from 'otplib';
import type { Page } from 'playwright-core';
import { createDispatch, createKitMain } from '../../koffer-app/main/index.ts';
import type { BrowserContext } from 'playwright-core';
import { startServerProcess, type ServerProcess } from '../demo/server-process.ts';
import { launchChromium } from './chromium.ts';
import { HARNESS_ORIGIN, openKitPage, wireKitContext } from './kit-page.ts';
import { buildRenderer } from './renderer-build.ts';
import { startTcpProxy, type TcpProxy } from './tcp-proxy.ts';
import { setUpWalkthroughOffice } from './walkthrough-office.ts';
import { eveningSteps, type EveningContext } from './walkthrough-evening.ts';
export { WalkthroughStepFailed } from './walkthrough-error.ts';

export type WalkthroughOptions = {
  readonly out: string;
  readonly lang: 'de' | 'en';
  /** progress lines (stderr in the CLI) */
  readonly log: (line: string) => void;
  /** called after every screenshot with the page on screen (the e2e test runs axe here) */
  readonly onScreen?: (page: Page, name: string) => Promise<void>;
  /** a built renderer to reuse (tests build once); default: build into a temp folder */
  readonly rendererDir?: string;
  /** pixels per CSS pixel of the screenshots (the guide's images use less than 1) */
  readonly deviceScaleFactor?: number;
};

export type WalkthroughResult = {
  readonly accepted: boolean;
  readonly precinctId: string;
  readonly revision: number;
  readonly receiptCode: string;
  readonly screenshots: number;
  readonly pdf: string;
};

/**
 * `wahlkoffer kit walkthrough`: the whole evening of one polling station with real parts — a
 * generated election, the PKI ceremony, one issued kit, the central server as a process on a
 * free port behind a TCP proxy (the LTE link), the kit's real main-process services behind the
 * same dispatcher Electron uses, and the real renderer in Debian's Chromium. Writes numbered
 * screenshots and the paper record as PDF into `out`.
 */
export async function runWalkthrough(options: WalkthroughOptions): Promise<WalkthroughResult> {
  await mkdir(options.out, { recursive: true });
  const work = await mkdtemp(path.join(os.tmpdir(), 'wahlkoffer-walkthrough-'));
  let server: ServerProcess | undefined;
  let proxy: TcpProxy | undefined;
  let target: { host: string; port: number } | undefined;
  const closers: (() => Promise<unknown>)[] = [];
  try {
    proxy = await startTcpProxy(() => target);
    options.log(`office: election, PKI ceremony, one kit (server URL in the bundle: ${proxy.url})`);
    const office = await setUpWalkthroughOffice(work, proxy.url, new Date());
    server = await startServerProcess({
      pkiDir: office.pkiDir,
      electionFile: office.electionFile,
      dbFile: path.join(work, 'server.db'),
      host: '127.0.0.1',
    });
    const running = server;
    closers.push(() => running.stop('SIGTERM'));
    target = { host: '127.0.0.1', port: Number(new URL(server.url).port) };
    options.log(`server: ${server.url} (kit reaches it through ${proxy.url})`);
    const rendererDir = options.rendererDir ?? (await buildRenderer(path.join(work, 'renderer')));
    const browser = await launchChromium();
    closers.push(() => browser.close());
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      deviceScaleFactor: options.deviceScaleFactor ?? 1,
      locale: options.lang === 'de' ? 'de-DE' : 'en-GB',
    });
    const kit = await createKitMain({
      dataDir: path.join(work, 'kit'),
      bundleFiles: [office.bundleFile],
      mediaDirs: [],
      printer: chromiumPrinter(context, options.lang),
      onError: (error) =>
        options.log(`delivery: ${error instanceof Error ? error.message : String(error)}`),
    });
    closers.push(() => kit.close());
    await wireKitContext(
      context,
      rendererDir,
      createDispatch({ handlers: kit.handlers, trustedOrigin: HARNESS_ORIGIN }),
    );
    const page = await openKitPage(context, 'index.html', options.lang);
    const evening: EveningContext = {
      page,
      context,
      office,
      proxy,
      lang: options.lang,
      out: options.out,
      totp: () => generateSync({ secret: office.totpSecret }),
      log: options.log,
      outbox: async () => {
        const items = await kit.handlers.listOutbox(
          {},
          { sender: { url: HARNESS_ORIGIN, isMainFrame: true } },
        );
        return items;
      },
      ...(options.onScreen === undefined ? {} : { onScreen: options.onScreen }),
    };
    return await eveningSteps(evening);
  } finally {
    for (const close of closers.reverse())
      await close().catch((e: unknown) => options.log(`cleanup: ${String(e)}`));
    await proxy?.close();
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * The kit's printer in Chromium: main's print service asks for the PDF of one outbox item; this
 * opens print.html for it in the same wired context (so it reads the record through the bridge
 * like Electron's hidden print window) and prints with page.pdf(), A4 as the page CSS says.
 */
function chromiumPrinter(context: BrowserContext, lang: 'de' | 'en') {
  return async (outboxId: string): Promise<Uint8Array> => {
    const page = await openKitPage(
      context,
      `print.html?outbox=${encodeURIComponent(outboxId)}`,
      lang,
    );
    try {
      await page.locator('html[data-print-ready="true"]').waitFor({ timeout: 60_000 });
      return await page.pdf({ preferCSSPageSize: true, printBackground: true });
    } finally {
      await page.close();
    }
  };
}
