import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitFor } from '../../hardware/host/child-processes';
import { descendantsOf, isAlive, type ProcessEntry } from '../hardware/host/proc-table';

/**
 * `npm start` (= `node --import tsx scripts/start.ts --simulate`, one process) started as a person runs it, on
 * simulated devices with no display, in a process group of its own (`detached`) so that a test can
 * signal the group as a terminal does, and kill everything when it fails.
 */
export const npmStartCommand = [process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--simulate']] as const;
/** Starting may include a UI build when its sources are newer than kiosk/ui/dist. */
export const npmStartTimeoutMs = 90_000;

export interface NpmStart {
  readonly child: ChildProcess;
  readonly pid: number;
  readonly dataDir: string;
  /** The kiosk's address (no token) and its token, once it printed them. */
  readonly url: string;
  readonly token: string;
  /** Every process under the kiosk's once the URL was printed. */
  readonly processes: readonly ProcessEntry[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
  /** POST /api/dev (the dev panel's actions on the simulated world). */
  dev(command: unknown): Promise<unknown>;
  /** GET /api/snapshot. */
  snapshot(): Promise<{ session: { state: string } }>;
}

export async function startNpmStart(options: { readonly dataDir?: string; readonly env?: Readonly<Record<string, string>> } = {}): Promise<NpmStart> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'kiosk-npm-start-'));
  const child = spawn(npmStartCommand[0], npmStartCommand[1], {
    env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', DISPLAY: '', WAYLAND_DISPLAY: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const printed = /Kiosk UI: +(http:\/\/127\.0\.0\.1:\d+\/)\?token=(\S+)/;
  try {
    await waitFor(() => printed.test(output) || child.exitCode !== null, npmStartTimeoutMs, `npm start never printed its URL:\n${output}`);
  } catch (error) {
    killGroup(child);
    throw error;
  }
  const match = printed.exec(output);
  if (!match) {
    killGroup(child);
    throw new Error(`npm start ended before it printed its URL:\n${output}`);
  }
  const [, url = '', token = ''] = match;
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const response = await fetch(new URL(path, url), {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return response.json() as Promise<unknown>;
  };
  return {
    child,
    pid: child.pid!,
    dataDir,
    url,
    token,
    processes: descendantsOf(child.pid!),
    exited,
    output: () => output,
    dev: (command) => call('POST', 'api/dev', command),
    snapshot: () => call('GET', 'api/snapshot') as Promise<{ session: { state: string } }>,
  };
}

/** Its exit status, or null when it has not exited within `timeoutMs`. */
export function exitWithin(run: NpmStart, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null } | null> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    run.exited.finally(() => clearTimeout(timer)),
    new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs))),
  ]);
}

export function leftBehind(run: NpmStart): ProcessEntry[] {
  return run.processes.filter(isAlive);
}

/** A failed test's cleanup: the kiosk's group (its helpers die with it: their parent-death signal). */
export function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
