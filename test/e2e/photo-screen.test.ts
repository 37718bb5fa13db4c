import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { messages } from '../../shared/i18n/messages';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { devOk, residentPermitHolderId, screenshot, signInAt, startTestKiosk, typePin, type TestKiosk } from '../helpers/kiosk';

/**
 * The photo screen in Chromium against a whole kiosk. The browser's own fake camera shows no face, so
 * the live verdict never passes (no countdown) and a capture fails: the failed checks are listed once,
 * axe finds nothing serious, and a photo file goes in only with a reason and a supervisor's card and PIN.
 */

// The page side of `page.evaluate` callbacks (this project compiles tests without the DOM lib).
interface AxeResult { violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: string[] }> }> }
declare const axe: { run(context: unknown, options: unknown): Promise<AxeResult> };
declare const document: unknown;

/** axe's serious and critical findings on the page as it is now: rule id and where. */
async function seriousFindings(page: Page): Promise<string[]> {
  // The kiosk's CSP refuses inline scripts (page.addScriptTag): evaluated over the DevTools protocol instead.
  if (!(await page.evaluate(() => typeof axe !== 'undefined'))) await page.evaluate(readFileSync(join(process.cwd(), 'node_modules/axe-core/axe.min.js'), 'utf8'));
  const result = await page.evaluate(() => axe.run(document, { resultTypes: ['violations'] }));
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
}

/** Every visible button of the photo screen smaller than 48 × 48 px: its text and size (the header is the display branch's). */
async function smallButtons(page: Page): Promise<string[]> {
  const small: string[] = [];
  for (const button of await page.locator('[data-screen="photo"] button:visible').all()) {
    const box = await button.boundingBox();
    if (box !== null && (box.width < 48 || box.height < 48)) small.push(`${(await button.innerText()).trim()} ${box.width}×${box.height}`);
  }
  return small;
}

describe('the photo screen', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    running = await startTestKiosk('photo-screen');
    kiosk = running.kiosk;
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  it('lists a failed capture once with advice, passes axe, and imports a file only with a reason and a supervisor', { timeout: 180_000 }, async () => {
    running.reportOnFailure();
    await page.goto(kiosk.urlWithToken);
    await signInAt(kiosk, 'staff', '271828');
    await page.locator('[data-screen="home"]').waitFor({ timeout: 10_000 });
    expect(await kiosk.controller.command({ type: 'start-application' })).toEqual({ accepted: true });
    await devOk(kiosk, { type: 'feed-document', fixture: 'residentPermitTaiwan' });
    await waitFor(() => kiosk.controller.snapshot().application.form.idNumber === residentPermitHolderId, 10_000, 'the scanned document never filled the form');
    await kiosk.controller.command({ type: 'update-application', fields: { district: '中壢區', cardType: 'general' } });
    await waitFor(() => kiosk.controller.snapshot().application.problems.length === 0, 10_000, 'the application kept its problems');
    expect(await kiosk.controller.command({ type: 'submit-application' })).toEqual({ accepted: true });

    // The live verdict on a frame without a face: advice over the preview, no countdown.
    await page.locator('[data-screen="photo"] [data-camera="live"]').waitFor({ timeout: 10_000 });
    await page.locator('[data-testid="photo-advice"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('photo-capture').isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('photo-countdown').count()).toBe(0);

    // The preview: larger than the old 480 px high box, centred in the column left of the operator's.
    const layout = (await page.locator('.photo-layout').boundingBox())!;
    const side = (await page.locator('.photo-side h2').boundingBox())!;
    const preview = (await page.locator('.photo-preview').boundingBox())!;
    expect(preview.height).toBeGreaterThanOrEqual(500);
    const columnGap = 25; // 1.25rem
    expect(Math.abs(preview.x + preview.width / 2 - (layout.x + (side.x - columnGap - layout.x) / 2))).toBeLessThanOrEqual(2);
    // The capture button and the way back on the panel without scrolling.
    for (const button of [page.getByTestId('photo-capture'), page.getByRole('button', { name: '取消' })]) {
      const box = (await button.boundingBox())!;
      expect(box.y + box.height).toBeLessThanOrEqual(800);
    }
    await screenshot(page, 'photo-live');
    expect(await seriousFindings(page)).toEqual([]);
    expect(await smallButtons(page)).toEqual([]);

    // One failed capture: the missing face once (not once per unmeasured check), with its advice.
    await page.getByTestId('photo-capture').click();
    const checks = page.getByTestId('photo-checks');
    await checks.waitFor({ timeout: 30_000 });
    expect(kiosk.controller.snapshot().photo.checks.filter((check) => !check.passed).length).toBeGreaterThan(1);
    expect(await checks.locator('li').count()).toBe(1);
    expect(await checks.locator('li').innerText()).toContain(messages['zh-TW'].photoAdviceNoFace);
    expect(await page.getByText('需要先偵測到一張臉').count()).toBe(0);
    const cancel = (await page.getByRole('button', { name: '取消' }).boundingBox())!;
    expect(cancel.y + cancel.height).toBeLessThanOrEqual(800);
    await screenshot(page, 'photo-failed');
    expect(await seriousFindings(page)).toEqual([]);

    // A photo file: its reason first, then a supervisor's card and PIN; nothing is judged before that.
    await page.getByTestId('photo-import').click();
    await page.locator('input[name="importReason"]').fill('camera lens cracked');
    expect(await seriousFindings(page)).toEqual([]);
    expect(await smallButtons(page)).toEqual([]);
    await page.getByTestId('photo-file').setInputFiles(join(process.cwd(), 'test/fixtures/photos/astronaut.png'));
    const approval = page.getByRole('dialog', { name: '需要督導核准' });
    await approval.waitFor({ timeout: 10_000 });
    expect(kiosk.controller.snapshot().photo.attempts).toBe(1);
    await devOk(kiosk, { type: 'place-card', kind: 'supervisor' });
    await approval.locator('.pin-pad').waitFor({ timeout: 10_000 });
    await typePin(approval, '314159');
    // The loosely framed portrait passes on its ID-photo crop: the review follows.
    await page.locator('[data-screen="review"]').waitFor({ timeout: 30_000 });
    expect(kiosk.controller.snapshot().photo.attempts).toBe(2);
    const supervisor = (await kiosk.store.operators.list()).find((operator) => operator.role === 'supervisor');
    const imports = (await kiosk.store.readAudit()).filter((entry) => entry.eventId === 'issuance-photo-import');
    expect(imports.map((entry) => entry.details)).toEqual([{ reason: 'camera lens cracked', approvedBy: supervisor?.id }]);
  });
});
