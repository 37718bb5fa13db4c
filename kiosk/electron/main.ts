import { fileURLToPath } from 'node:url';
import * as electron from 'electron';
import type { LogSink } from '../../shared/log';
import { startKioskShell } from './kiosk-window';

/**
 * Entry point of the Electron shell, bundled by `npm run build:electron`:
 * `electron kiosk/electron/dist/main.cjs --kiosk-url=<controller URL>` (scripts/start.ts passes it). `--windowed` keeps a normal window for technicians.
 * The applicant's window opens on a second display when one is connected; `--applicant-beside` opens it
 * beside the kiosk window when there is only one (the demo, `npm start`).
 */
const urlArgument = process.argv.find((arg) => arg.startsWith('--kiosk-url='));
const url = urlArgument?.slice('--kiosk-url='.length) ?? process.env['KIOSK_URL'];
if (!url) {
  process.stderr.write('kiosk shell: pass --kiosk-url=<controller URL> (npm start does)\n');
  process.exit(2);
}

/** The shell's events (renderer crashes, reloads) as JSON lines on stderr, next to the controller's log. */
const log: LogSink = (event) => process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), source: 'kiosk-shell', ...event })}\n`);

startKioskShell(
  electron,
  {
    url,
    preloadPath: fileURLToPath(new URL('./preload.cjs', import.meta.url)),
    kiosk: !process.argv.includes('--windowed'),
    applicantBeside: process.argv.includes('--applicant-beside'),
  },
  { log },
).catch((error: unknown) => {
  process.stderr.write(`kiosk shell: ${String(error)}\n`);
  // A shell that could not start must not look like one that was closed normally.
  electron.app.exit(1);
});
