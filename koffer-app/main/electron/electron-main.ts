// The kit's Electron main process: only wiring. Everything it wires is plain code tested under
// Node (windows.ts, app-protocol.ts, ipc/, kit.ts); this file is bundled to koffer-app/dist/main.mjs.
import { app, BrowserWindow, ipcMain, protocol, session } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_ORIGIN, APP_SCHEME } from '../../shared/index.ts';
import { createAppProtocolHandler } from '../app-protocol.ts';
import { createDispatch, registerIpc } from '../ipc/index.ts';
import { createKitMain } from '../kit-main.ts';
import { createWindowFactory, lockDownContents, lockDownSession } from '../windows.ts';
import { electronPrinter } from './electron-printer.ts';

const here = dirname(fileURLToPath(import.meta.url));

// before `ready`: app:// is a standard, secure scheme (same-origin rules, no mixed content)
protocol.registerSchemesAsPrivileged([
  { scheme: APP_SCHEME, privileges: { standard: true, secure: true } },
]);
app.enableSandbox();

function argValues(name: string): string[] {
  const out: string[] = [];
  process.argv.forEach((arg, i) => {
    if (arg === name && process.argv[i + 1] !== undefined) out.push(process.argv[i + 1]!);
  });
  return out;
}

async function start(): Promise<void> {
  lockDownSession(session.defaultSession);
  app.on('web-contents-created', (_event, contents) => lockDownContents(contents));
  protocol.handle(APP_SCHEME, createAppProtocolHandler(join(here, 'renderer')));
  const createWindow = createWindowFactory({
    BrowserWindow,
    preload: join(here, 'preload.cjs'),
    devTools: !app.isPackaged,
  });
  const kit = await createKitMain({
    dataDir: argValues('--data-dir')[0] ?? app.getPath('userData'),
    bundleFiles: argValues('--bundle'),
    printer: electronPrinter(createWindow),
  });
  registerIpc(
    ipcMain,
    createDispatch({
      handlers: kit.handlers,
      trustedOrigin: APP_ORIGIN,
      onUnexpected: (channel, error) =>
        console.error(`ipc ${channel}:`, error instanceof Error ? error.message : error),
    }),
  );
  app.on('window-all-closed', () => {
    void kit.close().finally(() => app.quit());
  });
  const window = createWindow('main');
  window.once('ready-to-show', () => window.show());
  await window.loadURL(`${APP_ORIGIN}/index.html`);
}

app
  .whenReady()
  .then(start)
  .catch((error: unknown) => {
    console.error('the kit could not start:', error);
    app.exit(1);
  });
