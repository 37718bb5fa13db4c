'use strict';
/**
 * A fake `electron` module for running the BUILT shell (dist/main.cjs, dist/preload.cjs) under plain
 * Node. It records what the shell does; when the process is about to exit on its own (the shell's
 * async start-up has settled), it calls the handlers the shell installed with a few probes and
 * prints everything as one JSON line on stdout. An explicit process.exit() prints nothing.
 *
 * FAKE_ELECTRON_CRASHES=<n>: each time the shell has settled, the window's renderer "crashes"
 * (render-process-gone, reason crashed) until n crashes have happened, then the report is printed.
 * The shell's back-off timers then run at once; the delays it asked for are reported in timerDelays.
 *
 * FAKE_ELECTRON_DISPLAYS=<n>: that many displays side by side (1 by default), the first the primary.
 */
const calls = [];
const appListeners = {};
const windows = [];
const exposed = {};
const session = {};
const scriptedCrashes = Number(process.env.FAKE_ELECTRON_CRASHES ?? 0);
let crashesEmitted = 0;
const timerDelays = [];

if (scriptedCrashes > 0) {
  const realSetTimeout = globalThis.setTimeout;
  globalThis.setTimeout = (callback, ms, ...args) => {
    timerDelays.push(ms);
    return realSetTimeout(callback, 0, ...args);
  };
}

const app = {
  whenReady() {
    calls.push('app.whenReady');
    return Promise.resolve();
  },
  on(event, listener) {
    calls.push(`app.on:${event}`);
    (appListeners[event] ??= []).push(listener);
    return app;
  },
  quit() {
    calls.push('app.quit');
  },
  // The real one ends the process with this code; the fake keeps it so the report still prints.
  exit(code = 0) {
    calls.push(`app.exit:${code}`);
    process.exitCode = code;
  },
};

class BrowserWindow {
  constructor(options) {
    calls.push('new BrowserWindow');
    this.record = { options, loadedUrls: [] };
    windows.push(this);
    const contentsListeners = {};
    this.emitOnContents = (event, ...args) => {
      for (const listener of contentsListeners[event] ?? []) listener(...args);
    };
    this.webContents = {
      on(event, listener) {
        calls.push(`webContents.on:${event}`);
        (contentsListeners[event] ??= []).push(listener);
      },
      forcefullyCrashRenderer: () => {
        calls.push('webContents.forcefullyCrashRenderer');
        this.emitOnContents('render-process-gone', {}, { reason: 'killed', exitCode: 9 });
      },
    };
  }
  on(event) {
    calls.push(`window.on:${event}`);
    return this;
  }
  isDestroyed() {
    return false;
  }
  toJSON() {
    return this.record;
  }
  loadURL(url) {
    calls.push('window.loadURL');
    this.record.loadedUrls.push(url);
    return Promise.resolve();
  }
}

const defaultSession = {
  setPermissionRequestHandler(handler) {
    calls.push('session.setPermissionRequestHandler');
    session.permissionRequest = handler;
  },
  setPermissionCheckHandler(handler) {
    calls.push('session.setPermissionCheckHandler');
    session.permissionCheck = handler;
  },
  webRequest: {
    onHeadersReceived(handler) {
      calls.push('session.webRequest.onHeadersReceived');
      session.headers = handler;
    },
  },
};

const contextBridge = {
  exposeInMainWorld(key, value) {
    calls.push(`contextBridge.exposeInMainWorld:${key}`);
    exposed[key] = { value, frozen: Object.isFrozen(value) };
  },
};

/** The answer a handler gives synchronously through its callback, or 'no answer'. */
function answerOf(register) {
  let answer = 'no answer';
  register((value) => (answer = value));
  return answer;
}

const pageUrl = 'http://127.0.0.1:4000/';
const fakeContents = { getURL: () => pageUrl };

function probePermissions() {
  if (!session.permissionRequest) return null;
  const ask = (permission, details) =>
    answerOf((callback) => session.permissionRequest(fakeContents, permission, callback, details));
  return {
    cameraFromKiosk: ask('media', { requestingUrl: pageUrl, mediaTypes: ['video'] }),
    microphoneFromKiosk: ask('media', { requestingUrl: pageUrl, mediaTypes: ['audio'] }),
    cameraAndMicrophoneFromKiosk: ask('media', { requestingUrl: pageUrl, mediaTypes: ['video', 'audio'] }),
    cameraFromOtherOrigin: ask('media', { requestingUrl: 'http://127.0.0.1:5000/', mediaTypes: ['video'] }),
    cameraFromRemote: ask('media', { requestingUrl: 'https://evil.example/', mediaTypes: ['video'] }),
    geolocationFromKiosk: ask('geolocation', { requestingUrl: pageUrl }),
  };
}

function probePermissionChecks() {
  if (!session.permissionCheck) return null;
  const check = (origin, mediaType) => session.permissionCheck(fakeContents, 'media', origin, mediaType ? { mediaType } : {});
  return {
    cameraFromKiosk: check('http://127.0.0.1:4000', 'video'),
    cameraFromKioskWithSlash: check('http://127.0.0.1:4000/', 'video'),
    microphoneFromKiosk: check('http://127.0.0.1:4000', 'audio'),
    cameraFromOtherOrigin: check('http://127.0.0.1:5000', 'video'),
  };
}

function probeHeaders() {
  if (!session.headers) return null;
  const response = answerOf((callback) => session.headers({ responseHeaders: { 'content-type': ['text/html'] } }, callback));
  return response === 'no answer' ? response : response.responseHeaders;
}

/** What the web-contents guards do to a new web contents (every window, webview or popup). */
function probeWebContents() {
  const listeners = appListeners['web-contents-created'] ?? [];
  if (listeners.length === 0) return null;
  const handlers = {};
  let windowOpen = null;
  const contents = {
    ...fakeContents,
    on(event, handler) {
      (handlers[event] ??= []).push(handler);
      return contents;
    },
    setWindowOpenHandler(handler) {
      windowOpen = handler;
    },
  };
  for (const listener of listeners) listener({}, contents);
  const prevented = (event, ...args) => {
    let wasPrevented = false;
    for (const handler of handlers[event] ?? []) handler({ preventDefault: () => (wasPrevented = true) }, ...args);
    return wasPrevented;
  };
  return {
    navigateAwayPrevented: prevented('will-navigate', 'https://evil.example/'),
    navigateWithinPrevented: prevented('will-navigate', 'http://127.0.0.1:4000/#staff'),
    redirectAwayPrevented: prevented('will-redirect', 'https://evil.example/'),
    webviewPrevented: prevented('will-attach-webview', {}, {}),
    windowOpen: windowOpen ? windowOpen({ url: 'https://evil.example/' }) : null,
  };
}

let reported = false;
process.on('beforeExit', () => {
  if (reported) return;
  const window = windows[0];
  if (window && crashesEmitted < scriptedCrashes) {
    crashesEmitted += 1;
    calls.push('fake:render-process-gone');
    window.emitOnContents('render-process-gone', {}, { reason: 'crashed', exitCode: 139 });
    return; // the shell's reload timer keeps the process alive; we come back here when it settles
  }
  reported = true;
  const report = {
    calls,
    windows,
    timerDelays,
    exposed,
    permissionRequests: probePermissions(),
    permissionChecks: probePermissionChecks(),
    headers: probeHeaders(),
    webContents: probeWebContents(),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
});

const displays = Array.from({ length: Number(process.env.FAKE_ELECTRON_DISPLAYS ?? 1) }, (_, i) => ({ id: i + 1, bounds: { x: i * 1280, y: 0, width: 1280, height: 800 } }));
const screen = {
  getAllDisplays() {
    calls.push('screen.getAllDisplays');
    return displays;
  },
  getPrimaryDisplay() {
    return displays[0];
  },
};

module.exports = { app, BrowserWindow, session: { defaultSession }, contextBridge, screen };
