import type {
  BrowserWindow,
  BrowserWindowConstructorOptions,
  Session,
  WebContents,
  WebPreferences,
} from 'electron';

/**
 * Every window of the kit comes from this one factory, so every window is hardened as in
 * Electron's security checklist: sandboxed renderer, context isolation, no Node integration,
 * no webviews, web security on; navigation, redirects and new windows denied. Electron's
 * BrowserWindow constructor is injected, so the factory is plain code and tested under Node.
 */
export const HARDENED_WEB_PREFERENCES = {
  sandbox: true,
  contextIsolation: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webviewTag: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  navigateOnDragDrop: false,
  safeDialogs: true,
  spellcheck: false,
} as const satisfies WebPreferences;

/** The parts of WebContents the lock-down uses (a fake provides the same in tests). */
export type LockableContents = Pick<WebContents, 'on' | 'setWindowOpenHandler'>;
export type WindowLike = { readonly webContents: LockableContents };
export type WindowConstructor<W extends WindowLike = BrowserWindow> = new (
  options: BrowserWindowConstructorOptions,
) => W;

export type WindowKind = 'main' | 'print';

const KIND_OPTIONS: Record<WindowKind, BrowserWindowConstructorOptions> = {
  main: {
    width: 1280,
    height: 860,
    minWidth: 1024,
    minHeight: 700,
    show: false,
    title: 'Wahlkoffer',
  },
  // the print window renders the Anlage-28 view off screen for printToPDF
  print: { width: 794, height: 1123, show: false, title: 'Wahlkoffer – Druck' },
};

export type WindowFactoryOptions<W extends WindowLike> = {
  readonly BrowserWindow: WindowConstructor<W>;
  /** absolute path of the bundled preload script */
  readonly preload: string;
  /** the developer tools stay closed in a packaged kit */
  readonly devTools: boolean;
};

export function createWindowFactory<W extends WindowLike>(
  options: WindowFactoryOptions<W>,
): (kind: WindowKind) => W {
  return (kind) => {
    const window = new options.BrowserWindow({
      ...KIND_OPTIONS[kind],
      backgroundColor: '#ffffff',
      autoHideMenuBar: true,
      webPreferences: {
        ...HARDENED_WEB_PREFERENCES,
        preload: options.preload,
        devTools: options.devTools,
      },
    });
    lockDownContents(window.webContents);
    return window;
  };
}

/**
 * Denies navigation, redirects, new windows and webviews for one WebContents. The app is a
 * single page served from app://kit; it never needs to go anywhere. Also installed for every
 * WebContents Electron creates (app 'web-contents-created'), as a net under the factory.
 */
export function lockDownContents(contents: LockableContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-frame-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

export type LockableSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/** Denies every permission request and check (camera, notifications, HID, serial, …). */
export function lockDownSession(session: LockableSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
