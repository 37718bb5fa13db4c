import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { messages } from '../../shared/i18n/messages';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { devOk, screenshot, signInAt, startTestKiosk, type TestKiosk } from '../helpers/kiosk';

/**
 * What the screen says when something goes wrong between it and the controller, in real Chromium
 * against a whole kiosk on simulated devices: a page opened with a stale token says to open this
 * start's address, a role is not offered what the permission table refuses it, a refused command
 * shows an alert in the screen's language,
 * and a controller that stops puts a "connection lost" banner over the screen.
 */
const zh = messages['zh-TW'];
const en = messages.en;
/** Generous for a loaded 2-core CI machine; each wait ends as soon as the text shows. */
const uiTimeoutMs = 15_000;

describe('the kiosk screen says what went wrong', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    // Its own build of the UI, never racing another test over kiosk/ui/dist.
    running = await startTestKiosk('ui-errors', { ownUi: true });
    kiosk = running.kiosk;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  const shot = (name: string): Promise<void> => screenshot(page, name);

  it('explains a stale token instead of waiting forever', async () => {
    const stale = await browser.context.newPage();
    page = stale;
    await stale.goto(`${kiosk.url}?token=left-over-from-yesterday`);
    const message = stale.locator('[data-link="token-refused"]');
    await message.waitFor({ timeout: uiTimeoutMs });
    expect(await message.getAttribute('role')).toBe('alert');
    expect(await message.textContent()).toBe(zh.connectionTokenRefused);
    await shot('ui-errors-stale-token');
    await stale.close();
  });

  it('says at once when the role may not start an application, and shows a refused command until dismissed', async () => {
    page = await browser.context.newPage();
    await page.goto(kiosk.urlWithToken);
    await page.locator('[data-session="signed-out"]').waitFor({ timeout: uiTimeoutMs });

    // A technician is not offered what the permission table refuses them: the button is off, and says why.
    await signInAt(kiosk, 'technician', '161803');
    const roleNote = page.locator('[data-testid="role-note"]');
    await roleNote.waitFor({ timeout: uiTimeoutMs });
    expect(await roleNote.textContent()).toBe('您的身分（技術人員）無權執行此操作。');
    expect(await page.locator('[data-screen="home"] .big-action').isDisabled()).toBe(true);

    // The door opens; the technician tries to put the kiosk back in service with it still open: refused.
    await devOk(kiosk, { type: 'door', open: true });
    const clearTamper = page.getByRole('button', { name: zh.clearTamper });
    await clearTamper.waitFor({ timeout: uiTimeoutMs });
    await clearTamper.click();
    const alert = page.locator('.command-notice[role="alert"]');
    await alert.waitFor({ timeout: uiTimeoutMs });
    expect(await alert.getAttribute('data-notice')).toBe('refused');
    expect(await alert.textContent()).toContain(zh.commandNotDone);
    expect(await alert.textContent()).toContain(zh.refusalDoorOpen);
    expect(kiosk.controller.snapshot().outOfService).not.toBeNull();
    await shot('ui-errors-refused');

    // The same notice follows the language buttons.
    await page.getByRole('button', { name: 'English', exact: true }).click();
    await page.getByText(en.refusalDoorOpen).waitFor({ timeout: uiTimeoutMs });
    await alert.getByRole('button', { name: en.close }).click();
    await alert.waitFor({ state: 'detached', timeout: uiTimeoutMs });
  });

  it('puts a "connection lost" banner over the screen when the controller stops', async () => {
    expect(await page.locator('.connection-banner').count()).toBe(0);
    await kiosk.stop();
    const banner = page.locator('.connection-banner[role="alert"]');
    await banner.waitFor({ timeout: uiTimeoutMs });
    expect(await banner.textContent()).toBe(en.connectionLost);
    await shot('ui-errors-connection-lost');

    // A tap while the controller is down says it cannot be reached, and nothing rejects unhandled.
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.getByRole('button', { name: en.signOut }).click();
    const unreachable = page.locator('.command-notice[data-notice="unreachable"]');
    await unreachable.waitFor({ timeout: uiTimeoutMs });
    expect(await unreachable.textContent()).toContain(en.commandUnreachable);
    expect(errors).toEqual([]);
  });
});
