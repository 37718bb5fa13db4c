import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { screenshot, signInAt, startTestKiosk, type TestKiosk } from '../helpers/kiosk';
import { issuance, person } from '../kiosk/controller/store/temp-store';

/**
 * A nursing-home list in Chromium: the sample file is picked on the home screen, its three bad rows are
 * listed by row and column, nothing is imported until the supervisor imports the 17 clean rows, and
 * "Serve" opens the application with the resident's data filled in.
 */
describe('a nursing-home list on the screen', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    running = await startTestKiosk('batch', { ownUi: true });
    kiosk = running.kiosk;
    // 曾阿招 (row 18) holds a senior card from an earlier visit: her row must give a replacement cause.
    expect((await kiosk.store.recordIssuance(issuance({ applicant: { ...person, idNumber: 'H220877150' }, cardNumber: '3300011100000028' }))).ok).toBe(true);
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  it('lists the problems per row, imports the clean rows on the supervisor\'s say-so, and serves a resident', async () => {
    running.reportOnFailure();
    await page.goto(kiosk.urlWithToken);
    await page.locator('[data-session="signed-out"]').waitFor({ timeout: 15_000 });
    await signInAt(kiosk, 'supervisor', '314159');
    const form = page.locator('[data-testid="batch-import-form"]');
    await form.waitFor({ timeout: 15_000 });
    await form.locator('input[name="batch-label"]').fill('康寧長照中心 12月');
    await form.locator('input[name="batch-file"]').setInputFiles(join(process.cwd(), 'docs/samples/nursing-home-batch.csv'));
    await form.locator('[data-action="import-batch"]').click();

    const report = page.locator('[data-testid="batch-import-report"][data-imported="false"]');
    await report.waitFor({ timeout: 15_000 });
    const rows = report.locator('tr[data-problem-row]');
    const problems: (string | null)[][] = [];
    for (let i = 0; i < (await rows.count()); i++) problems.push([await rows.nth(i).getAttribute('data-problem-row'), await rows.nth(i).getAttribute('data-problem-column')]);
    expect(problems).toEqual([['7', 'id_number'], ['13', 'card_type'], ['18', 'replacement_cause']]);
    expect(await kiosk.store.batches.list()).toEqual([]);
    await screenshot(page, 'batch-import-problems');

    await report.locator('[data-action="import-batch-clean-rows"]').click();
    await page.locator('[data-testid="batch-import-report"][data-imported="true"]').waitFor({ timeout: 15_000 });
    const list = page.locator('[data-testid="batch-list"]');
    await waitFor(async () => (await list.locator('li[data-row-status="waiting"]').count()) === 17, 15_000, 'the 17 clean rows are not listed');
    await list.scrollIntoViewIfNeeded();
    await screenshot(page, 'batch-list');

    const first = list.locator('li[data-row-status="waiting"]').first();
    await first.locator('[data-action="pick-batch-row"]').click();
    await page.locator('[data-screen="application"]').waitFor({ timeout: 15_000 });
    await waitFor(async () => (await page.locator('input[name="idNumber"]').inputValue()) === 'H120345615', 15_000, 'the form was not filled from the row');
    expect(await page.locator('input[name="nameZh"]').inputValue()).toBe('陳阿金');
    expect(kiosk.controller.snapshot().batch?.current?.rows[0]).toMatchObject({ room: '201-1', status: 'in-progress' });
  }, 120_000);
});
