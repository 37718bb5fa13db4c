import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { expect } from 'vitest';
import type { KioskSnapshot } from '../../shared/contract/kiosk-api';
import { taiwanIdCheckDigit } from '../../shared/identity/taiwan-id';
import { waitFor } from '../../hardware/host/child-processes';
import { loadConfig } from '../../kiosk/controller/config';
import { readControllerFile } from '../../kiosk/controller/controller-file';
import { startKiosk, type RunningKiosk } from '../../kiosk/controller/main';
import { openSessionBefore } from './kiosk';

/**
 * For the crash tests: the kiosk runs as a real child process (`npm start`'s script) that the test
 * SIGKILLs, so it is driven over its HTTP API and its journal is read straight from the SQLite file.
 */
const photo = readFileSync(join(process.cwd(), 'test/fixtures/photos/applicant.jpg')).toString('base64');

/** The steps of the journal's jobs: the open ones, or all of them. */
export function jobSteps(file: string, which: 'open' | 'all' = 'open'): Promise<string[]> {
  return new Promise((resolve) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => {
      if (error) return resolve([]);
      db.all<{ step: string }>(`SELECT step FROM issuance_jobs${which === 'open' ? ' WHERE open = 1' : ''}`, (queryError, rows) => {
        db.close();
        resolve(queryError ? [] : rows.map((row) => row.step));
      });
    });
  });
}

export interface KioskApi {
  command(body: unknown): Promise<unknown>;
  dev(body: unknown): Promise<unknown>;
  snapshot(): Promise<KioskSnapshot>;
}

export function kioskApi(url: string, token: string): KioskApi {
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
export async function signIn(kiosk: KioskApi): Promise<void> {
  expect(await kiosk.dev({ type: 'place-card', kind: 'staff' })).toEqual({ accepted: true });
  await waitFor(async () => (await kiosk.snapshot()).session.state === 'pin', 10_000, 'the staff card was not read');
  expect(await kiosk.command({ type: 'enter-pin', pin: '271828' })).toEqual({ accepted: true });
}

/** Scan the resident permit and fill in a general card's application (no photo yet). */
export async function apply(kiosk: KioskApi, fields: Record<string, unknown> = {}): Promise<void> {
  expect(await kiosk.command({ type: 'start-application' })).toEqual({ accepted: true });
  expect(await kiosk.dev({ type: 'feed-document', fixture: 'residentPermitTaiwan' })).toEqual({ accepted: true });
  await waitFor(async () => (await kiosk.snapshot()).application.form.idNumber === 'H900001234', 10_000, 'the scanned document never filled the form');
  await kiosk.command({ type: 'update-application', fields: { district: '中壢區', cardType: 'general', ...fields } });
  await waitFor(async () => (await kiosk.snapshot()).application.problems.length === 0, 10_000, 'the application kept its problems');
}

/** Operator steps up to "print": scan, fill in, photo, confirm. */
export async function applyAndPrint(kiosk: KioskApi): Promise<void> {
  await apply(kiosk);
  expect(await kiosk.command({ type: 'submit-application' })).toEqual({ accepted: true });
  expect(await kiosk.command({ type: 'capture-photo', jpegBase64: photo })).toEqual({ accepted: true });
  await waitFor(async () => (await kiosk.snapshot()).previewUrl !== null, 30_000, 'the photo did not pass or no preview was rendered');
  expect(await kiosk.command({ type: 'confirm-print' })).toEqual({ accepted: true });
}

/** A valid national ID number of a Taoyuan household (H), the `n`th of the test's own applicants. */
export function taoyuanIdNumber(n: number): string {
  const firstNine = `H1${String(n).padStart(7, '0')}`;
  return `${firstNine}${taiwanIdCheckDigit(firstNine)}`;
}

/**
 * Another applicant, from their ID card's barcode (the ID number) and what the operator types, up to
 * "print". The confirmed card goes to the print queue and the flow is home again for the next one.
 */
export async function applyAndPrintFor(kiosk: KioskApi, idNumber: string): Promise<void> {
  expect(await kiosk.command({ type: 'start-application' })).toEqual({ accepted: true });
  expect(await kiosk.dev({ type: 'feed-taiwan-id', idNumber })).toEqual({ accepted: true });
  await waitFor(async () => (await kiosk.snapshot()).application.form.idNumber === idNumber, 10_000, 'the scanned ID never filled the form');
  await kiosk.command({ type: 'update-application', fields: { name: 'TEST APPLICANT', birthDate: '1985-06-15', sex: 'F', district: '中壢區', cardType: 'general' } });
  await waitFor(async () => (await kiosk.snapshot()).application.problems.length === 0, 10_000, 'the application kept its problems');
  expect(await kiosk.command({ type: 'submit-application' })).toEqual({ accepted: true });
  expect(await kiosk.command({ type: 'capture-photo', jpegBase64: photo })).toEqual({ accepted: true });
  await waitFor(async () => (await kiosk.snapshot()).previewUrl !== null, 30_000, 'the photo did not pass or no preview was rendered');
  expect(await kiosk.command({ type: 'confirm-print' })).toEqual({ accepted: true });
  await waitFor(async () => (await kiosk.snapshot()).screen === 'home', 10_000, 'the confirmed card did not free the counter');
}

/**
 * One crash test's kiosk: started as `npm start` does (`scripts/start.ts --simulate`, a process group
 * of its own, the exit listened to from the start), killed with SIGKILL — the power cut — and started
 * again in this process on the same data directory. `cleanUp` is the test file's `afterAll`.
 */
export interface CrashedKiosk {
  readonly dataDir: string;
  /**
   * Starts the kiosk process (the printer at `printerTimeScale` of a real one's speed) and returns its API, signed out.
   * The first start opens a service session in its store first, with `blanks` (plenty by default).
   */
  start(printerTimeScale: number, blanks?: { readonly easycard: number; readonly ipass: number }): Promise<KioskApi>;
  /** SIGKILL to the whole process group; resolves once it has exited and its controller is seen dead. */
  kill(): Promise<void>;
  /** The kiosk started again in this process on the same data, after the crash. */
  restart(): Promise<RunningKiosk>;
  cleanUp(): Promise<void>;
}

export function crashedKiosk(name: string): CrashedKiosk {
  const dataDir = mkdtempSync(join(tmpdir(), `kiosk-${name}-`));
  let child: ChildProcess | undefined;
  let exited: Promise<unknown> = Promise.resolve();
  let restarted: RunningKiosk | undefined;
  let sessionOpened = false;
  return {
    dataDir,
    async start(printerTimeScale, blanks = { easycard: 200, ipass: 200 }) {
      // No card is made without a service session: opened in the store before the first start.
      if (!sessionOpened) {
        await openSessionBefore(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_SIMULATE: '1' }), blanks);
        sessionOpened = true;
      }
      child = spawn('npx', ['tsx', 'scripts/start.ts', '--simulate'], {
        env: { ...process.env, KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', KIOSK_PRINTER_TIME_SCALE: String(printerTimeScale), DISPLAY: '' },
        detached: true,
        stdio: 'ignore',
      });
      // Listen from the start: an exit before the kill would otherwise be waited for forever.
      const started = child;
      exited = new Promise((resolve) => started.once('exit', resolve));
      await waitFor(() => readControllerFile(dataDir) !== null, 60_000, 'the kiosk did not start');
      const running = readControllerFile(dataDir)!;
      return kioskApi(running.url, running.token);
    },
    async kill() {
      process.kill(-child!.pid!, 'SIGKILL');
      await exited;
      await waitFor(() => readControllerFile(dataDir) === null, 10_000, 'the killed controller is still alive');
    },
    async restart() {
      restarted = await startKiosk(loadConfig({ KIOSK_DATA_DIR: dataDir, KIOSK_PORT: '0', KIOSK_PRINTER_TIME_SCALE: '0.01', KIOSK_SIMULATE: '1' }));
      return restarted;
    },
    async cleanUp() {
      if (child?.pid && child.exitCode === null && child.signalCode === null) process.kill(-child.pid, 'SIGKILL');
      await restarted?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
