import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { BrowserWindowConstructorOptions } from 'electron';
import {
  HARDENED_WEB_PREFERENCES,
  createWindowFactory,
  lockDownSession,
  type LockableContents,
  type LockableSession,
  type WindowKind,
} from '../../../koffer-app/main/windows.ts';

/**
 * Electron's BrowserWindow stands in as a recording constructor: the factory is plain code that
 * receives the constructor by injection, so what it passes is what Electron would receive.
 */
class RecordingContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
}

const created: { options: BrowserWindowConstructorOptions; contents: RecordingContents }[] = [];

class RecordingWindow {
  readonly webContents: LockableContents;
  constructor(options: BrowserWindowConstructorOptions) {
    const contents = new RecordingContents();
    created.push({ options, contents });
    this.webContents = contents as unknown as LockableContents;
  }
}

function emitPrevented(contents: RecordingContents, event: string): boolean {
  let prevented = false;
  contents.emit(event, { preventDefault: () => (prevented = true) }, 'https://evil.example/');
  return prevented;
}

describe('every window comes from the one factory, hardened', () => {
  const kinds: WindowKind[] = ['main', 'print'];
  for (const kind of kinds) {
    describe(`the ${kind} window`, () => {
      created.length = 0;
      const factory = createWindowFactory({
        BrowserWindow: RecordingWindow,
        preload: '/opt/wahlkoffer/preload.cjs',
        devTools: false,
      });
      factory(kind);
      const window = created[0]!;
      const prefs = window.options.webPreferences!;

      it('is sandboxed, context-isolated and without Node integration', () => {
        expect(prefs).toMatchObject({
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          nodeIntegrationInWorker: false,
          nodeIntegrationInSubFrames: false,
        });
      });

      it('has no webview tag, keeps web security and refuses insecure content', () => {
        expect(prefs).toMatchObject({
          webviewTag: false,
          webSecurity: true,
          allowRunningInsecureContent: false,
          experimentalFeatures: false,
        });
        expect(prefs).not.toHaveProperty('enableBlinkFeatures');
      });

      it('loads only the bundled preload, with the developer tools off', () => {
        expect(prefs.preload).toBe('/opt/wahlkoffer/preload.cjs');
        expect(prefs.devTools).toBe(false);
        for (const [key, value] of Object.entries(HARDENED_WEB_PREFERENCES)) {
          expect(prefs[key as keyof typeof prefs]).toBe(value);
        }
      });

      it.each(['will-navigate', 'will-frame-navigate', 'will-redirect', 'will-attach-webview'])(
        'prevents %s',
        (event) => {
          expect(emitPrevented(window.contents, event)).toBe(true);
        },
      );

      it('denies every new window', () => {
        expect(window.contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({
          action: 'deny',
        });
        expect(window.contents.openHandler?.({ url: 'app://kit/index.html' })).toEqual({
          action: 'deny',
        });
      });
    });
  }
});

describe('the session', () => {
  it('denies every permission request, permission check and device permission', () => {
    const answers: boolean[] = [];
    const handlers: Record<string, unknown> = {};
    const session = {
      setPermissionRequestHandler: (h: unknown) => (handlers.request = h),
      setPermissionCheckHandler: (h: unknown) => (handlers.check = h),
      setDevicePermissionHandler: (h: unknown) => (handlers.device = h),
    } as unknown as LockableSession;
    lockDownSession(session);
    (handlers.request as (c: unknown, p: string, cb: (v: boolean) => void) => void)(
      {},
      'media',
      (v) => answers.push(v),
    );
    expect(answers).toEqual([false]);
    expect((handlers.check as () => boolean)()).toBe(false);
    expect((handlers.device as () => boolean)()).toBe(false);
  });
});
