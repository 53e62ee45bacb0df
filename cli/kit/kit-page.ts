import { build as esbuild } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext, Page } from 'playwright-core';
import { createAppProtocolHandler } from '../../koffer-app/main/app-protocol.ts';
import type { Dispatch } from '../../koffer-app/main/ipc/index.ts';
import { APP_ORIGIN, BRIDGE_GLOBAL } from '../../koffer-app/shared/index.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The origin the renderer is served from in Chromium. Requests to it never reach the network:
 * Playwright answers them from the built files through main's own app:// protocol handler (same
 * CSP, same path checks). `.localhost` so that even a leak could only go to loopback.
 */
export const HARNESS_ORIGIN = 'http://wahlkoffer-kit.localhost';

/** The name of the binding that carries IPC from the page to main's dispatcher. */
const INVOKE_BINDING = 'wahlkofferInvoke';

let bridgeScript: Promise<string> | undefined;

/**
 * The Chromium counterpart of koffer-app/preload/preload.ts: the same `createBridge` from
 * koffer-app/shared, bundled for the page, over the Playwright binding instead of ipcRenderer.
 * The renderer cannot tell the two apart.
 */
function harnessPreload(): Promise<string> {
  bridgeScript ??= esbuild({
    stdin: {
      contents: [
        `import { BRIDGE_GLOBAL, createBridge } from './koffer-app/shared/index.ts';`,
        `const invoke = globalThis[${JSON.stringify(INVOKE_BINDING)}];`,
        `Object.defineProperty(globalThis, BRIDGE_GLOBAL, { value: createBridge((c, p) => invoke(c, p)) });`,
      ].join('\n'),
      resolveDir: REPO,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return bridgeScript;
}

/**
 * Wires one browser context to the kit: serves the built renderer under HARNESS_ORIGIN and binds
 * the bridge to main's real dispatcher (sender = the calling frame, checked by the dispatcher
 * against HARNESS_ORIGIN exactly as Electron's ipcMain checks app://kit).
 */
export async function wireKitContext(
  context: BrowserContext,
  rendererDir: string,
  dispatch: Dispatch,
): Promise<void> {
  const serve = createAppProtocolHandler(rendererDir);
  await context.route(`${HARNESS_ORIGIN}/**`, async (route) => {
    const url = new URL(route.request().url());
    const response = await serve(new Request(`${APP_ORIGIN}${url.pathname}`));
    await route.fulfill({
      status: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      body: Buffer.from(await response.arrayBuffer()),
    });
  });
  await context.exposeBinding(INVOKE_BINDING, (source, channel: unknown, payload: unknown) =>
    dispatch(String(channel), payload, {
      url: source.frame.url(),
      isMainFrame: source.frame === source.page.mainFrame(),
    }),
  );
  await context.addInitScript({ content: await harnessPreload() });
}

/** Opens the kit's main window (or the print page) in a new page of a wired context. */
export async function openKitPage(
  context: BrowserContext,
  page: 'index.html' | `print.html?${string}`,
  lang: 'de' | 'en',
): Promise<Page> {
  const tab = await context.newPage();
  const sep = page.includes('?') ? '&' : '?';
  await tab.goto(`${HARNESS_ORIGIN}/${page}${sep}lang=${lang}`);
  await tab.waitForFunction((name) => name in globalThis, BRIDGE_GLOBAL);
  return tab;
}
