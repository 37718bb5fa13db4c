import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { devOk, screenshot, startTestKiosk, typePin, type TestKiosk } from '../helpers/kiosk';

/**
 * The application in one glance on the kiosk's own panel (1280 × 800): after a Taiwan ID or a
 * resident permit is scanned, the whole page (header, session bar, the print queue beside it) fits
 * without scrolling and Next is on screen; Cancel asks before it discards.
 */

const panel = { width: 1280, height: 800 };

describe('the application page at 1280 × 800', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    running = await startTestKiosk('application-layout');
    kiosk = running.kiosk;
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.setViewportSize(panel);
    await page.goto(kiosk.urlWithToken);
    await page.locator('[data-screen="sign-in"] [data-session="signed-out"]').waitFor();
    await devOk(kiosk, { type: 'place-card', kind: 'staff' });
    await page.locator('.pin-pad').waitFor({ timeout: 10_000 });
    await typePin(page, '271828');
    await page.locator('[data-screen="home"]').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  /** The page's height, and where Next is, as the operator sees them. */
  const measure = async () =>
    page.evaluate(() => {
      const next = document.querySelector('[data-action="next"]')?.getBoundingClientRect();
      return {
        pageHeight: document.documentElement.scrollHeight,
        pageWidth: document.documentElement.scrollWidth,
        nextBottom: next ? next.bottom : Number.POSITIVE_INFINITY,
        nextHeight: next ? next.height : 0,
      };
    });

  const startApplication = async (): Promise<void> => {
    await page.getByRole('button', { name: /新申辦/ }).click();
    await page.locator('[data-screen="application"]').waitFor();
  };

  const discard = async (): Promise<void> => {
    await page.locator('[data-action="cancel"]').click();
    await page.locator('[data-testid="confirm-discard"]').waitFor({ timeout: 10_000 });
    await page.locator('[data-action="confirm-discard"]').click();
    await page.locator('[data-screen="home"]').waitFor({ timeout: 10_000 });
  };

  it('fits a scanned Taiwan ID without scrolling, Next on screen', { timeout: 120_000 }, async () => {
    await startApplication();
    await devOk(kiosk, { type: 'feed-taiwan-id', idNumber: 'A123456789' });
    await expect.poll(() => page.locator('input[name="idNumber"]').inputValue(), { timeout: 10_000 }).toBe('A123456789');
    await page.locator('input[name="idNumber"][readonly]').waitFor();
    const layout = await measure();
    await screenshot(page, 'application-taiwan-id-1280x800');
    expect(layout.pageHeight, JSON.stringify(layout)).toBeLessThanOrEqual(panel.height);
    expect(layout.pageWidth).toBeLessThanOrEqual(panel.width);
    expect(layout.nextBottom).toBeLessThanOrEqual(panel.height);
    expect(layout.nextHeight).toBeGreaterThanOrEqual(48);
    // The problems are at their fields: the birth date still to type says so beside it.
    expect(await page.locator('[data-field="birthDate"] .field-problem').count()).toBe(1);
    await discard();
  });

  it('fits a scanned resident permit: the long romanised name whole, the Chinese name says why it is empty', { timeout: 120_000 }, async () => {
    await startApplication();
    await devOk(kiosk, { type: 'feed-document', fixture: 'residentPermitTaiwan' });
    await expect.poll(() => page.locator('input[name="idNumber"]').inputValue(), { timeout: 10_000 }).toBe('H900001234');
    await page.locator('select[name="district"]').selectOption('中壢區');
    await expect.poll(() => page.locator('[data-card-type="general"] input').isChecked(), { timeout: 10_000 }).toBe(true);
    const layout = await measure();
    await screenshot(page, 'application-resident-permit-1280x800');
    expect(layout.pageHeight, JSON.stringify(layout)).toBeLessThanOrEqual(panel.height);
    expect(layout.pageWidth).toBeLessThanOrEqual(panel.width);
    expect(layout.nextBottom).toBeLessThanOrEqual(panel.height);
    // The name is shown whole: its box is as wide as its text.
    const name = page.locator('[data-field="name"] input');
    expect(await name.inputValue()).toBe('NGUYEN THI THU HUONG');
    expect(await name.evaluate((input) => input.scrollWidth <= input.clientWidth)).toBe(true);
    expect(await page.locator('[data-field="nameZh"] [data-testid="name-zh-why"]').count()).toBe(1);
    // No value the scanner read is cut off in its box.
    const cut = await page.$$eval('.app-grid input[type="text"], .app-grid input:not([type])', (inputs) =>
      inputs.filter((input) => input.scrollWidth > input.clientWidth).map((input) => (input as HTMLInputElement).name));
    expect(cut).toEqual([]);
    // A scanned field is read-only until the operator taps to correct it.
    await page.locator('[data-field="name"] [data-action="correct"]').click();
    expect(await name.getAttribute('readonly')).toBeNull();
    await discard();
  });
});
