import { join } from 'node:path';
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

/** An input's text width against its box (the root tsconfig has no DOM types). */
interface Clipped {
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly name: string;
}

describe('the application page at 1280 × 800', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    running = await startTestKiosk('application-layout');
    kiosk = running.kiosk;
    browser = await launchChromium({ fakeVideo: join(process.cwd(), 'test/fixtures/photos/applicant.y4m') });
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
      type Box = { bottom: number; height: number };
      const { document } = globalThis as unknown as {
        document: { documentElement: { scrollHeight: number; scrollWidth: number }; querySelector(selector: string): { getBoundingClientRect(): Box } | null };
      };
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
    expect(await name.evaluate((input) => (input as unknown as Clipped).scrollWidth <= (input as unknown as Clipped).clientWidth)).toBe(true);
    expect(await page.locator('[data-field="nameZh"] [data-testid="name-zh-why"]').count()).toBe(1);
    // No value the scanner read is cut off in its box.
    const cut = await page.$$eval('.app-grid input[type="text"], .app-grid input:not([type])', (inputs) =>
      inputs.map((input) => input as unknown as Clipped).filter((input) => input.scrollWidth > input.clientWidth).map((input) => input.name));
    expect(cut).toEqual([]);
    // In the other languages (longer words, the same panel).
    for (const language of ['English', 'Tiếng Việt', 'Bahasa Indonesia', '中文']) {
      await page.getByRole('button', { name: language, exact: true }).click();
      const inLanguage = await measure();
      await screenshot(page, `application-resident-permit-${language.replace(/\s/g, '-')}`);
      console.log(`application page in ${language}: ${JSON.stringify(inLanguage)}`);
      // Next is on screen in every language (the bar sticks); the whole page fits in the counter's own language.
      expect(inLanguage.nextBottom, language).toBeLessThanOrEqual(panel.height);
      if (language === '中文') expect(inLanguage.pageHeight, `${language}: ${JSON.stringify(inLanguage)}`).toBeLessThanOrEqual(panel.height);
      expect(inLanguage.pageWidth, language).toBeLessThanOrEqual(panel.width);
    }
    // A scanned field is read-only until the operator taps to correct it.
    await page.locator('[data-field="name"] [data-action="correct"]').click();
    expect(await name.getAttribute('readonly')).toBeNull();

    // On to the photo and the review: the review fits too, Print in view.
    await page.locator('[data-action="next"]').click();
    await page.locator('[data-screen="review"] img.card-preview').waitFor({ timeout: 60_000 });
    const review = await page.evaluate(() => {
      const { document } = globalThis as unknown as { document: { documentElement: { scrollHeight: number }; querySelector(selector: string): { getBoundingClientRect(): { bottom: number } } | null } };
      return { pageHeight: document.documentElement.scrollHeight, printBottom: document.querySelector('[data-action="print"]')?.getBoundingClientRect().bottom ?? Infinity };
    });
    await screenshot(page, 'review-1280x800');
    expect(review.pageHeight, JSON.stringify(review)).toBeLessThanOrEqual(panel.height);
    expect(review.printBottom).toBeLessThanOrEqual(panel.height);

    // Back keeps the photo: the photo screen offers it again, and the review comes back without a new attempt.
    await page.locator('[data-action="back"]').click();
    await page.locator('[data-screen="photo"] [data-action="use-photo"]').click({ timeout: 15_000 });
    await page.locator('[data-screen="review"] img.card-preview').waitFor({ timeout: 30_000 });
    expect(kiosk.controller.snapshot().photo.attempts).toBe(1);

    // Cancel asks; "keep" leaves the review as it was; the second tap discards.
    await page.locator('[data-action="cancel"]').click();
    await page.locator('[data-action="keep-application"]').click();
    await page.locator('[data-testid="confirm-discard"]').waitFor({ state: 'detached', timeout: 10_000 });
    expect(kiosk.controller.screen()).toBe('review');
    await discard();
    await expect.poll(() => kiosk.controller.snapshot().application.form.name, { timeout: 10_000 }).toBe('');
  });
});
