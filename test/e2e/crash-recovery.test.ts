import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { KioskSnapshot } from '../../shared/contract/kiosk-api';
import { loadConfig } from '../../kiosk/controller/config';
import { readControllerFile } from '../../kiosk/controller/controller-file';
import { startKiosk, type RunningKiosk } from '../../kiosk/controller/main';
import { formatCardNumber } from '../../kiosk/controller/store/card-number';
import { waitFor } from '../../hardware/host/child-processes';

/**
 * The kiosk loses power while a card is being printed (the whole process group is SIGKILLed:
 * controller, simulators, socat and pcscd). On the next start the journal closes that job as
 * spoiled — the card is never handed out nor recorded as issued — and the kiosk issues the
 * applicant's next card normally, with a new card number.
 */
const photo = readFileSync(join(process.cwd(), 'test/fixtures/photos/applicant.jpg')).toString('base64');

function openJobSteps(file: string): Promise<string[]> {
  return new Promise((resolve) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => {
      if (error) return resolve([]);
      db.all<{ step: string }>('SELECT step FROM issuance_jobs WHERE open = 1', (queryError, rows) => {
        db.close();
        resolve(queryError ? [] : rows.map((row) => row.step));
      });
    });
  });
}

interface Api {
  command(body: unknown): Promise<unknown>;
  dev(body: unknown): Promise<unknown>;
  snapshot(): Promise<KioskSnapshot>;
}

function api(url: string, token: string): Api {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(new URL(path, url), {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return response.json() as Promise<unknown>;
  };
  return {
    command: (body) => call('POST', 'api/command', body),
    dev: (body) => call('POST', 'api/dev', body),
    snapshot: () => call('GET', 'api/snapshot') as Promise<KioskSnapshot>,
  };
}

/** The demo operator taps the staff card and types the PIN. */
async function signIn(kiosk: Api): Promise<void> {
  expect(await kiosk.dev({ type: 'place-card', kind: 'staff' })).toEqual({ accepted: true });
  await waitFor(async () => (await kiosk.snapshot()).session.state === 'pin', 10_000, 'the staff card was not read');
  expect(await kiosk.command({ type: 'enter-pin', pin: '271828' })).toEqual({ accepted: true });
}

/** Operator steps up to "print": scan, fill in, photo, confirm. */
async function applyAndPrint(kiosk: Api): Promise<void> {
  expect(await kiosk.command({ type: 'start-application' })).toEqual({ accepted: true });
  expect(await kiosk.dev({ type: 'feed-document', fixture: 'residentPermitTaiwan' })).toEqual({ accepted: true });
  await waitFor(async () => (await kiosk.snapshot()).application.form.idNumber === 'H900001234', 10_000, 'the scanned document never filled the form');
  await kiosk.command({ type: 'update-application', fields: { district: '中壢區', cardType: 'general' } });
  await waitFor(async () => (await kiosk.snapshot()).application.problems.length === 0, 10_000, 'the application kept its problems');
  expect(await kiosk.command({ type: 'submit-application' })).toEqual({ accepted: true });
  expect(await kiosk.command({ type: 'capture-photo', jpegBase64: photo })).toEqual({ accepted: true });
  await waitFor(async () => (await kiosk.snapshot()).previewUrl !== null, 30_000, 'the photo did not pass or no preview was rendered');
  expect(await kiosk.command({ type: 'confirm-print' })).toEqual({ accepted: true });
}

describe('power cut while a card is printing', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'kiosk-crash-'));
  let child: ChildProcess | undefined;
  let kiosk: RunningKiosk | undefined;

  afterAll(async () => {
    if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
    await kiosk?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('spoils the interrupted card on restart and issues the next one normally', { timeout: 180_000 }, async () => {
    // A real printer's speed (16 s a card): the plug is pulled well inside the print, however loaded the machine.
    child = spawn('npx', ['tsx', 'scripts/start.ts', '--simulate'], {
      env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', KIOSK_PRINTER_TIME_SCALE: '1', DISPLAY: '' },
      detached: true,
      stdio: 'ignore',
    });
    // Listen from the start: an exit before the kill below would otherwise be waited for forever.
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    await waitFor(() => readControllerFile(dataDir) !== null, 60_000, 'the kiosk did not start');
    const running = readControllerFile(dataDir)!;
    const first = api(running.url, running.token);
    await signIn(first);
    await applyAndPrint(first);
    // Pull the plug once the journal says the card is at the printer (read straight from the SQLite file).
    await waitFor(async () => (await openJobSteps(join(dataDir, 'kiosk.sqlite'))).includes('printing'), 20_000, 'printing never started');

    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    await waitFor(() => readControllerFile(dataDir) === null, 10_000, 'the killed controller is still alive');

    kiosk = await startKiosk(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', KIOSK_PRINTER_TIME_SCALE: '0.01', KIOSK_SIMULATE: '1' }));
    expect(kiosk.recovered).toMatchObject([{ step: 'printing', outcome: 'spoiled' }]);
    expect(await kiosk.store.pendingJobs()).toEqual([]);
    expect(await kiosk.store.heldCards('H900001234')).toEqual([]);
    const spoiled = (await kiosk.store.readAudit()).filter((entry) => entry.eventId === 'issuance-spoil');
    expect(spoiled).toHaveLength(1);

    const second = api(kiosk.url, kiosk.token);
    await signIn(second);
    await applyAndPrint(second);
    await waitFor(async () => (await second.snapshot()).screen === 'done', 60_000, 'the second card was not issued');
    const held = await kiosk.store.heldCards('H900001234');
    expect(held).toHaveLength(1);
    // The interrupted card's number (sequence 1) is never reused.
    expect(held[0]?.cardNumber).toBe(formatCardNumber(1, 'general', 2));
    expect((await kiosk.store.verifyAudit()).ok).toBe(true);
  });
});
