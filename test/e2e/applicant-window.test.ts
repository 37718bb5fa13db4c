import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { messages } from '../../shared/i18n/messages';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { confirmPrint, devOk, jobReaches, residentPermitHolderId, screenshot, signInAt, startTestKiosk, type TestKiosk } from '../helpers/kiosk';

/**
 * The applicant's own window (`#applicant`) beside the operator's screen, in one browser, following
 * the same kiosk: neutral with nobody signed in; the applicant's language chosen on their window (and
 * shown, and changeable, on the operator's); "look at the camera" at the photo; on review their details
 * with the ID number masked and both sides of the card; their card's progress and "take your card".
 */

describe("the applicant's window, end to end", () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let operator: Page;
  let applicant: Page;

  beforeAll(async () => {
    running = await startTestKiosk('applicant-window');
    kiosk = running.kiosk;
    browser = await launchChromium();
    operator = await browser.context.newPage();
    applicant = await browser.context.newPage();
    await applicant.setViewportSize({ width: 1280, height: 800 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  const stageOf = (page: Page) => page.locator('[data-testid="applicant-window"]').getAttribute('data-applicant-stage');
  const heading = async (): Promise<string> => ((await applicant.locator('.applicant-main h1').first().textContent()) ?? '').trim();

  it('shows the applicant their own details and card, in their language, and nothing of staff', { timeout: 180_000 }, async () => {
    running.reportOnFailure();
    await operator.goto(kiosk.urlWithToken);
    await applicant.goto(`${kiosk.urlWithToken}#applicant`);
    // Nobody signed in: a neutral screen, with no control at all.
    await applicant.locator('[data-applicant-stage="neutral"]').waitFor({ timeout: 15_000 });
    expect(await applicant.locator('button').count()).toBe(0);

    await signInAt(kiosk, 'staff', '271828');
    await operator.locator('[data-screen="home"]').waitFor({ timeout: 15_000 });
    await expect.poll(() => stageOf(applicant), { timeout: 10_000 }).toBe('welcome');
    expect(await heading()).toBe(messages['zh-TW'].applicantWelcomeTitle);

    // The applicant picks Vietnamese on their window: both windows show it.
    await applicant.locator('[data-testid="applicant-languages"] button[data-language="vi"]').click();
    await expect.poll(heading, { timeout: 10_000 }).toBe(messages.vi.applicantWelcomeTitle);
    expect(await applicant.locator('html').getAttribute('lang')).toBe('vi');
    await expect
      .poll(() => operator.locator('[data-testid="operator-applicant-language"] button[aria-pressed="true"]').getAttribute('data-language'), { timeout: 10_000 })
      .toBe('vi');

    // The application and the photo, on the operator's side (scanner, form, camera).
    expect(await kiosk.controller.command({ type: 'start-application' })).toEqual({ accepted: true });
    await expect.poll(heading, { timeout: 10_000 }).toBe(messages.vi.applicantApplicationTitle);
    await devOk(kiosk, { type: 'feed-document', fixture: 'residentPermitTaiwan' });
    await waitFor(() => kiosk.controller.snapshot().application.form.idNumber === residentPermitHolderId, 10_000, 'the scanned document never filled the form');
    await kiosk.controller.command({ type: 'update-application', fields: { district: '中壢區', cardType: 'general' } });
    await waitFor(() => kiosk.controller.snapshot().application.problems.length === 0, 10_000, 'the application kept its problems');
    expect(await kiosk.controller.command({ type: 'submit-application' })).toEqual({ accepted: true });
    await expect.poll(heading, { timeout: 10_000 }).toBe(messages.vi.applicantPhotoTitle);
    await applicant.locator('[data-prompt="applicant-photo"]').waitFor();
    await screenshot(applicant, 'applicant-photo');
    const photo = readFileSync(join(process.cwd(), 'test/fixtures/photos/applicant.jpg')).toString('base64');
    expect(await kiosk.controller.command({ type: 'capture-photo', jpegBase64: photo })).toEqual({ accepted: true });
    await waitFor(() => kiosk.controller.snapshot().previewUrl !== null, 30_000, 'the photo did not pass or no preview was rendered');
    const { form } = kiosk.controller.snapshot().application;

    // Review on the operator's screen; on the applicant's: their details, the ID masked, both card sides.
    await operator.locator('[data-screen="review"] img.card-preview').waitFor({ timeout: 15_000 });
    await expect.poll(() => stageOf(applicant), { timeout: 10_000 }).toBe('review');
    const details = applicant.locator('[data-testid="applicant-details"]');
    expect(await details.locator('[data-field="idNumber"]').textContent()).toBe('H90*****34');
    expect(await details.locator('[data-field="name"]').textContent()).toContain(form.name);
    expect(await details.locator('[data-field="birthDate"]').textContent()).toBe(form.birthDate);
    expect(await details.locator('[data-field="cardType"]').textContent()).toBe(messages.vi.cardgeneral);
    expect(await details.locator('[data-field="fee"]').textContent()).toBe(messages.vi.applicantFeeNone);
    for (const side of ['front', 'back']) {
      const image = applicant.locator(`.applicant-card-sides img[data-side="${side}"]`);
      await expect.poll(() => image.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 15_000 }).toBe(1016);
    }
    // Two different pictures: the back is its own render, not the front again.
    const sides = await Promise.all(['front', 'back'].map(async (side) => {
      const src = await applicant.locator(`img[data-side="${side}"]`).getAttribute('src');
      const response = await fetch(`${kiosk.url}${src ?? ''}`);
      expect(response.headers.get('content-type')).toBe('image/png');
      return Buffer.from(await response.arrayBuffer());
    }));
    expect(sides[0]?.equals(sides[1] ?? Buffer.alloc(0))).toBe(false);
    await screenshot(applicant, 'applicant-review');
    // Nothing the applicant should not see: the full ID, the operator, the queue, the staff's controls.
    const seen = (await applicant.locator('body').textContent()) ?? '';
    expect(seen).not.toContain(residentPermitHolderId);
    expect(seen).not.toContain('Demo Operator');
    expect(await applicant.locator('[data-testid="print-queue"], [data-testid="operator-name"], .devices').count()).toBe(0);
    expect(await applicant.locator('button').evaluateAll((buttons) => buttons.map((button) => (button as unknown as { dataset: Record<string, string> }).dataset['language']))).toEqual(['zh-TW', 'en', 'vi', 'id']);

    // The operator changes the language for them (their screen shows it): the applicant's window follows.
    await operator.locator('[data-testid="operator-applicant-language"] button[data-language="id"]').click();
    await expect.poll(heading, { timeout: 10_000 }).toBe(messages.id.applicantReviewTitle);
    expect(await details.locator('[data-field="cardType"]').textContent()).toBe(messages.id.cardgeneral);

    // Confirmed: the operator's screen is free for the next applicant; this one follows their card to "take your card".
    const { jobId } = await confirmPrint(kiosk);
    await operator.locator('[data-screen="home"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => stageOf(applicant), { timeout: 10_000 }).toBe('card');
    await jobReaches(kiosk, jobId, 'ready', 90_000);
    await applicant.locator('[data-testid="applicant-take-card"]').waitFor({ timeout: 10_000 });
    expect(await heading()).toBe(messages.id.applicantReadyTitle);
    await screenshot(applicant, 'applicant-take-card');

    // Handed over: the visit is over, the next person is welcomed in Chinese.
    expect(await kiosk.controller.command({ type: 'finish', jobId })).toEqual({ accepted: true });
    await expect.poll(heading, { timeout: 10_000 }).toBe(messages['zh-TW'].applicantWelcomeTitle);

    // Signed out: neutral again.
    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    await applicant.locator('[data-applicant-stage="neutral"]').waitFor({ timeout: 10_000 });
  });
});
