import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/**
 * Every helper process (socat, pcscd, simulators) is started through here so that it is
 * always stopped: on `stop()`, when this process exits, and — the case `exit` handlers cannot
 * cover — when this process is killed outright (SIGKILL, an OOM kill, a vitest worker torn down).
 *
 * The last case needs the kernel: a child asks with prctl(PR_SET_PDEATHSIG) to be SIGKILLed when
 * its parent dies. Node cannot run code between fork and exec, so util-linux's `setpriv
 * --pdeathsig KILL` asks and then execs the command (same pid, so `kill()` still reaches it).
 * The setting survives exec and `unshare --mount [--map-root-user]` (see hardware/nfc/pcscd.ts):
 * neither changes credentials in a way that clears it. It is not inherited by the command's own
 * forks, which is fine for our single-process helpers.
 * A parent that dies before setpriv's prctl would go unnoticed, so a shell checks that its parent
 * is still this process before exec'ing the command.
 *
 * Each child runs in its own process group (a session of its own): a signal to OUR group — a
 * terminal's Ctrl-C, its SIGHUP when it closes — reaches this process only, which then stops its
 * children in order. Reached directly, a helper could stop out of
 * turn: pcscd, signalled while a virtual card it polls is served by this very process and a PC/SC
 * client here waits for pcscd without a timeout (libpcsclite's SCardCancel in nfc-pcsc's close()),
 * never exited and neither did we (seen: Ctrl-C with a card on the counter reader hung `npm start`).
 */
const running = new Set<ChildProcess>();

process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** How long `stop()` waits after SIGTERM before SIGKILL, unless the caller names its own grace. */
export const defaultStopGraceMs = 2_000;
/** The exit status of a child whose parent was already gone when it started. */
const orphanedAtStartExitCode = 125;
const guardScript = `[ "$PPID" = "$1" ] || exit ${orphanedAtStartExitCode}; shift; exec "$@"`;

let setprivPath: string | null | undefined;
/**
 * `setpriv` on PATH (util-linux, always present on Debian); null where there is none, and children are
 * then stopped only by `stop()` and the exit hook. Note the kernel sends the signal when the parent
 * THREAD exits: start children from the main thread (or accept that they die with their worker).
 */
function findSetpriv(): string | null {
  if (setprivPath !== undefined) return setprivPath;
  setprivPath = null;
  if (process.platform !== 'linux') return setprivPath;
  for (const dir of (process.env['PATH'] ?? '/usr/bin:/bin').split(delimiter)) {
    const candidate = join(dir, 'setpriv');
    try {
      accessSync(candidate, constants.X_OK);
      setprivPath = candidate;
      break;
    } catch {
      // not in this directory
    }
  }
  return setprivPath;
}

export interface ManagedProcess {
  readonly child: ChildProcess;
  /** Output collected so far (stdout and stderr), for error messages. */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process is gone. */
  stop(graceMs?: number): Promise<void>;
}

export function startProcess(command: string, args: readonly string[], options: SpawnOptions = {}): ManagedProcess {
  const setpriv = options.shell ? null : findSetpriv();
  const spawnOptions: SpawnOptions = { stdio: ['ignore', 'pipe', 'pipe'], detached: true, ...options };
  const child = setpriv
    ? spawn(setpriv, ['--pdeathsig', 'KILL', '/bin/sh', '-c', guardScript, 'child-guard', String(process.pid), command, ...args], spawnOptions)
    : spawn(command, args, spawnOptions);
  running.add(child);
  let output = '';
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  exited.then(() => running.delete(child), () => running.delete(child));
  return {
    child,
    output: () => output,
    async stop(graceMs = defaultStopGraceMs) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Polls `check` until it returns true, or throws `message` after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, message: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(message);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
