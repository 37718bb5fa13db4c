import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The BUILT Electron shell (what `npm start` hands to Electron), run under plain Node with a fake
 * `electron` module (test/kiosk/electron/fake-electron/): the entry point's argument handling, the
 * bundling of main.ts + kiosk-window.ts, the preload path baked into the bundle and the preload
 * itself. kiosk-window.test.ts covers startKioskShell's rules in detail; this checks they survive
 * the build.
 */
const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../..');
const distDir = join(repoRoot, 'kiosk/electron/dist');
const mainBundle = join(distDir, 'main.cjs');
const preloadBundle = join(distDir, 'preload.cjs');
const fakeElectronHook = join(here, 'fake-electron/register.cjs');

/** Generous: npx + esbuild on a busy 2-core machine. Only a hung child ever reaches it. */
const buildTimeoutMs = 30_000;
const runTimeoutMs = 10_000;
const kioskUrl = 'http://127.0.0.1:4000/?token=x';

/** What fake-electron/electron.cjs prints when the shell has settled (see there). */
interface ShellReport {
  calls: string[];
  windows: { options: { kiosk?: boolean; fullscreen?: boolean; webPreferences?: Record<string, unknown> }; loadedUrls: string[] }[];
  exposed: Record<string, { value: unknown; frozen: boolean }>;
  permissionRequests: Record<string, boolean | 'no answer'> | null;
  permissionChecks: Record<string, boolean> | null;
  headers: Record<string, string[]> | 'no answer' | null;
  webContents: Record<string, unknown> | null;
  timerDelays: number[];
}

/** The shell's JSON log lines on stderr. */
function shellEvents(stderr: string): Record<string, unknown>[] {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Node without KIOSK_URL from the developer's shell, so each case says what it passes. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env, ...extra };
  if (!('KIOSK_URL' in extra)) delete env['KIOSK_URL'];
  return env;
}

/** Runs a bundle with require('electron') answered by the fake; spawnSync kills it on timeout. */
function runWithFakeElectron(script: string, args: readonly string[], env = cleanEnv()): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--require', fakeElectronHook, script, ...args], {
    cwd: repoRoot,
    env,
    encoding: 'utf8',
    timeout: runTimeoutMs,
    killSignal: 'SIGKILL',
  });
}

function reportOf(run: SpawnSyncReturns<string>, status = 0): ShellReport {
  expect(run.error, run.stderr).toBeUndefined();
  expect(run.status, run.stderr).toBe(status);
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] ?? '') as ShellReport;
}

let build: SpawnSyncReturns<string>;

beforeAll(() => {
  // Remove the previous output so that the checks below see this build's files, not stale ones.
  rmSync(mainBundle, { force: true });
  rmSync(preloadBundle, { force: true });
  build = spawnSync('npx', ['tsx', 'scripts/build-electron.ts'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: buildTimeoutMs,
    killSignal: 'SIGKILL',
  });
}, buildTimeoutMs + 5_000);

describe('built Electron shell', () => {
  it('builds main.cjs and preload.cjs', () => {
    expect(build.error, build.stderr).toBeUndefined();
    expect(build.status, build.stderr).toBe(0);
    expect(existsSync(mainBundle)).toBe(true);
    expect(existsSync(preloadBundle)).toBe(true);
  });

  it('opens one hardened kiosk window on the given URL, with the bundled preload', () => {
    const report = reportOf(runWithFakeElectron(mainBundle, [`--kiosk-url=${kioskUrl}`]));
    expect(report.windows).toHaveLength(1);
    const [window] = report.windows;
    expect(window?.loadedUrls).toEqual([kioskUrl]);
    expect(window?.options).toMatchObject({
      kiosk: true,
      fullscreen: true,
      webPreferences: {
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        webSecurity: true,
        webviewTag: false,
      },
    });
    // The path is computed inside the bundle (import.meta.url is rewritten at build time).
    const preload = window?.options.webPreferences?.['preload'];
    expect(preload).toBe(preloadBundle);
    expect(existsSync(String(preload))).toBe(true);
    expect(report.calls).not.toContain('app.quit');
    expect(report.calls.some((call) => call.startsWith('app.exit'))).toBe(false);
  });

  it('opens the applicant window full-screen on a second display, on #applicant, as hardened as the first', () => {
    const report = reportOf(runWithFakeElectron(mainBundle, [`--kiosk-url=${kioskUrl}`], cleanEnv({ FAKE_ELECTRON_DISPLAYS: '2' })));
    expect(report.windows.map((window) => window.loadedUrls)).toEqual([[kioskUrl], [`${kioskUrl}#applicant`]]);
    const [operator, applicant] = report.windows;
    expect(applicant?.options).toMatchObject({ kiosk: true, fullscreen: true, x: 1280, y: 0, width: 1280, height: 800 });
    expect(applicant?.options.webPreferences).toEqual(operator?.options.webPreferences);
  });

  it('puts the applicant window beside the kiosk window on one display with --applicant-beside (npm start)', () => {
    const report = reportOf(runWithFakeElectron(mainBundle, [`--kiosk-url=${kioskUrl}`, '--applicant-beside']));
    expect(report.windows.map((window) => window.loadedUrls)).toEqual([[kioskUrl], [`${kioskUrl}#applicant`]]);
    expect(report.windows[1]?.options).toMatchObject({ kiosk: false, fullscreen: false, webPreferences: { sandbox: true, contextIsolation: true } });
  });

  it('installs every guard before the page is loaded', () => {
    const { calls } = reportOf(runWithFakeElectron(mainBundle, [`--kiosk-url=${kioskUrl}`]));
    const loadedAt = calls.indexOf('window.loadURL');
    expect(loadedAt).toBeGreaterThan(-1);
    for (const guard of [
      'app.on:web-contents-created',
      'session.setPermissionRequestHandler',
      'session.setPermissionCheckHandler',
      'session.webRequest.onHeadersReceived',
    ]) {
      const at = calls.indexOf(guard);
      expect(at, guard).toBeGreaterThan(-1);
      expect(at, guard).toBeLessThan(loadedAt);
    }
  });

  it('grants the camera to the kiosk page only: no microphone, no other origin, nothing else', () => {
    const report = reportOf(runWithFakeElectron(mainBundle, [`--kiosk-url=${kioskUrl}`]));
    expect(report.permissionRequests).toEqual({
      cameraFromKiosk: true,
      microphoneFromKiosk: false,
      cameraAndMicrophoneFromKiosk: false,
      cameraFromOtherOrigin: false,
      cameraFromRemote: false,
      geolocationFromKiosk: false,
    });
    expect(report.permissionChecks).toEqual({ cameraFromKiosk: true, cameraFromKioskWithSlash: true, microphoneFromKiosk: false, cameraFromOtherOrigin: false });
  });

  it('adds the CSP to responses and guards every web contents', () => {
    const report = reportOf(runWithFakeElectron(mainBundle, [`--kiosk-url=${kioskUrl}`]));
    expect(report.headers).not.toBe('no answer');
    const csp = report.headers === null || report.headers === 'no answer' ? undefined : report.headers['Content-Security-Policy'];
    expect(csp?.[0]).toContain("default-src 'self'");
    expect(report.webContents).toEqual({
      navigateAwayPrevented: true,
      navigateWithinPrevented: false,
      redirectAwayPrevented: true,
      webviewPrevented: true,
      windowOpen: { action: 'deny' },
    });
  });

  it('keeps a normal window with --windowed', () => {
    const report = reportOf(runWithFakeElectron(mainBundle, [`--kiosk-url=${kioskUrl}`, '--windowed']));
    expect(report.windows).toHaveLength(1);
    expect(report.windows[0]?.options).toMatchObject({ kiosk: false, fullscreen: false, webPreferences: { sandbox: true, contextIsolation: true } });
  });

  it('takes the URL from KIOSK_URL when there is no --kiosk-url', () => {
    const report = reportOf(runWithFakeElectron(mainBundle, [], cleanEnv({ KIOSK_URL: kioskUrl })));
    expect(report.windows.map((window) => window.loadedUrls)).toEqual([[kioskUrl]]);
  });

  it('exits 2 with a usage message when given no URL at all', () => {
    const run = runWithFakeElectron(mainBundle, []);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('pass --kiosk-url=<controller URL>');
    expect(run.stdout).toBe('');
  });

  it('opens no window and exits 1 for a URL that is not the controller on loopback', () => {
    const run = runWithFakeElectron(mainBundle, ['--kiosk-url=https://example.com/']);
    const report = reportOf(run, 1);
    expect(report.windows).toEqual([]);
    expect(report.calls).toContain('app.exit:1');
    expect(run.stderr).toContain('loopback');
  });

  it('reloads the kiosk page by itself after the renderer is gone, and logs the reason', () => {
    const run = runWithFakeElectron(mainBundle, [`--kiosk-url=${kioskUrl}`], cleanEnv({ FAKE_ELECTRON_CRASHES: '1' }));
    const report = reportOf(run);
    expect(report.windows).toHaveLength(1);
    expect(report.windows[0]?.loadedUrls).toEqual([kioskUrl, kioskUrl]);
    expect(report.timerDelays).toEqual([1_000]);
    const events = shellEvents(run.stderr);
    expect(events.find((event) => event['eventId'] === 'shell-renderer-gone')).toMatchObject({ source: 'kiosk-shell', reason: 'crashed', exitCode: 139 });
    expect(run.stderr).not.toContain('token=');
  });

  it('stops reloading after 5 crashes in a short time and keeps a plain out-of-service page', () => {
    const run = runWithFakeElectron(mainBundle, [`--kiosk-url=${kioskUrl}`], cleanEnv({ FAKE_ELECTRON_CRASHES: '8' }));
    const report = reportOf(run);
    const loaded = report.windows[0]?.loadedUrls ?? [];
    expect(loaded.filter((url) => url === kioskUrl)).toHaveLength(5);
    expect(loaded).toHaveLength(5 + 4);
    expect(loaded.slice(5).every((url) => url.startsWith('data:text/html'))).toBe(true);
    expect(report.timerDelays.slice(0, 4)).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(shellEvents(run.stderr).filter((event) => event['eventId'] === 'shell-out-of-service')).toHaveLength(1);
  });

  it('preload exposes exactly a frozen kioskShell = { isKioskShell: true }', () => {
    const report = reportOf(runWithFakeElectron(preloadBundle, []));
    expect(report.exposed).toEqual({ kioskShell: { value: { isKioskShell: true }, frozen: true } });
    expect(report.calls).toEqual(['contextBridge.exposeInMainWorld:kioskShell']);
  });
});
