import type { BrowserWindow, BrowserWindowConstructorOptions, Session, WebContents } from 'electron';

/**
 * The kiosk shell, kept thin: one full-screen window on the controller's loopback URL, hardened
 * per Electron's security checklist. The electron module is passed in so that tests can check
 * every setting with a fake (Electron's binary cannot be downloaded on our build machines).
 */
export interface ElectronLike {
  app: { whenReady(): Promise<unknown>; on(event: 'web-contents-created', listener: (event: unknown, contents: WebContents) => void): unknown; quit(): void };
  BrowserWindow: new (options: BrowserWindowConstructorOptions) => BrowserWindow;
  session: { defaultSession: Session };
}

export interface KioskShellOptions {
  /** The controller URL, including its per-launch token. */
  readonly url: string;
  readonly preloadPath: string;
  /** Full-screen kiosk mode; off for a technician's windowed session. */
  readonly kiosk: boolean;
}

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

export async function startKioskShell(electron: ElectronLike, options: KioskShellOptions): Promise<BrowserWindow> {
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

  const window = new electron.BrowserWindow(windowOptions(options));
  await window.loadURL(options.url);
  return window;
}
