import { describe, expect, it } from 'vitest';
import {
  contentSecurityPolicy,
  isNavigationAllowed,
  isPermissionAllowed,
  startKioskShell,
  type ElectronLike,
} from '../../../kiosk/electron/kiosk-window';

type Listener = (...args: unknown[]) => void;

/** A fake of the parts of Electron the shell touches, recording what the shell configured. */
function fakeElectron() {
  const appListeners: Record<string, Listener> = {};
  const recorded: {
    windowOptions?: Record<string, unknown>;
    loadedUrl?: string;
    permissionRequest?: (contents: unknown, permission: string, callback: (allowed: boolean) => void, details: Record<string, unknown>) => void;
    permissionCheck?: (contents: unknown, permission: string, origin: string, details: { mediaType?: 'video' | 'audio' | 'unknown' }) => boolean;
    headers?: (details: { responseHeaders: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void;
  } = {};
  const electron = {
    app: {
      whenReady: async () => undefined,
      on: (event: string, listener: Listener) => {
        appListeners[event] = listener;
      },
      quit: () => undefined,
    },
    BrowserWindow: class {
      constructor(options: Record<string, unknown>) {
        recorded.windowOptions = options;
      }
      async loadURL(url: string) {
        recorded.loadedUrl = url;
      }
    },
    session: {
      defaultSession: {
        setPermissionRequestHandler: (handler: NonNullable<typeof recorded.permissionRequest>) => {
          recorded.permissionRequest = handler;
        },
        setPermissionCheckHandler: (handler: NonNullable<typeof recorded.permissionCheck>) => {
          recorded.permissionCheck = handler;
        },
        webRequest: {
          onHeadersReceived: (handler: NonNullable<typeof recorded.headers>) => {
            recorded.headers = handler;
          },
        },
      },
    },
  };
  return { electron: electron as unknown as ElectronLike, appListeners, recorded };
}

function fakeContents() {
  const handlers: Record<string, Listener> = {};
  let windowOpen: (() => { action: string }) | undefined;
  return {
    handlers,
    openWindow: () => windowOpen?.(),
    contents: {
      on: (event: string, handler: Listener) => {
        handlers[event] = handler;
      },
      setWindowOpenHandler: (handler: () => { action: string }) => {
        windowOpen = handler;
      },
      getURL: () => 'http://127.0.0.1:4000/',
    },
  };
}

const url = 'http://127.0.0.1:4000/?token=abc';

describe('kiosk shell', () => {
  it('opens one hardened kiosk window on the controller URL', async () => {
    const { electron, recorded } = fakeElectron();
    await startKioskShell(electron, { url, preloadPath: '/app/preload.cjs', kiosk: true });
    expect(recorded.loadedUrl).toBe(url);
    expect(recorded.windowOptions).toMatchObject({
      kiosk: true,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: '/app/preload.cjs' },
    });
  });

  it('denies navigation away from the kiosk origin and every new window', async () => {
    const { electron, appListeners } = fakeElectron();
    await startKioskShell(electron, { url, preloadPath: '/p.cjs', kiosk: true });
    const fake = fakeContents();
    appListeners['web-contents-created']?.({}, fake.contents);
    let prevented = false;
    fake.handlers['will-navigate']?.({ preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
    prevented = false;
    fake.handlers['will-navigate']?.({ preventDefault: () => (prevented = true) }, 'http://127.0.0.1:4000/#dev');
    expect(prevented).toBe(false);
    expect(fake.openWindow()).toEqual({ action: 'deny' });
  });

  it('grants the camera to the kiosk origin only, and nothing else', async () => {
    const { electron, recorded } = fakeElectron();
    await startKioskShell(electron, { url, preloadPath: '/p.cjs', kiosk: true });
    const ask = (permission: string, requestingUrl: string, mediaTypes: string[]) =>
      new Promise<boolean>((resolve) =>
        recorded.permissionRequest?.(fakeContents().contents, permission, resolve, { requestingUrl, mediaTypes }),
      );
    expect(await ask('media', 'http://127.0.0.1:4000/', ['video'])).toBe(true);
    expect(await ask('media', 'http://127.0.0.1:4000/', ['audio'])).toBe(false);
    expect(await ask('media', 'http://127.0.0.1:5000/', ['video'])).toBe(false);
    expect(await ask('geolocation', 'http://127.0.0.1:4000/', [])).toBe(false);
    expect(await ask('notifications', 'http://127.0.0.1:4000/', [])).toBe(false);
    expect(recorded.permissionCheck?.({}, 'media', 'http://127.0.0.1:4000', { mediaType: 'video' })).toBe(true);
    expect(recorded.permissionCheck?.({}, 'media', 'http://127.0.0.1:4000', { mediaType: 'audio' })).toBe(false);
    expect(recorded.permissionCheck?.({}, 'media', 'http://127.0.0.1:4000', {})).toBe(false);
    expect(recorded.permissionCheck?.({}, 'media', 'http://evil.example', { mediaType: 'video' })).toBe(false);
  });

  it('adds the content security policy to every response', async () => {
    const { electron, recorded } = fakeElectron();
    await startKioskShell(electron, { url, preloadPath: '/p.cjs', kiosk: true });
    const headers = await new Promise<Record<string, string[]>>((resolve) =>
      recorded.headers?.({ responseHeaders: { 'content-type': ['text/html'] } }, (response) => resolve(response.responseHeaders)),
    );
    expect(headers['Content-Security-Policy']).toEqual([contentSecurityPolicy]);
    expect(contentSecurityPolicy).toContain("default-src 'self'");
    expect(contentSecurityPolicy).not.toContain("'unsafe-eval'");
  });

  it('refuses to load anything but the controller on loopback', async () => {
    const { electron } = fakeElectron();
    await expect(startKioskShell(electron, { url: 'https://example.com/', preloadPath: '/p.cjs', kiosk: true })).rejects.toThrow(/loopback/);
  });

  it('decides origins exactly, not by prefix', () => {
    expect(isNavigationAllowed('http://127.0.0.1:4000', 'http://127.0.0.1:4000.evil.example/')).toBe(false);
    expect(isPermissionAllowed('http://127.0.0.1:4000', 'media', 'not a url', ['video'])).toBe(false);
  });
});
