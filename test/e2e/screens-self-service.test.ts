import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { RunningKiosk } from '../../kiosk/controller/main';
import type { DevCommand, SelfServiceView } from '../../shared/contract/kiosk-api';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { docScreenshot } from '../helpers/doc-screens';
import { devOk, startTestKiosk, type TestKiosk } from '../helpers/kiosk';
import { summariseFindings, writeFindingsReport, type DisplayMode, type Finding } from '../helpers/screen-audit';
import { auditEveryCombination, chooseLocale, chooseMode } from '../helpers/screen-modes';

/**
 * Issue 16's proof for the unattended kiosk: the attract screen, a demo citizen's card tapped (its
 * wallet, points and history), the top-up with a note in, the receipt, and a hot-listed card, each in
 * the 4 languages × normal, large text and high contrast, audited as the staffed screens are
 * (test/helpers/screen-audit.ts). One kiosk for the file; the tests run in order.
 */
describe('every self-service screen, in every language and display mode', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let page: Page;
  const findings: Finding[] = [];

  beforeAll(async () => {
    running = await startTestKiosk('screens-self-service', {
      env: { KIOSK_MODE: 'self-service' },
      // The audits take minutes: nothing clears the screen meanwhile.
      file: { timings: { ownCardShownSeconds: 600, topUpIdleSeconds: 600, topUpDoneShownSeconds: 600, problemShownSeconds: 600 } },
    });
    kiosk = running.kiosk;
    kiosk.world!.validator!.retime({ validationMs: 20, stackingMs: 120, returnMs: 40 });
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.goto(kiosk.urlWithToken);
    await waitFor(() => kiosk.controller.snapshot().devices.board.state === 'connected', 15_000, 'the I/O board did not connect');
  }, 180_000);

  afterAll(async () => {
    writeFindingsReport('self-service', findings);
    await browser?.close();
    await running?.stop();
  });

  const dev = (command: DevCommand): Promise<void> => devOk(kiosk, command);
  const view = (): SelfServiceView | null => kiosk.controller.snapshot().selfService;
  const screen = (state: string) => page.locator(`[data-screen="self-service"] [data-self-service="${state}"]`);
  const audit = async (name: string, ready?: () => Promise<void>): Promise<Finding[]> => {
    const found = await auditEveryCombination(page, name, ready ? { ready } : {});
    findings.push(...found);
    return found;
  };
  const expectClean = (found: readonly Finding[]): void => {
    // The summary as the value compared: one readable line an offence (every combination is in var/screens/a11y-*.json).
    expect(summariseFindings(found), `${found.length} findings`).toBe('');
  };
  const shotIn = async (name: string, mode: DisplayMode, locale: 'zh-TW' | 'vi' = 'zh-TW'): Promise<void> => {
    await chooseMode(page, mode);
    await chooseLocale(page, locale);
    await docScreenshot(page, name);
    await chooseMode(page, 'normal');
    await chooseLocale(page, 'zh-TW');
  };
  /** The state stays as it was audited: a screen that cleared by itself would audit the next one. */
  const stillOn = (state: SelfServiceView['state']) => async (): Promise<void> => {
    if (view()?.state !== state) throw new Error(`the ${state} screen left while it was audited (now ${view()?.state})`);
  };

  it('the attract screen', { timeout: 180_000 }, async () => {
    running.reportOnFailure();
    await screen('ready').waitFor({ timeout: 15_000 });
    const found = await audit('self-service-attract', stillOn('ready'));
    await shotIn('a11y-self-service-attract-high-contrast', 'high-contrast');
    expectClean(found);
  });

  it('a senior\'s own card: wallet, this month\'s points, history', { timeout: 180_000 }, async () => {
    running.reportOnFailure();
    await dev({ type: 'place-card', kind: 'demo-senior' });
    await screen('card').waitFor({ timeout: 15_000 });
    await waitFor(() => { const v = view(); return v?.state === 'card' && v.card.wallet?.topUp.available === true; }, 15_000, 'no top-up offered');
    const found = await audit('self-service-card', stillOn('card'));
    await shotIn('a11y-self-service-card-large-text', 'large-text', 'vi');
    expectClean(found);
  });

  it('the top-up with a note in, then its receipt', { timeout: 240_000 }, async () => {
    running.reportOnFailure();
    const found: Finding[] = [];
    await page.locator('[data-action="top-up-start"]').click();
    await page.locator('[data-self-service="top-up"][data-phase="insert"]').waitFor({ timeout: 10_000 });
    await waitFor(() => kiosk.world?.validator?.state().masterInhibit === false, 10_000, 'the validator was not enabled');
    await dev({ type: 'insert-note', amount: 500 });
    await waitFor(() => { const v = view(); return v?.state === 'top-up' && v.topUp.inserted === 500 && v.topUp.phase === 'insert'; }, 15_000, 'the note was not credited');
    found.push(...(await audit('self-service-top-up', stillOn('top-up'))));

    await page.locator('[data-action="top-up-finish"]').click();
    await screen('top-up-done').waitFor({ timeout: 15_000 });
    found.push(...(await audit('self-service-receipt', stillOn('top-up-done'))));
    await page.locator('[data-action="dismiss-card"]').click();
    await dev({ type: 'remove-card' });
    await screen('ready').waitFor({ timeout: 15_000 });
    expectClean(found);
  });

  it('a hot-listed card: no balance, see the desk', { timeout: 180_000 }, async () => {
    running.reportOnFailure();
    await dev({ type: 'place-card', kind: 'demo-hot-listed' });
    await page.locator('[data-self-service="card"][data-status="hot-listed"]').waitFor({ timeout: 15_000 });
    const found = await audit('self-service-hot-listed', stillOn('card'));
    await dev({ type: 'remove-card' });
    expectClean(found);
  });
});
