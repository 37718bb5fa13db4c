import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import { readControllerFile } from '../../kiosk/controller/controller-file';
import { mountSmallDisk, type SmallDisk } from '../kiosk/controller/logging/small-disk';
import { descendantsOf, killIfAlive, type ProcessEntry } from '../hardware/host/proc-table';

const run = promisify(execFile);

/**
 * `npm start` with its data directory on a real (small) tmpfs that fills up while it runs: the log
 * cannot be written, and the kiosk neither dies nor hides it (the health and `kioskctl doctor` say so).
 */
const startTimeoutMs = 90_000;

describe('a full disk under the running kiosk (npm start, data directory on a tmpfs)', { timeout: startTimeoutMs + 60_000 }, () => {
  let disk: SmallDisk | undefined;
  let child: ChildProcess | undefined;
  let processes: readonly ProcessEntry[] = [];

  afterAll(async () => {
    disk?.free();
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      process.kill(-child.pid, 'SIGINT');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 15_000))]);
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
    }
    killIfAlive(processes);
    // The kiosk's children (socat, pcscd) may hold the directory a moment longer.
    await waitFor(() => {
      try {
        disk?.unmount();
        return true;
      } catch {
        return false;
      }
    }, 15_000, 'the small disk could not be unmounted');
  });

  it('an unauthenticated request while the disk is full does not kill it; doctor reports the log kept in memory', async () => {
    disk = mountSmallDisk('kiosk-full-disk', 64 * 1024 * 1024);
    const dataDir = disk.dir;
    const started = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--simulate'], {
      env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', DISPLAY: '', WAYLAND_DISPLAY: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    child = started;
    let output = '';
    started.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    started.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const url = /Kiosk UI: +(http:\/\/127\.0\.0\.1:\d+\/)/;
    await waitFor(() => url.test(output) || started.exitCode !== null, startTimeoutMs, `npm start never printed its URL:\n${output}`);
    expect(started.exitCode, output).toBeNull();
    processes = descendantsOf(started.pid!);
    const base = url.exec(output)?.[1] ?? '';
    const controller = readControllerFile(dataDir);
    expect(controller).not.toBeNull();

    disk.fill();
    // Unauthenticated requests are logged (refused): the file's last page may take a few, then it is full.
    for (let n = 0; n < 200; n++) {
      const response = await fetch(new URL('api/snapshot', base));
      expect(response.status).toBe(401);
      if (n % 20 === 19) {
        const health = (await (await fetch(new URL('api/health', base), { headers: { authorization: `Bearer ${controller?.token}` } })).json()) as { log: { state: string } };
        if (health.log.state === 'memory-only') break;
      }
    }
    expect(started.exitCode, output).toBeNull();
    expect(started.signalCode, output).toBeNull();
    const health = (await (await fetch(new URL('api/health', base), { headers: { authorization: `Bearer ${controller?.token}` } })).json()) as { log: unknown };
    expect(health.log).toMatchObject({ state: 'memory-only', reason: 'ENOSPC' });

    const doctor = await run(process.execPath, ['scripts/kioskctl.mjs', 'doctor'], { env: { ...process.env, KIOSK_DATA_DIR: dataDir } }).then(
      () => ({ code: 0, stdout: '' }),
      (error: { code: number; stdout: string }) => error,
    );
    expect(doctor.code).toBe(1);
    expect(doctor.stdout).toMatch(/FAILING\s+log file\s+cannot write .*kiosk\.jsonl \(ENOSPC since .*kept in memory only/);
    // Still serving, and nothing of this went to the file.
    expect((await fetch(new URL('api/snapshot', base))).status).toBe(401);
    expect(readFileSync(join(dataDir, 'logs', 'kiosk.jsonl'), 'utf8')).not.toContain('log-recovered');
  });
});
