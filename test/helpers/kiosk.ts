import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { expect, onTestFailed } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { Clock } from '../../shared/clock';
import type { ApplicationForm, DevCommand, JobStage, JobView } from '../../shared/contract/kiosk-api';
import { loadConfig, type KioskConfig } from '../../kiosk/controller/config';
import { defaultStoreFile } from '../../kiosk/controller/store/cli-options';
import { openStore } from '../../kiosk/controller/store/store';
import { sharedUiBuild } from './shared-ui';
import { startKiosk, type RunningKiosk } from '../../kiosk/controller/main';

/** Where the end-to-end tests leave their screenshots (copies of the good ones go to docs/screens). */
const screenshotDir = join(process.cwd(), 'var', 'screens');

/** The page as it looks now, saved as var/screens/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: join(screenshotDir, `${name}.png`) });
}

/** A whole kiosk on simulated devices (asked for, as npm start does), in a temporary data directory of its own. */
export interface TestKiosk {
  readonly kiosk: RunningKiosk;
  readonly dataDir: string;
  /** Stops the kiosk and removes its data directory and UI build. */
  stop(): Promise<void>;
  /** Call inside a test: if it fails, print the kiosk's last log lines and where its flows stood. */
  reportOnFailure(): void;
}

/** How many of the kiosk's last log lines a failed test prints (the log holds no personal data). */
const failureLogLines = 80;

export interface TestKioskOptions {
  /** `KIOSK_*` settings over the test defaults (any free port, the fast simulated printer). */
  readonly env?: Readonly<Record<string, string>>;
  /** Serve the UI built for this test run (test/helpers/shared-ui.ts), never racing another test over kiosk/ui/dist. */
  readonly ownUi?: boolean;
  /** The kiosk.config.json to start with (settings the variables do not take, e.g. `timings`). */
  readonly file?: Readonly<Record<string, unknown>>;
  /**
   * The service session open when the kiosk starts (no card is made without one): opened in its store
   * before the start, with plenty of blanks by default; `false` starts with none open.
   */
  readonly session?: false | { readonly blanks: { readonly easycard: number; readonly ipass: number } };
  /** The kiosk's calendar (its store, ledger and screens): the system clock by default. */
  readonly clock?: Clock;
}

/** Enough blanks for any test that is not about the stock. */
const plentyOfBlanks = { easycard: 200, ipass: 200 } as const;

export async function startTestKiosk(name: string, options: TestKioskOptions = {}): Promise<TestKiosk> {
  const dataDir = mkdtempSync(join(tmpdir(), `kiosk-${name}-`));
  const cleanup = (): void => {
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const uiDir = options.ownUi ? await sharedUiBuild() : undefined;
    if (options.file) writeFileSync(join(dataDir, 'kiosk.config.json'), JSON.stringify(options.file));
    const config = loadConfig({ KIOSK_SIMULATE: '1', KIOSK_PORT: '0', KIOSK_PRINTER_TIME_SCALE: '0.01', ...options.env, KIOSK_DATA_DIR: dataDir });
    if (options.session !== false) await openSessionBefore(config, options.session?.blanks ?? plentyOfBlanks);
    const kiosk = await startKiosk(config, { ...(uiDir ? { uiDir } : {}), ...(options.clock ? { clock: options.clock } : {}) });
    return {
      kiosk,
      dataDir,
      async stop() {
        await kiosk.stop();
        cleanup();
      },
      reportOnFailure() {
        onTestFailed(() => {
          const log = readLogTail(join(dataDir, 'logs', 'kiosk.jsonl'), failureLogLines);
          const { screen, mode, selfService, session, outOfService, devices, printQueue } = kiosk.controller.snapshot();
          // The queue by ticket, stage and error only: nothing of an applicant.
          const queue = { paused: printQueue.paused, jobs: printQueue.jobs.map(({ ticket, stage, completed, error }) => ({ ticket, stage, completed, error })) };
          const state = JSON.stringify({ screen, mode, selfService, session, outOfService, devices, queue });
          console.error(`kiosk ${name} at the failure: ${state}\nits last ${failureLogLines} log lines:\n${log}`);
        });
      },
    };
  } catch (error) {
    cleanup();
    throw error;
  }
}

/** Opens a service session in the kiosk's store before the kiosk starts (the kiosk loads it at its start). */
export async function openSessionBefore(config: KioskConfig, blanks: { readonly easycard: number; readonly ipass: number }): Promise<void> {
  const opened = await openStore({ path: join(config.dataDir, defaultStoreFile), keyFile: config.keyFile, kioskId: config.kioskId, kioskNumber: config.kioskNumber, auditOpen: false });
  if (!opened.ok) throw new Error(`the test session's store could not be opened: ${opened.error.kind}`);
  try {
    const session = await opened.value.sessions.open({ site: 'test site', mode: 'office-counter', blanks, operatorId: null, ribbonPrintsLeft: null });
    if (!session.ok) throw new Error(`the test session could not be opened: ${session.error.kind}`);
  } finally {
    await opened.value.close();
  }
}

function readLogTail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch (error) {
    return `(no log: ${(error as Error).message})`;
  }
}

/** A PIN typed on the screen's keypad as staff do (in `scope`: the page, or the approval dialog), then 確定. */
export async function typePin(scope: Page | Locator, pin: string): Promise<void> {
  for (const digit of pin) await scope.locator('.pin-keys button', { hasText: new RegExp(`^${digit}$`) }).click();
  await scope.getByRole('button', { name: '確定' }).click();
}

/** A dev-panel command the simulated world must take. */
export async function devOk(kiosk: RunningKiosk, command: DevCommand): Promise<void> {
  expect(await kiosk.world!.dev(command)).toEqual({ accepted: true });
}

/** Staff sign-in as at the counter: the demo staff card on the counter reader, then its PIN. */
export async function signInAt(kiosk: RunningKiosk, kind: 'staff' | 'supervisor' | 'technician', pin: string): Promise<void> {
  await devOk(kiosk, { type: 'place-card', kind });
  await waitFor(() => kiosk.controller.snapshot().session.state === 'pin', 10_000, `the ${kind} card was not read`);
  expect(await kiosk.controller.command({ type: 'enter-pin', pin })).toEqual({ accepted: true });
}

/** The resident permit fixture's holder (feed-document residentPermitTaiwan). */
export const residentPermitHolderId = 'H900001234';

/** What an application left on the review screen: the applicant as scanned, and the card face's URL. */
export interface ReviewedApplication {
  readonly name: string;
  readonly form: ApplicationForm;
  readonly previewUrl: string;
}

/**
 * With staff signed in, an application for a general card for the resident permit's holder through
 * the controller's own commands (scan, form, photo), up to the review with its card face made.
 */
export async function applyForCard(kiosk: RunningKiosk): Promise<ReviewedApplication> {
  expect(await kiosk.controller.command({ type: 'start-application' })).toEqual({ accepted: true });
  await devOk(kiosk, { type: 'feed-document', fixture: 'residentPermitTaiwan' });
  await waitFor(() => kiosk.controller.snapshot().application.form.idNumber === residentPermitHolderId, 10_000, 'the scanned document never filled the form');
  await kiosk.controller.command({ type: 'update-application', fields: { district: '中壢區', cardType: 'general' } });
  await waitFor(() => kiosk.controller.snapshot().application.problems.length === 0, 10_000, 'the application kept its problems');
  expect(await kiosk.controller.command({ type: 'submit-application' })).toEqual({ accepted: true });
  // The applicant's portrait, which passes the photo gate.
  const photo = readFileSync(join(process.cwd(), 'test/fixtures/photos/applicant.jpg')).toString('base64');
  expect(await kiosk.controller.command({ type: 'capture-photo', jpegBase64: photo })).toEqual({ accepted: true });
  await waitFor(() => kiosk.controller.snapshot().previewUrl !== null, 30_000, 'the photo did not pass or no preview was rendered');
  const { application, previewUrl } = kiosk.controller.snapshot();
  return { name: application.form.name, form: application.form, previewUrl: previewUrl ?? '' };
}

/** A print confirmed: its card job in the queue (the screen is home again, free for the next applicant). */
export interface QueuedCard {
  readonly name: string;
  readonly jobId: string;
  readonly ticket: number;
}

/** The review confirmed: the card joins the print queue as a job of its own, and the screen goes home. */
export async function confirmPrint(kiosk: RunningKiosk): Promise<Pick<QueuedCard, 'jobId' | 'ticket'>> {
  const before = new Set(kiosk.controller.snapshot().printQueue.jobs.map((job) => job.jobId));
  expect(await kiosk.controller.command({ type: 'confirm-print' })).toEqual({ accepted: true });
  const after = kiosk.controller.snapshot();
  expect(after.screen).toBe('home');
  const queued = after.printQueue.jobs.filter((job) => !before.has(job.jobId));
  expect(queued).toHaveLength(1);
  return { jobId: queued[0]!.jobId, ticket: queued[0]!.ticket };
}

/** With staff signed in, a general card for the resident permit's holder applied for and sent to the print queue. */
export async function applyAndPrint(kiosk: RunningKiosk): Promise<QueuedCard> {
  const { name } = await applyForCard(kiosk);
  return { name, ...(await confirmPrint(kiosk)) };
}

/** The print queue's view of a job, as whoever is signed in sees it; undefined once it has left the queue. */
export function jobIn(kiosk: RunningKiosk, jobId: string): JobView | undefined {
  return kiosk.controller.snapshot().printQueue.jobs.find((job) => job.jobId === jobId);
}

/** Waits for a job to reach `stage`; fails at once if it fails instead (unless a failure is awaited) or leaves the queue. */
export async function jobReaches(kiosk: RunningKiosk, jobId: string, stage: JobStage, timeoutMs: number): Promise<JobView> {
  let seen: JobView | undefined;
  await waitFor(() => {
    seen = jobIn(kiosk, jobId);
    if (seen?.stage === stage) return true;
    if (!seen) throw new Error(`job ${jobId} left the queue before it was ${stage}`);
    if (seen.stage === 'failed' && stage !== 'failed' && stage !== 'parked') throw new Error(`job ${jobId} failed (${seen.error?.kind ?? 'no error'}) instead of being ${stage}`);
    return false;
  }, timeoutMs, `job ${jobId} did not reach ${stage} in time`);
  return seen!;
}
