import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import { descendantsOf, isAlive, killIfAlive, type ProcessEntry } from '../hardware/host/proc-table';

/**
 * `npm start` (= `node --import tsx scripts/start.ts --simulate`, one process) as a person runs it, on
 * simulated devices with no display: whatever ends it, nothing it started may stay behind.
 */
const startCommand = [process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--simulate']] as const;
/** Starting may include a UI build when its sources are newer than kiosk/ui/dist. */
const startTimeoutMs = 90_000;
const stopTimeoutMs = 10_000;
/**
 * Children killed by the kernel (parent-death signal) or by the orphaned kiosk's own stop (noticed
 * within 0.5 s, then a graceful stop of every device): seconds on a loaded machine.
 */
const goneTimeoutMs = 15_000;

interface Started {
  readonly child: ChildProcess;
  readonly dataDir: string;
  /** Every process under the kiosk's once the URL was printed. */
  readonly processes: readonly ProcessEntry[];
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

describe('npm start', { timeout: startTimeoutMs + 30_000 }, () => {
  let started: Started | undefined;

  afterEach(() => {
    if (!started) return;
    const { child, processes, dataDir } = started;
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
    killIfAlive(processes);
    rmSync(dataDir, { recursive: true, force: true });
    started = undefined;
  });

  /** Starts the kiosk and waits until `printed` shows (by default the kiosk's URL, i.e. fully started). */
  async function startKiosk(printed: RegExp = /Kiosk UI: +http:\/\/127\.0\.0\.1:\d+\//): Promise<Started> {
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-start-stop-'));
    // Own process group, so that a failed test can kill everything at once; signals below go to one pid.
    const child = spawn(startCommand[0], startCommand[1], {
      env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', DISPLAY: '', WAYLAND_DISPLAY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const partial = { child, dataDir, processes: [] as ProcessEntry[], output: () => output, exited };
    started = partial;
    await waitFor(() => printed.test(output) || child.exitCode !== null, startTimeoutMs, `npm start never printed ${printed}:\n${output}`);
    expect(child.exitCode, output).toBeNull();
    started = { ...partial, processes: descendantsOf(child.pid!) };
    return started;
  }

  function expectDevicesRunning(run: Started): void {
    const names = run.processes.map((entry) => entry.comm);
    // One pty pair each: card printer, ID scanner, bill validator, receipt printer (socat); the I/O board's
    // pair is a relay that sees the host open the port, as DTR resets an Uno (firmware/dtr-cable.ts).
    expect(names.filter((name) => name === 'socat'), names.join(', ')).toHaveLength(4);
    expect(names.filter((name) => name === 'python3'), names.join(', ')).toHaveLength(1);
    expect(names, 'a private pcscd').toContain('pcscd');
    // No wrapper left in between: setpriv and the guard shell exec into the command.
    expect(names).not.toContain('setpriv');
    expect(names).not.toContain('unshare');
  }

  async function expectAllGone(run: Started, timeoutMs: number): Promise<void> {
    await waitFor(
      () => run.processes.every((entry) => !isAlive(entry)),
      timeoutMs,
      `left behind: ${run.processes.filter(isAlive).map((entry) => `${entry.comm} (${entry.pid})`).join(', ')}`,
    );
  }

  it('Ctrl-C (SIGINT) stops the kiosk and every device process it started, exit status 0', async () => {
    // The very command npm runs: one node process, no launcher in between to relay (or cut short) signals.
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start']).toBe(`node ${startCommand[1].join(' ')}`);
    const run = await startKiosk();
    expectDevicesRunning(run);
    expect(run.output()).toContain('SIMULATED DEVICES — DEMO: printer, scanner, nfc, board, billValidator (all of them)');

    run.child.kill('SIGINT');
    const exit = await Promise.race([run.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), stopTimeoutMs))]);
    expect(exit, `npm start did not stop after SIGINT:\n${run.output()}`).toEqual({ code: 0, signal: null });
    expect(run.output()).toContain('start: SIGINT, stopping');
    await expectAllGone(run, goneTimeoutMs);
  });

  it('Ctrl-C while the kiosk is still starting lets it finish starting, then stops it: exit status 0', async () => {
    const run = await startKiosk(/Starting kiosk /);
    run.child.kill('SIGINT');
    const exit = await Promise.race([run.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), startTimeoutMs))]);
    expect(exit, `npm start did not stop after an early SIGINT:\n${run.output()}`).toEqual({ code: 0, signal: null });
    expect(run.output()).toContain('start: SIGINT, stopping');
    expect(run.output()).not.toContain('Press Ctrl-C to stop');
  });

  it('without --simulate (npm run start:real) an unconfigured kiosk is refused, naming what is missing: exit 1, nothing started', async () => {
    const scripts = (JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(scripts['start:real']).toBe('node --import tsx scripts/start.ts');
    const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-start-real-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
        env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', DISPLAY: '', WAYLAND_DISPLAY: '', KIOSK_SIMULATE: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      const exit = await new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      expect(exit, output).toBe(1);
      expect(output).toMatch(/start: invalid kiosk configuration .*not configured: devices\.printer \(KIOSK_PRINTER\), .*kioskNumber \(KIOSK_NUMBER\)/);
      expect(output).toContain('simulate every device (npm start, or KIOSK_SIMULATE=1)');
      expect(output).not.toContain('Kiosk UI:');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('SIGKILL to the kiosk leaves no device process behind: they die with it', async () => {
    const run = await startKiosk();
    expectDevicesRunning(run);

    run.child.kill('SIGKILL');
    await run.exited;
    await expectAllGone(run, goneTimeoutMs);
  });
});
