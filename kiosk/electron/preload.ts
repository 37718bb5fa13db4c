import { contextBridge } from 'electron';

/**
 * The preload exposes nothing but the fact that the page runs inside the kiosk shell: the UI
 * talks to the controller over loopback HTTP like any browser, so no IPC channel is needed.
 */
contextBridge.exposeInMainWorld('kioskShell', Object.freeze({ isKioskShell: true }));
