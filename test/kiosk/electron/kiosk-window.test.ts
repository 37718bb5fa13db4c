import { describe, expect, it } from 'vitest';
import type { LogEvent } from '../../../shared/log';
import { virtualTime } from '../../firmware/virtual-time';
import { defaultRecoveryPolicy, outOfServicePage } from '../../../kiosk/electron/crash-recovery';
import {
  contentSecurityPolicy,
  isNavigationAllowed,
  isPermissionAllowed,
  startKioskShell,
  type ElectronLike,
  type ShellRuntime,
} from '../../../kiosk/electron/kiosk-window';

type Listener = (...args: unknown[]) => void;

const laptop = { id: 1, bounds: { x: 0, y: 0, width: 1280, height: 800 } };
const counterDisplay = { id: 2, bounds: { x: 1280, y: 0, width: 1024, height: 600 } };

/** A fake of the parts of Electron the shell touches, recording what the shell configured; one display unless told. */
function fakeElectron(displays: ReadonlyArray<typeof laptop> = [laptop]) {
  const appListeners: Record<string, Listener> = {};
  const recorded: {
    windowOptions?: Record<string, unknown>;
    loadedUrl?: string;
    loadedUrls: string[];
    /** Every window's options and the URLs it loaded, in the order they were opened. */
    windows: Array<{ options: Record<string, unknown>; loadedUrls: string[] }>;
    /** Emits an event on the window's web contents, as Electron would. */
    emit?: (event: string, ...args: unknown[]) => void;
    /** The same, for each window in order. */
    emitOn: Array<(event: string, ...args: unknown[]) => void>;
    forcedCrashes: number;
    permissionRequest?: (contents: unknown, permission: string, callback: (allowed: boolean) => void, details: Record<string, unknown>) => void;
    permissionCheck?: (contents: unknown, permission: string, origin: string, details: { mediaType?: 'video' | 'audio' | 'unknown' }) => boolean;
    headers?: (details: { responseHeaders: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void;
  } = { loadedUrls: [], windows: [], emitOn: [], forcedCrashes: 0 };
  const electron = {
    app: {
      whenReady: async () => undefined,
      on: (event: string, listener: Listener) => {
        appListeners[event] = listener;
      },
      quit: () => undefined,
    },
    BrowserWindow: class {
      private readonly contentsListeners: Record<string, Listener[]> = {};
      readonly webContents = {
        on: (event: string, listener: Listener) => {
          (this.contentsListeners[event] ??= []).push(listener);
        },
        // Like Electron: killing the renderer emits render-process-gone.
        forcefullyCrashRenderer: () => {
          recorded.forcedCrashes += 1;
          recorded.emit?.('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
        },
      };
      private readonly record: { options: Record<string, unknown>; loadedUrls: string[] };
      constructor(options: Record<string, unknown>) {
        this.record = { options, loadedUrls: [] };
        recorded.windows.push(this.record);
        recorded.emitOn.push((event, ...args) => {
          for (const listener of this.contentsListeners[event] ?? []) listener(...args);
        });
        if (recorded.windows.length > 1) return; // the shell's first window is the one the tests below look at
        recorded.windowOptions = options;
        recorded.emit = (event, ...args) => {
          for (const listener of this.contentsListeners[event] ?? []) listener(...args);
        };
      }
      on() {
        return this;
      }
      isDestroyed() {
        return false;
      }
      async loadURL(url: string) {
        this.record.loadedUrls.push(url);
        if (this.record !== recorded.windows[0]) return;
        recorded.loadedUrl = url;
        recorded.loadedUrls.push(url);
      }
    },
    screen: {
      getAllDisplays: () => [...displays],
      getPrimaryDisplay: () => displays[0],
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

/** The shell on virtual time: advance() fires the timers that fall due, in order. */
function manualRuntime() {
  const time = virtualTime(Date.parse('2026-01-05T09:00:00Z'));
  const events: LogEvent[] = [];
  const runtime: ShellRuntime = { clock: time, timers: time, log: (event) => events.push(event), recovery: defaultRecoveryPolicy };
  const advance = async (ms: number): Promise<void> => {
    time.advance(ms);
    await Promise.resolve();
  };
  return { runtime, events, advance };
}

const crash = { reason: 'crashed', exitCode: 139 };

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

  it('opens the applicant window full-screen on a second display, as hardened, on #applicant', async () => {
    const { electron, recorded } = fakeElectron([laptop, counterDisplay]);
    await startKioskShell(electron, { url, preloadPath: '/app/preload.cjs', kiosk: true });
    expect(recorded.windows.map((window) => window.loadedUrls)).toEqual([[url], ['http://127.0.0.1:4000/?token=abc#applicant']]);
    const [operator, applicant] = recorded.windows;
    expect(applicant?.options).toMatchObject({ ...counterDisplay.bounds, kiosk: true, fullscreen: true });
    expect(applicant?.options['webPreferences']).toEqual(operator?.options['webPreferences']);
  });

  it('opens no applicant window on one display, unless asked to put it beside (the demo)', async () => {
    const alone = fakeElectron();
    await startKioskShell(alone.electron, { url, preloadPath: '/p.cjs', kiosk: true });
    expect(alone.recorded.windows).toHaveLength(1);
    const demo = fakeElectron();
    await startKioskShell(demo.electron, { url, preloadPath: '/p.cjs', kiosk: true, applicantBeside: true });
    expect(demo.recorded.windows[1]).toMatchObject({ options: { kiosk: false, fullscreen: false, webPreferences: { sandbox: true, contextIsolation: true } }, loadedUrls: [`${url}#applicant`] });
  });

  it('reloads a crashed applicant window on its own route', async () => {
    const { electron, recorded } = fakeElectron([laptop, counterDisplay]);
    const { runtime, advance } = manualRuntime();
    await startKioskShell(electron, { url, preloadPath: '/p.cjs', kiosk: true }, runtime);
    recorded.emitOn[1]?.('render-process-gone', {}, crash);
    await advance(defaultRecoveryPolicy.firstReloadDelayMs);
    expect(recorded.windows[1]?.loadedUrls).toEqual([`${url}#applicant`, `${url}#applicant`]);
    expect(recorded.windows[0]?.loadedUrls).toEqual([url]);
  });

  it('decides origins exactly, not by prefix', () => {
    expect(isNavigationAllowed('http://127.0.0.1:4000', 'http://127.0.0.1:4000.evil.example/')).toBe(false);
    expect(isPermissionAllowed('http://127.0.0.1:4000', 'media', 'not a url', ['video'])).toBe(false);
  });
});

describe('kiosk shell crash recovery', () => {
  const { firstReloadDelayMs, crashLimit, crashWindowMs, unresponsiveGraceMs } = defaultRecoveryPolicy;

  it('reloads the kiosk URL by itself after the renderer is gone, and logs why without the token', async () => {
    const { electron, recorded } = fakeElectron();
    const { runtime, events, advance } = manualRuntime();
    await startKioskShell(electron, { url, preloadPath: '/p.cjs', kiosk: true }, runtime);
    expect(recorded.loadedUrls).toEqual([url]);

    recorded.emit?.('render-process-gone', {}, crash);
    await advance(firstReloadDelayMs - 1);
    expect(recorded.loadedUrls).toEqual([url]);
    await advance(1);
    expect(recorded.loadedUrls).toEqual([url, url]);
    expect(events.find((event) => event.eventId === 'shell-renderer-gone')).toMatchObject({ reason: 'crashed', exitCode: 139 });
    expect(events.map((event) => event.eventId)).toContain('shell-page-reload');
    expect(JSON.stringify(events)).not.toContain('token');
  });

  it('backs off between reloads and, after crashLimit crashes in a short time, keeps the out-of-service page', async () => {
    const { electron, recorded } = fakeElectron();
    const { runtime, events, advance } = manualRuntime();
    await startKioskShell(electron, { url, preloadPath: '/p.cjs', kiosk: true }, runtime);
    const delays: unknown[] = [];
    for (let n = 1; n < crashLimit; n += 1) {
      recorded.emit?.('render-process-gone', {}, crash);
      await advance(60_000);
    }
    for (const event of events) if (event.eventId === 'shell-page-reload') delays.push(event['delayMs']);
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000].slice(0, crashLimit - 1));
    expect(recorded.loadedUrls).toEqual(Array.from({ length: crashLimit }, () => url));

    recorded.emit?.('render-process-gone', {}, crash);
    await advance(60_000);
    expect(recorded.loadedUrls.at(-1)).toBe(outOfServicePage);
    expect(events.filter((event) => event.eventId === 'shell-out-of-service')).toHaveLength(1);

    // No loop: further crashes (of the error page) bring back the error page, never the kiosk page.
    for (let n = 0; n < 3; n += 1) {
      recorded.emit?.('render-process-gone', {}, crash);
      await advance(60_000);
    }
    expect(recorded.loadedUrls.filter((loaded) => loaded === url)).toHaveLength(crashLimit);
    expect(recorded.loadedUrls.at(-1)).toBe(outOfServicePage);
    expect(decodeURIComponent(outOfServicePage)).toContain('out of service');
    // Nothing brings the page back but a restart of the shell: the page tells staff so.
    expect(decodeURIComponent(outOfServicePage)).toContain('restart the kiosk');
    expect(outOfServicePage).not.toContain('<script');
  });

  it('forgets crashes older than the crash window', async () => {
    const { electron, recorded } = fakeElectron();
    const { runtime, advance } = manualRuntime();
    await startKioskShell(electron, { url, preloadPath: '/p.cjs', kiosk: true }, runtime);
    for (let n = 0; n < crashLimit * 2; n += 1) {
      recorded.emit?.('render-process-gone', {}, crash);
      await advance(crashWindowMs / 2);
    }
    expect(recorded.loadedUrls).not.toContain(outOfServicePage);
    expect(recorded.loadedUrls).toHaveLength(1 + crashLimit * 2);
  });

  it('kills and reloads a page that stays unresponsive past the grace period, not one that recovers', async () => {
    const { electron, recorded } = fakeElectron();
    const { runtime, events, advance } = manualRuntime();
    await startKioskShell(electron, { url, preloadPath: '/p.cjs', kiosk: true }, runtime);

    recorded.emit?.('unresponsive');
    await advance(unresponsiveGraceMs - 1);
    recorded.emit?.('responsive');
    await advance(unresponsiveGraceMs);
    expect(recorded.forcedCrashes).toBe(0);
    expect(recorded.loadedUrls).toEqual([url]);

    recorded.emit?.('unresponsive');
    await advance(unresponsiveGraceMs + firstReloadDelayMs);
    expect(recorded.forcedCrashes).toBe(1);
    expect(recorded.loadedUrls).toEqual([url, url]);
    expect(events.find((event) => event.eventId === 'shell-renderer-gone')).toMatchObject({ reason: 'killed' });
  });
});
