import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startProcess, type ManagedProcess } from '../hardware/host/child-processes';
import { makeOwnedTempDir, removeOrphanedTempDirs } from '../hardware/host/owned-temp-dirs';
import { armStopDeadline } from '../hardware/host/stop-deadline';
import { deviceKeys, isFullySimulated, isSimulated, loadConfig, type KioskConfig } from '../kiosk/controller/config';
import { startKiosk, StartRefusal, type RunningKiosk } from '../kiosk/controller/main';
import { applicantUrl } from '../kiosk/electron/kiosk-window';

/**
 * `npm start` (`--simulate`): the kiosk on simulated devices, asked for explicitly (KIOSK_SIMULATE,
 * when set, says which). `npm run start:real` (no flag): the devices of kiosk.config.json and the
 * KIOSK_* variables, every one of them required. Then the controller, the UI on
 * 127.0.0.1, and a kiosk window — Electron when its binary is installed, else Chromium in app
 * mode when there is a display. Ctrl-C stops everything it started.
 *
 * Every process it starts goes through startProcess, so none outlives this one however it dies
 * (see hardware/host/child-processes.ts). `npm start` runs it as ONE node process with tsx as its
 * loader (`node --import tsx`): the tsx launcher would relay signals to a child process and SIGKILL it
 * when it is slow to acknowledge (30 ms, easily missed on a loaded machine), cutting a graceful stop
 * short. Should the process that launched us die, we notice we are orphaned and stop.
 */
const uiIndex = 'kiosk/ui/dist/index.html';
const chromiumProfilePrefix = 'kiosk-chromium-';
/** How often we look whether our launcher (npm, or the shell) is still there. */
const orphanCheckMs = 500;
/** A stop (window, controller, devices) ends within this, else what is left is killed: exit status 1. */
const stopDeadlineMs = 4_000;
/** Should this thread be stuck in a native call at the deadline, a watchdog thread kills it this much later. */
const stuckStopMarginMs = 500;

function buildUiIfStale(): void {
  const built = existsSync(uiIndex) ? statSync(uiIndex).mtimeMs : 0;
  const newestSource = spawnSync('find', ['kiosk/ui/src', 'shared', '-newer', uiIndex, '-type', 'f'], { encoding: 'utf8' }).stdout.trim();
  if (built > 0 && newestSource === '') return;
  process.stdout.write('start: building the UI…\n');
  const result = spawnSync('npx', ['vite', 'build', '--config', 'kiosk/ui/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('the UI build failed (see above)');
}

function electronBinary(): string | null {
  try {
    const path = createRequire(import.meta.url)('electron') as unknown;
    return typeof path === 'string' && existsSync(path) ? path : null;
  } catch {
    return null;
  }
}

/**
 * The kiosk window, and the applicant's (`#applicant`): Electron puts it on a second display when one is
 * connected, and with `applicantBeside` (the demo) beside the kiosk window on one display; Chromium, for
 * the demo, opens it as a second app window with a profile of its own.
 */
function openWindow(url: string, applicantBeside: boolean): Pick<ManagedProcess, 'stop'> | null {
  if (!process.env['DISPLAY'] && !process.env['WAYLAND_DISPLAY']) return null;
  const electron = electronBinary();
  if (electron) {
    const built = spawnSync('npx', ['tsx', 'scripts/build-electron.ts'], { stdio: 'inherit' });
    if (built.status === 0) return startProcess(electron, ['kiosk/electron/dist/main.cjs', `--kiosk-url=${url}`, ...(applicantBeside ? ['--applicant-beside'] : [])], { stdio: 'inherit' });
    // An old or missing bundle must not be launched: say so and fall back to Chromium's app mode.
    process.stderr.write('  The Electron shell did not build (see above): `npm run build:electron` to retry; opening Chromium instead.\n');
  }
  if (existsSync('/usr/bin/chromium')) {
    // Named after this process: a profile left by a kiosk killed outright goes at the next start.
    removeOrphanedTempDirs(chromiumProfilePrefix);
    const windows = [chromiumApp(url, [])];
    // A second profile: with the first one's, Chromium would hand the URL to the running browser and exit.
    if (applicantBeside) windows.push(chromiumApp(applicantUrl(url), ['--window-position=640,80', '--window-size=1280,800']));
    return {
      stop: async (graceMs) => {
        await Promise.all(windows.map((window) => window.stop(graceMs)));
      },
    };
  }
  return null;
}

/** One Chromium app window on a throw-away profile of its own, which goes with the window. */
function chromiumApp(url: string, extra: readonly string[]): Pick<ManagedProcess, 'stop'> {
  const profile = makeOwnedTempDir(chromiumProfilePrefix);
  const chromium = startProcess('/usr/bin/chromium', [
    `--app=${url}`, `--user-data-dir=${profile}`, '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--disable-quic', '--use-fake-ui-for-media-stream',
    // Spoken guidance plays as each screen appears, before anybody has touched the screen.
    '--autoplay-policy=no-user-gesture-required', ...extra,
  ], { stdio: 'ignore' });
  return { stop: (graceMs) => chromium.stop(graceMs).then(() => rmSync(profile, { recursive: true, force: true })) };
}

// Signals are handled from the first moment: with the kiosk as this very process (no launcher in
// between), a Ctrl-C before the handlers exist would kill it outright, with no graceful stop.
let kiosk: RunningKiosk | undefined = undefined;
let window: Pick<ManagedProcess, 'stop'> | null = null;
let stopping = false;
const shutDown = async (): Promise<never> => {
  // Every step has its own deadline (a helper is SIGKILLed after its grace); this bounds the whole.
  armStopDeadline({
    deadlineMs: stopDeadlineMs,
    stuckMarginMs: stuckStopMarginMs,
    onMissed: () => {
      process.stderr.write(`start: the stop took longer than ${stopDeadlineMs} ms: killing what is left\n`);
      process.exit(1); // the exit hook SIGKILLs every helper process
    },
    stuckMessage: `start: the stop was stuck for ${stopDeadlineMs + stuckStopMarginMs} ms: killed\n`,
  });
  try {
    await window?.stop();
    await kiosk?.stop();
  } catch (error) {
    process.stderr.write(`start: stopping failed: ${String(error)}\n`);
    process.exit(1);
  }
  process.exit(0);
};
const stop = async (reason: string): Promise<void> => {
  // One stop at a time: a terminal's Ctrl-C may reach us more than once (directly and relayed by npm).
  if (stopping) return;
  stopping = true;
  clearInterval(orphanWatch);
  process.stdout.write(`\nstart: ${reason}, stopping…\n`);
  if (kiosk) await shutDown(); // else the kiosk is still starting: it stops as soon as it has started
};
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => void stop(signal));
const launcherPid = process.ppid;
const orphanWatch = setInterval(() => {
  if (process.ppid !== launcherPid) void stop('launcher gone');
}, orphanCheckMs);
orphanWatch.unref();

/** A kiosk that cannot start says why in one paragraph, not a stack trace. */
function refuse(error: unknown): never {
  process.stderr.write(`start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}

const args = process.argv.slice(2);
if (args.some((arg) => arg !== '--simulate')) refuse(`unknown argument ${args.find((arg) => arg !== '--simulate')}: the only one is --simulate`);
// --simulate simulates every device unless KIOSK_SIMULATE names which.
const env = args.includes('--simulate') && process.env['KIOSK_SIMULATE'] === undefined ? { ...process.env, KIOSK_SIMULATE: 'all' } : process.env;
let config: KioskConfig;
try {
  config = loadConfig(env);
} catch (error) {
  refuse(error);
}
buildUiIfStale();
const simulatedDevices = [...deviceKeys, 'billValidator' as const].filter((device) => isSimulated(config, device));
// Opening the store and starting the devices (socat, pcscd, simulators) takes several seconds.
process.stdout.write(`Starting kiosk ${config.kioskId}: opening the store in ${config.dataDir} and starting the devices…\n`);
try {
  kiosk = await startKiosk(config);
} catch (error) {
  // A refusal (full disk, demo staff, wrong key file...) is one sentence for the technician; anything else keeps its stack.
  if (!(error instanceof StartRefusal)) throw error;
  refuse(error);
}
if (stopping) await shutDown();
process.stdout.write(
  [
    '',
    `  Citizen card kiosk ${config.kioskId} is running.`,
    `  Kiosk UI:   ${kiosk.urlWithToken}`,
    ...(simulatedDevices.length > 0
      ? [
          `  SIMULATED DEVICES — DEMO: ${simulatedDevices.join(', ')} ${deviceKeys.every((device) => isSimulated(config, device)) ? '(all of them)' : 'simulated, the others real'}`,
          config.mode === 'staffed'
            ? `  Dev panel:  ${kiosk.urlWithToken}#dev`
            : '  Dev:        npx kioskctl dev place-card citizen|staff|…   (no dev panel on an unattended screen)',
        ]
      : []),
    `  Data:       ${config.dataDir}`,
    ...(isFullySimulated(config)
      ? ['  Sign in:    dev panel → "place staff card", PIN 271828 (demo operator); supervisor 314159; technician 161803']
      : ['  Sign in:    tap a staff card registered with `kioskctl operator add`']),
    '  Press Ctrl-C to stop.',
    '',
  ].join('\n') + '\n',
);
// The demo opens the applicant's window beside the kiosk's; a kiosk in the field only on a second display.
window = openWindow(kiosk.urlWithToken, args.includes('--simulate'));
if (!window) process.stdout.write('  (no display or browser here: open the URL above in a browser)\n');
