import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { DevCommand } from '../../shared/contract/kiosk-api';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { expectAbsentFor, timed } from '../helpers/absence';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { applyAndPrint, devOk, jobReaches, residentPermitHolderId, screenshot, signInAt, startTestKiosk, typePin, type TestKiosk } from '../helpers/kiosk';

/**
 * The unattended kiosk (KIOSK_MODE=self-service) end to end: the React UI in headless Chromium,
 * the controller, a real pcscd with virtual cards on the counter reader, the I/O board over a pty
 * and Firmata. A citizen taps their own card and sees only that card; staff sign in to serve
 * someone and signing out returns to self-service with nothing of that person left; the kiosk
 * closes while the I/O board is away or the door was opened.
 */

describe('self-service kiosk, end to end', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    // Its own build of the UI, never racing another test over kiosk/ui/dist.
    running = await startTestKiosk('self-service', { ownUi: true, env: { KIOSK_MODE: 'self-service' } });
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
  const selfService = (state: string) => page.locator(`[data-screen="self-service"] [data-self-service="${state}"]`);
  /** Nothing of the person staff served may be anywhere in the page, visible or not. */
  const expectNothingOf = async (secrets: readonly string[]): Promise<void> => {
    const html = await page.content();
    const snapshot = JSON.stringify(kiosk.controller.snapshot());
    for (const secret of secrets) {
      expect(html).not.toContain(secret);
      expect(snapshot).not.toContain(secret);
    }
  };

  /** A technician signs in on the closed kiosk, puts it back in service and signs out: self-service again. */
  const technicianClears = async (): Promise<void> => {
    await signInAt(kiosk, 'technician', '161803');
    expect(await kiosk.controller.command({ type: 'clear-tamper' })).toEqual({ accepted: true });
    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
    await dev({ type: 'remove-card' });
    await selfService('ready').waitFor({ timeout: 10_000 });
  };

  it('serves citizens their own card only, unattended', { timeout: 180_000 }, async () => {
    running.reportOnFailure();
    await page.goto(kiosk.urlWithToken);
    await waitFor(() => kiosk.controller.snapshot().devices.board.state === 'connected', 15_000, 'the I/O board did not connect');
    await selfService('ready').waitFor({ timeout: 10_000 });
    // The home's spoken prompt, served by the controller and loaded by the page's audio (readyState ≥ 2: data to play).
    await expect.poll(() => page.evaluate('document.querySelector(\'audio[data-speech="prompt"]\')?.readyState ?? 0'), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await page.evaluate('new URL(document.querySelector(\'audio[data-speech="prompt"]\').currentSrc).pathname')).toBe('/prompts/zh-TW/self-service-ready.wav');
    expect(await page.locator('.other-languages').textContent()).toContain('Vui lòng đặt thẻ');
    await shot('self-service-home');
    // A demo kiosk says so, and a passer-by gets no dev panel: neither its link nor its URL.
    expect(await page.getByTestId('simulated-banner').count()).toBe(1);
    expect(await page.locator('a.dev-link').count()).toBe(0);
    await page.evaluate("window.location.hash = '#dev'");
    await selfService('ready').waitFor({ timeout: 10_000 });
    expect(await page.locator('.dev-panel').count()).toBe(0);
    await page.evaluate("window.location.hash = ''");

    // A phone and a card whose chip does not verify each get a kind message.
    await dev({ type: 'place-card', kind: 'phone' });
    await selfService('problem').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-problem]').getAttribute('data-problem')).toBe('not-a-citizen-card');
    await shot('self-service-phone');
    await dev({ type: 'place-card', kind: 'blank' });
    await page.locator('[data-problem="unreadable"]').waitFor({ timeout: 10_000 });
    await dev({ type: 'remove-card' });
    await selfService('ready').waitFor();

    // Nothing a passer-by can start: applications and staff commands are refused.
    expect(await kiosk.controller.command({ type: 'start-application' })).toMatchObject({ accepted: false });
    expect(await kiosk.controller.command({ type: 'clear-tamper' })).toMatchObject({ accepted: false });

    // Staff sign in with card and PIN on the same screen, issue someone a card, and sign out.
    await dev({ type: 'place-card', kind: 'staff' });
    await page.locator('.pin-pad').waitFor({ timeout: 10_000 });
    await typePin(page, '271828');
    await page.locator('[data-screen="home"] [data-testid="self-service-note"]').waitFor();
    // Staff see the print queue; the unattended screen never did.
    await page.locator('[data-testid="print-queue"]').waitFor();
    await shot('self-service-staff-home');
    const { name, jobId, ticket } = await applyAndPrint(kiosk);
    expect(name).not.toBe('');
    const { cardNumber: issued } = await jobReaches(kiosk, jobId, 'ready', 60_000);
    const cardNumber = issued ?? '';
    expect(cardNumber).toMatch(/^\d{16}$/);
    await page.locator(`li[data-job-ticket="${ticket}"][data-job-stage="ready"] [data-testid="job-card-number"]`).waitFor({ timeout: 10_000 });
    // Signed out with the card still at the exit: its job stays in the queue, with nothing of her in it.
    await page.getByRole('button', { name: '登出' }).click();
    await dev({ type: 'remove-card' });
    await selfService('ready').waitFor();
    expect(await page.locator('[data-testid="print-queue"]').count()).toBe(0);
    expect(kiosk.controller.snapshot().printQueue.jobs).toMatchObject([{ jobId, initials: null, cardNumber: null, uid: null }]);
    const grouped = cardNumber.replace(/(\d{4})(?=\d)/g, '$1 ');
    await expectNothingOf([name, residentPermitHolderId, cardNumber, grouped]);

    // The new cardholder taps their card: its type, status, expiry and balance; the number masked.
    const cardShownMs = await timed(async () => {
      await dev({ type: 'place-card', kind: 'citizen' });
      await selfService('card').waitFor({ timeout: 10_000 });
    });
    expect(await page.locator('[data-self-service="card"]').getAttribute('data-status')).toBe('active');
    expect(await page.locator('[data-testid="card-last4"]').textContent()).toBe(`•••• •••• •••• ${cardNumber.slice(-4)}`);
    expect(await page.locator('[data-testid="card-balance"]').textContent()).toBe('NT$ 0');
    await expectNothingOf([name, residentPermitHolderId, cardNumber]);
    await shot('self-service-card');
    // In Vietnamese too; taking the card away clears the screen (and the language) for the next person.
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await page.getByText('Thẻ này có thể sử dụng bình thường').waitFor();
    await shot('self-service-card-vi');
    await dev({ type: 'remove-card' });
    await selfService('ready').waitFor({ timeout: 10_000 });
    // The language goes back once the card has left the screen: an effect after that render, so wait for it.
    await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 10_000 }).toBe('zh-TW');

    // Reported lost (hot-listed by the office): no balance, go to the service desk.
    expect(await kiosk.store.setCardStatus({ cardNumber, status: 'hot-listed', reason: 'lost', operatorId: null })).toMatchObject({ ok: true });
    await dev({ type: 'place-card', kind: 'citizen' });
    await page.locator('[data-self-service="card"][data-status="hot-listed"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-testid="card-balance"]').count()).toBe(0);
    expect(await page.locator('[data-testid="contact-desk"]').textContent()).toContain('請洽服務台');
    await shot('self-service-hot-listed');
    await page.getByRole('button', { name: '完成' }).click();
    await selfService('ready').waitFor();

    // The I/O board goes silent: out of service, and the card on the reader is not looked up. The door
    // went unwatched meanwhile, so when the board is back the tamper alarm holds it closed until a
    // technician has looked (the firmware latches it in self-service mode).
    await kiosk.world!.board!.unplug();
    await selfService('out-of-service').waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-closure]').getAttribute('data-closure')).toBe('board-disconnected');
    await shot('self-service-out-of-service');
    await dev({ type: 'place-card', kind: 'citizen' });
    // Three times as long as showing the card took above: a look-up would have shown by then.
    await expectAbsentFor(async () => (await selfService('card').count()) > 0, cardShownMs, { what: 'a card shown while out of service' });
    await kiosk.world!.board!.replug();
    await page.locator('[data-closure="tamper"]').waitFor({ timeout: 20_000 });
    await technicianClears();

    // The door is opened: out of service until a technician clears it (shutting it is not enough).
    await dev({ type: 'door', open: true });
    await page.locator('[data-closure="tamper"]').waitFor({ timeout: 10_000 });
    await dev({ type: 'door', open: false });
    await waitFor(() => kiosk.controller.snapshot().devices.board.detail.startsWith('door closed'), 10_000, 'the shut door was not noticed');
    expect(await page.locator('[data-closure="tamper"]').count()).toBe(1);
    await technicianClears();
  });
});
