import type { BrowserWindow, BrowserWindowConstructorOptions, RenderProcessGoneDetails, Session, WebContents } from 'electron';
import { systemClock, type Clock } from '../../shared/clock';
import { silentLog, type LogSink } from '../../shared/log';
import { createCrashCounter, defaultRecoveryPolicy, outOfServicePage, type RecoveryPolicy } from './crash-recovery';

/**
 * The kiosk shell, kept thin: one full-screen window on the controller's loopback URL, and the
 * applicant's window (`#applicant`) full-screen on a second display when one is connected, both
 * hardened per Electron's security checklist. The electron module is passed in so that tests can check
 * every setting with a fake (Electron's binary cannot be downloaded on our build machines).
 */
export interface ElectronLike {
  app: { whenReady(): Promise<unknown>; on(event: 'web-contents-created', listener: (event: unknown, contents: WebContents) => void): unknown; quit(): void };
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  session: { defaultSession: Session };
  screen: { getAllDisplays(): DisplayLike[]; getPrimaryDisplay(): DisplayLike };
}

/** The parts of Electron's `Display` the shell reads. */
export interface DisplayLike {
  readonly id: number;
  readonly bounds: { readonly x: number; readonly y: number; readonly width: number; readonly height: number };
}

export interface KioskShellOptions {
  /** The controller URL, including its per-launch token. */
  readonly url: string;
  readonly preloadPath: string;
  /** Full-screen kiosk mode; off for a technician's windowed session. */
  readonly kiosk: boolean;
  /**
   * With one display only, open the applicant's window anyway, as a normal window beside the
   * operator's (the demo on a laptop, `npm start`). A kiosk opens it only on a second display.
   */
  readonly applicantBeside?: boolean;
}

/** The applicant's window: the same page on its own route. */
export function applicantUrl(url: string): string {
  const target = new URL(url);
  target.hash = 'applicant';
  return target.toString();
}

/** Where the applicant's window goes: a display other than the operator's (the primary), or null when there is none. */
export function applicantDisplay(displays: readonly DisplayLike[], primary: DisplayLike): DisplayLike | null {
  return displays.find((display) => display.id !== primary.id) ?? null;
}

/** One-shot timers, the shape of firmware/timers.ts (which the shell may not import): tests run them on virtual time. */
export interface Timers {
  set(callback: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

/** How the shell recovers from renderer crashes; tests replace the clock and timers. */
export interface ShellRuntime {
  readonly log: LogSink;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly recovery: RecoveryPolicy;
}

const systemTimers: Timers = {
  set: (callback, delayMs) => setTimeout(callback, delayMs),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const defaultShellRuntime: ShellRuntime = { log: silentLog, clock: systemClock, timers: systemTimers, recovery: defaultRecoveryPolicy };

export const contentSecurityPolicy =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; connect-src 'self' ws://127.0.0.1:* ws://localhost:*; frame-ancestors 'none'; form-action 'none'";

export function windowOptions(options: KioskShellOptions): BrowserWindowConstructorOptions {
  return {
    kiosk: options.kiosk,
    fullscreen: options.kiosk,
    autoHideMenuBar: true,
    backgroundColor: '#f6f7f4',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Only the camera, only for pages of the kiosk's own origin. */
export function isPermissionAllowed(kioskOrigin: string, permission: string, requestingUrl: string, mediaTypes: readonly string[] = []): boolean {
  if (permission !== 'media') return false;
  if (safeOrigin(requestingUrl) !== kioskOrigin) return false;
  return mediaTypes.length > 0 && mediaTypes.every((type) => type === 'video');
}

export function isNavigationAllowed(kioskOrigin: string, targetUrl: string): boolean {
  return safeOrigin(targetUrl) === kioskOrigin;
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}

export async function startKioskShell(electron: ElectronLike, options: KioskShellOptions, runtime: Partial<ShellRuntime> = {}): Promise<BrowserWindow> {
  const kioskOrigin = new URL(options.url).origin;
  if (!/^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/.test(kioskOrigin)) {
    throw new Error(`the kiosk URL must be the controller on loopback, not ${kioskOrigin}`);
  }

  // Every web contents, including any the page might try to create, gets the same guards.
  electron.app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event, url) => {
      if (!isNavigationAllowed(kioskOrigin, url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isNavigationAllowed(kioskOrigin, url)) event.preventDefault();
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });

  await electron.app.whenReady();
  const session = electron.session.defaultSession;
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    const mediaTypes = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    callback(isPermissionAllowed(kioskOrigin, permission, details.requestingUrl ?? contents.getURL(), mediaTypes));
  });
  // Checks (as opposed to requests) name one media type: the camera may pass, never the microphone.
  // Electron may pass the origin with a trailing slash or as a whole URL: compare parsed origins.
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => permission === 'media' && safeOrigin(requestingOrigin) === kioskOrigin && details.mediaType === 'video');
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [contentSecurityPolicy] } });
  });

  const shellRuntime = { ...defaultShellRuntime, ...runtime };
  const window = new electron.BrowserWindow(windowOptions(options));
  superviseRenderer(window, options.url, shellRuntime);
  await window.loadURL(options.url);
  await openApplicantWindow(electron, options, shellRuntime);
  return window;
}

/**
 * The applicant's window, facing the counter: full-screen on the second display, with the same
 * guards (they are the session's and every web contents') and the same crash recovery.
 */
async function openApplicantWindow(electron: ElectronLike, options: KioskShellOptions, runtime: ShellRuntime): Promise<BrowserWindow | null> {
  const primary = electron.screen.getPrimaryDisplay();
  const display = applicantDisplay(electron.screen.getAllDisplays(), primary);
  if (!display && !options.applicantBeside) return null;
  const url = applicantUrl(options.url);
  const placed: BrowserWindowConstructorOptions = display
    ? { ...windowOptions(options), ...display.bounds }
    : { ...windowOptions({ ...options, kiosk: false }), x: primary.bounds.x + Math.floor(primary.bounds.width / 2), y: primary.bounds.y, width: 1280, height: 800 };
  const window = new electron.BrowserWindow(placed);
  superviseRenderer(window, url, runtime);
  await window.loadURL(url);
  runtime.log({ eventId: 'shell-applicant-window', disposition: 'na', message: display ? 'the applicant window is on the second display' : 'one display: the applicant window is beside the kiosk window' });
  return window;
}

/**
 * A kiosk has nobody to press reload: when the page's renderer dies (or hangs past a grace period,
 * then it is killed), load the kiosk URL again after a back-off; when it keeps dying, show the
 * out-of-service page and stay there. Logs carry the reason and counts only, never the URL (it holds
 * the launch token) nor anything from the page.
 */
function superviseRenderer(window: BrowserWindow, url: string, runtime: ShellRuntime): void {
  const { log, timers, recovery } = runtime;
  const contents = window.webContents;
  const crashes = createCrashCounter(recovery, runtime.clock);
  let reloadTimer: unknown;
  let hangTimer: unknown;
  let outOfService = false;

  const clearHangTimer = (): void => {
    if (hangTimer !== undefined) timers.clear(hangTimer);
    hangTimer = undefined;
  };
  const load = (target: string): void => {
    if (window.isDestroyed()) return;
    window.loadURL(target).catch((error: unknown) => {
      // The kiosk page did not load (the controller restarting, say): count it like a crash.
      log({ eventId: 'shell-page-load-failed', disposition: 'failure', message: 'the kiosk page did not load after a renderer restart', error: errorCode(error) });
      if (target === url) recover();
    });
  };
  const recover = (): void => {
    if (reloadTimer !== undefined) return; // a reload is already on its way
    if (outOfService) {
      // The out-of-service page itself died: show it again, without hurry.
      schedule(recovery.maxReloadDelayMs, outOfServicePage);
      return;
    }
    const decision = crashes.crashed();
    if (decision.kind === 'out_of_service') {
      log({ eventId: 'shell-out-of-service', disposition: 'failure', message: 'the kiosk page keeps crashing: showing the out-of-service page (restart the kiosk shell to retry)', crashesInWindow: decision.crashesInWindow, crashLimit: recovery.crashLimit, crashWindowMs: recovery.crashWindowMs });
      outOfService = true;
      schedule(0, outOfServicePage);
      return;
    }
    log({ eventId: 'shell-page-reload', disposition: 'na', message: 'reloading the kiosk page after a renderer crash', delayMs: decision.delayMs, crashesInWindow: decision.crashesInWindow });
    schedule(decision.delayMs, url);
  };
  const schedule = (delayMs: number, target: string): void => {
    reloadTimer = timers.set(() => {
      reloadTimer = undefined;
      load(target);
    }, delayMs);
  };

  contents.on('render-process-gone', (_event: unknown, details: RenderProcessGoneDetails) => {
    clearHangTimer();
    log({ eventId: 'shell-renderer-gone', disposition: 'failure', message: 'the kiosk page renderer is gone', reason: details.reason, exitCode: details.exitCode });
    recover();
  });
  contents.on('unresponsive', () => {
    if (hangTimer !== undefined) return;
    log({ eventId: 'shell-renderer-unresponsive', disposition: 'failure', message: 'the kiosk page is unresponsive', graceMs: recovery.unresponsiveGraceMs });
    hangTimer = timers.set(() => {
      hangTimer = undefined;
      if (window.isDestroyed()) return;
      log({ eventId: 'shell-renderer-killed', disposition: 'failure', message: 'the kiosk page stayed unresponsive: killing its renderer to reload it', graceMs: recovery.unresponsiveGraceMs });
      contents.forcefullyCrashRenderer(); // Electron then emits render-process-gone (killed): recovery above
    }, recovery.unresponsiveGraceMs);
  });
  contents.on('responsive', clearHangTimer);
  window.on('closed', () => {
    clearHangTimer();
    if (reloadTimer !== undefined) timers.clear(reloadTimer);
    reloadTimer = undefined;
  });
}

/** Chromium's net error (e.g. ERR_CONNECTION_REFUSED) without the URL that Electron puts in the message. */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}
