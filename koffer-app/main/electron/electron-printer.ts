import type { BrowserWindow } from 'electron';
import { APP_ORIGIN } from '../../shared/index.ts';
import type { Printer } from '../paper/paper-record.ts';
import type { WindowKind } from '../windows.ts';

const READY_TIMEOUT_MS = 30_000;

/**
 * The paper record through Electron: a hidden print window from the one window factory loads
 * the renderer's print view, which fetches its data over the bridge and marks itself ready
 * (`<html data-print-ready="true">`); then `webContents.printToPDF` renders A4.
 */
export function electronPrinter(createWindow: (kind: WindowKind) => BrowserWindow): Printer {
  return async (outboxId) => {
    const window = createWindow('print');
    try {
      await window.loadURL(
        `${APP_ORIGIN}/print.html?outbox=${encodeURIComponent(outboxId)}&lang=de`,
      );
      await waitUntilReady(window);
      return await window.webContents.printToPDF({ pageSize: 'A4', printBackground: true });
    } finally {
      window.destroy();
    }
  };
}

async function waitUntilReady(window: BrowserWindow): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const ready: unknown = await window.webContents.executeJavaScript(
      'document.documentElement.dataset.printReady === "true"',
    );
    if (ready === true) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('print view did not become ready');
}
