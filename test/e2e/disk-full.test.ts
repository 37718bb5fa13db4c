import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { KioskSnapshot } from '../../shared/contract/kiosk-api';
import { readControllerFile } from '../../kiosk/controller/controller-file';
import { openStore } from '../../kiosk/controller/store/store';
import { messages } from '../../shared/i18n/messages';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { openSessionBefore, screenshot } from '../helpers/kiosk';
import { loadConfig } from '../../kiosk/controller/config';
import { mountSmallDisk, type SmallDisk } from '../helpers/tmpfs';

/**
 * The real kiosk process (`npm start`'s very command) with its data directory on a small tmpfs that
 * the test fills. The JSON-lines log goes to a directory on another disk (`logs` is a symlink), so
 * what is tested here is the store and the kiosk's own words, whatever the logger does on a full disk.
 */
const startCommand = [process.execPath, ['--import', 'tsx', 'scripts/start.ts', '--simulate']] as const;
const photo = readFileSync(join(process.cwd(), 'test/fixtures/photos/applicant.jpg')).toString('base64');

interface Run {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

describe('a full data disk, with the real kiosk process', () => {
  let disk: SmallDisk | undefined;
  let logDir: string | undefined;
  let run: Run | undefined;
  let browser: TestBrowser | undefined;

  afterEach(async () => {
    await browser?.close();
    browser = undefined;
    const child = run?.child;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      process.kill(-child.pid, 'SIGKILL');
      await run?.exited;
    }
    run = undefined;
    disk?.unmount();
    disk = undefined;
    if (logDir) rmSync(logDir, { recursive: true, force: true });
  });

  /** A small disk holding the data directory; the log directory elsewhere. */
  function dataDisk(name: string, sizeMb: number): SmallDisk {
    disk = mountSmallDisk(name, sizeMb);
    logDir = mkdtempSync(join(tmpdir(), `kiosk-${name}-logs-`));
    symlinkSync(logDir, join(disk.dir, 'logs'));
    return disk;
  }

  function start(dataDir: string, env: Record<string, string> = {}): Run {
    const child = spawn(startCommand[0], startCommand[1], {
      env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', KIOSK_PRINTER_TIME_SCALE: '0.01', DISPLAY: '', WAYLAND_DISPLAY: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    run = { child, exited, output: () => output };
    return run;
  }

  it('will not start on a full disk, and says so in one line: which directory, how much is free, what to do', { timeout: 40_000 }, async () => {
    const small = dataDisk('disk-full-start', 8);
    // A kiosk that was set up here before the disk filled.
    const opened = await openStore({ path: join(small.dir, 'kiosk.sqlite'), keyFile: join(small.dir, 'keys', 'store.key'), kioskId: 'TY-MOBILE-01' });
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    await opened.value.close();
    small.fill();

    const started = start(small.dir);
    const exit = await Promise.race([started.exited, new Promise<null>((resolve) => setTimeout(() => resolve(null), 30_000))]);
    const output = started.output();
    expect(exit, output).toEqual({ code: 1, signal: null });
    // (npm start may first say that it builds the UI, when its sources are newer than the build.)
    const said = output.split('\n').filter((line) => line.startsWith('start: ') && !line.startsWith('start: building the UI'));
    expect(said, output).toHaveLength(1);
    expect(said[0]).toMatch(new RegExp(`^start: the kiosk cannot start: the disk holding its data directory ${small.dir} is full \\(0\\.0 MB free; SQLITE_\\w+: .*\\)\\. Free space on that disk .* or call a technician, then start the kiosk again$`));
    // No stack trace, no source excerpt, no error object dumped.
    expect(output).not.toMatch(/^\s+at /m);
    expect(output).not.toContain('triggerUncaughtException');
    expect(output).not.toMatch(/errno|code: '/);
  });

  it('refuses the next print through the API once the disk is filled below the reserve; the printer gets no card', { timeout: 90_000 }, async () => {
    const small = dataDisk('disk-full-print', 48);
    // No card is made without a service session: opened in the store before the start.
    await openSessionBefore(loadConfig({ KIOSK_DATA_DIR: small.dir, KIOSK_SIMULATE: '1' }), { easycard: 10, ipass: 10 });
    const started = start(small.dir, { KIOSK_DISK_RESERVE_MB: '16' });
    await waitFor(() => readControllerFile(small.dir) !== null || started.child.exitCode !== null, 30_000, `the kiosk did not start:\n${started.output()}`);
    const running = readControllerFile(small.dir);
    expect(running, started.output()).not.toBeNull();
    const kiosk = api(running!.url, running!.token);

    expect(await kiosk.dev({ type: 'place-card', kind: 'staff' })).toEqual({ accepted: true });
    await waitFor(async () => (await kiosk.snapshot()).session.state === 'pin', 10_000, 'the staff card was not read');
    expect(await kiosk.command({ type: 'enter-pin', pin: '271828' })).toEqual({ accepted: true });
    expect(await kiosk.command({ type: 'start-application' })).toEqual({ accepted: true });
    expect(await kiosk.dev({ type: 'feed-document', fixture: 'residentPermitTaiwan' })).toEqual({ accepted: true });
    await waitFor(async () => (await kiosk.snapshot()).application.form.idNumber === 'H900001234', 10_000, 'the scanned document never filled the form');
    await kiosk.command({ type: 'update-application', fields: { district: '中壢區', cardType: 'general' } });
    await waitFor(async () => (await kiosk.snapshot()).application.problems.length === 0, 10_000, 'the application kept its problems');
    expect(await kiosk.command({ type: 'submit-application' })).toEqual({ accepted: true });
    expect(await kiosk.command({ type: 'capture-photo', jpegBase64: photo })).toEqual({ accepted: true });
    await waitFor(async () => (await kiosk.snapshot()).previewUrl !== null, 30_000, 'the photo did not pass or no preview was rendered');

    // Someone copies a big file onto the kiosk's disk: 4 MB are left, below the 16 MB reserve.
    small.fill(4 * 1024 * 1024);
    const reply = await kiosk.command({ type: 'confirm-print' });
    expect(reply).toMatchObject({ accepted: false, code: 'disk-full', reason: expect.stringMatching(new RegExp(`data disk is full: ${small.dir} has [0-4]\\.\\d MB free, below the 16\\.0 MB`)) });
    const snapshot = await kiosk.snapshot();
    expect(snapshot.screen).toBe('review');
    expect(((await kiosk.devState()) as { printer: { cardsPrinted: number } }).printer.cardsPrinted).toBe(0);

    // On the screen: the operator presses "print" and reads why not, in the screen's language.
    browser = await launchChromium();
    const page = await browser.context.newPage();
    await page.goto(`${running!.url}?token=${running!.token}`);
    await page.getByRole('button', { name: '開始製卡' }).click();
    const alert = page.locator('.command-notice[role="alert"]');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.textContent()).toContain(messages['zh-TW'].refusalDiskFull);
    expect(await alert.textContent()).toContain('MB free, below the 16.0 MB');
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByText(messages.vi.refusalDiskFull).waitFor({ timeout: 10_000 });
    await screenshot(page, 'disk-full-refused');
    expect(((await kiosk.devState()) as { printer: { cardsPrinted: number } }).printer.cardsPrinted).toBe(0);

    started.child.kill('SIGINT');
    expect(await started.exited, started.output()).toEqual({ code: 0, signal: null });
  });
});

interface Api {
  command(body: unknown): Promise<Record<string, unknown>>;
  dev(body: unknown): Promise<unknown>;
  devState(): Promise<unknown>;
  snapshot(): Promise<KioskSnapshot>;
}

function api(url: string, token: string): Api {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(new URL(path, url), {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    expect(response.status, `${method} ${path}`).toBe(200);
    return response.json() as Promise<Record<string, unknown>>;
  };
  return {
    command: (body) => call('POST', 'api/command', body),
    dev: (body) => call('POST', 'api/dev', body),
    devState: () => call('GET', 'api/dev'),
    snapshot: () => call('GET', 'api/snapshot') as unknown as Promise<KioskSnapshot>,
  };
}
