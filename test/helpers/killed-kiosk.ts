import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sqlite3 from 'sqlite3';
import { expect } from 'vitest';
import type { KioskSnapshot } from '../../shared/contract/kiosk-api';
import { taiwanIdCheckDigit } from '../../shared/identity/taiwan-id';
import { waitFor } from '../../hardware/host/child-processes';

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
