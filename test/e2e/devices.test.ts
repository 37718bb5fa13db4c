import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { DevCommand } from '../../shared/contract/kiosk-api';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { applyAndPrint, devOk, jobIn, jobReaches, screenshot, signInAt, startTestKiosk, type TestKiosk } from '../helpers/kiosk';

/**
 * The simulated devices' cables, pulled and plugged back from the dev panel in headless Chromium:
 * the kiosk's snapshot and the device bar show the printer and the ID scanner gone, and back by
 * themselves once plugged in (the drivers reopen the same path). Then one card printed on a slow
 * simulated printer, so that its job in the print queue can be caught printing and photographed for the README.
 */
/**
 * Slow enough that printing (16 s × scale, plus parking the card) stays on screen for seconds, fast
 * enough to keep the test short.
 */
const printerTimeScale = '0.25';

describe('device cables and the print queue, end to end', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    // Its own build of the UI, never racing another test over kiosk/ui/dist.
    running = await startTestKiosk('devices', { ownUi: true, env: { KIOSK_PRINTER_TIME_SCALE: printerTimeScale } });
    kiosk = running.kiosk;
    browser = await launchChromium();
    page = await browser.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  const dev = (command: DevCommand): Promise<void> => devOk(kiosk, command);
  const shot = (name: string): Promise<void> => screenshot(page, name);
  const deviceState = (device: 'printer' | 'scanner' | 'board') => kiosk.controller.snapshot().devices[device].state;
  const bar = (device: 'printer' | 'scanner', state: string) => page.locator(`footer.devices [data-device="${device}"].${state}`);

  it('shows the printer and the scanner unplugged from the dev panel, and back by themselves', { timeout: 60_000 }, async () => {
    await page.goto(`${kiosk.urlWithToken}#dev`);
    await bar('printer', 'connected').waitFor({ timeout: 15_000 });
    await bar('scanner', 'connected').waitFor({ timeout: 15_000 });

    for (const device of ['printer', 'scanner'] as const) {
      await page.locator(`[data-dev="unplug-${device}"]`).click();
      await waitFor(() => deviceState(device) === 'disconnected', 10_000, `the unplugged ${device} was not noticed`);
      await bar(device, 'disconnected').waitFor({ timeout: 10_000 });
      await page.locator(`[data-cable="${device}"][data-plugged="false"]`).waitFor({ timeout: 5_000 });
      await shot(`device-${device}-unplugged`);

      await page.locator(`[data-dev="plug-${device}"]`).click();
      await waitFor(() => deviceState(device) === 'connected', 10_000, `the ${device} did not come back`);
      await bar(device, 'connected').waitFor({ timeout: 10_000 });
    }

    // The I/O board too (from the API, as kioskctl dev does): staffed, so no tamper latch when it comes back.
    await dev({ type: 'cable', device: 'board', plugged: false });
    await waitFor(() => deviceState('board') === 'disconnected', 15_000, 'the unplugged board was not noticed');
    await dev({ type: 'cable', device: 'board', plugged: true });
    await waitFor(() => deviceState('board') === 'connected', 15_000, 'the board did not come back');
  });

  it('prints on the slow printer and the print queue is caught mid-print, counting the seconds', { timeout: 60_000 }, async () => {
    // Close the dev panel (it lives at #dev) so the queue is photographed alone.
    await page.evaluate("window.location.hash = ''");
    await page.locator('.dev-panel').waitFor({ state: 'detached' });
    await signInAt(kiosk, 'staff', '271828');
    const { jobId, ticket } = await applyAndPrint(kiosk);

    await page.locator('[data-screen="home"]').waitFor({ timeout: 10_000 });
    const printing = page.locator(`[data-testid="print-queue"] li[data-job-ticket="${ticket}"][data-job-stage="printing"]`);
    await printing.waitFor({ timeout: 10_000 });
    expect(jobIn(kiosk, jobId)?.stage).toBe('printing');
    // The seconds at the stage count up on the screen between snapshots.
    await expect.poll(async () => Number.parseInt((await printing.locator('.job-seconds').textContent()) ?? '', 10), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    await shot('print-queue-printing');
    await jobReaches(kiosk, jobId, 'ready', 30_000);
    expect(kiosk.world!.printer!.printedCards()).toHaveLength(1);
  });
});
