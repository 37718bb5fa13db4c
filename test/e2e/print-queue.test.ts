import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PrinterSimulatorState } from '../../hardware/printer/simulator';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { devOk, screenshot, startTestKiosk, typePin, type TestKiosk } from '../helpers/kiosk';

/**
 * The print queue in Chromium (issue 13): an operator serves three applicants in a row while the
 * first card is still printing; the queue panel shows all three; a jam on the second card pauses
 * the queue until the operator clears it and presses Retry on that card; every card is issued
 * exactly once. The real UI, controller, drivers over ptys, pcscd and the SQLite store.
 */

/** Three applicants whose document fills the whole form; their ID numbers as the scanner reads them. */
const applicants = [
  { fixture: 'residentPermitTaiwan', idNumber: 'H900001234' },
  { fixture: 'residentPermitMale', idNumber: 'A800000014' },
  { fixture: 'passportTaiwan', idNumber: 'A223456781' },
] as const;

/** Every stage at which a card is still in the printer's hands (or waits for it). */
const notYetReady = ['queued', 'printing', 'encoding', 'committing', 'ejecting'];
/**
 * Four times a real printer's time (about two minutes a card) while the counter serves two more applicants
 * during the first card's printing, however loaded the machine; the tests' usual pace for the rest, where
 * only the order of things matters (at 4 the test took six minutes, most of them waiting for the printer).
 */
const slowScale = 4;
const fastScale = 0.01;

describe('the print queue, end to end', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    running = await startTestKiosk('print-queue', { ownUi: true, env: { KIOSK_PRINTER_TIME_SCALE: String(slowScale) } });
    kiosk = running.kiosk;
    browser = await launchChromium({ fakeVideo: join(process.cwd(), 'test/fixtures/photos/applicant.y4m') });
    page = await browser.context.newPage();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  const dev = (command: Parameters<typeof devOk>[1]): Promise<void> => devOk(kiosk, command);
  const job = (ticket: number) => page.locator(`[data-testid="print-queue"] li[data-job-ticket="${ticket}"]`);
  const stageOf = async (ticket: number): Promise<string | null> => ((await job(ticket).count()) === 0 ? null : job(ticket).getAttribute('data-job-stage'));
  const jobView = (ticket: number) => kiosk.controller.snapshot().printQueue.jobs.find((view) => view.ticket === ticket);
  /**
   * Runs `then` once, the moment the printer moves a card to where `where` holds: the printer's own event,
   * so that nothing races the printer however fast it runs. Returns whether it has run.
   */
  const onceCardMoves = (where: (state: PrinterSimulatorState) => boolean, then: () => void): (() => boolean) => {
    const printer = kiosk.world!.printer!;
    let ran = false;
    const stop = printer.onCardMoved(() => {
      if (ran || !where(printer.state())) return;
      ran = true;
      stop();
      then();
    });
    return () => ran;
  };

  /** One applicant at the counter, from "new application" to "print", on the screen. */
  const serve = async ({ fixture, idNumber }: (typeof applicants)[number]): Promise<void> => {
    await page.getByRole('button', { name: /新申辦/ }).click();
    await page.locator('[data-screen="application"]').waitFor();
    await dev({ type: 'feed-document', fixture });
    await expect.poll(() => page.locator('input[name="idNumber"]').inputValue(), { timeout: 10_000 }).toBe(idNumber);
    await page.locator('select[name="district"]').selectOption('中壢區');
    await expect.poll(() => page.locator('select[name="district"]').inputValue(), { timeout: 10_000 }).toBe('中壢區');
    await page.locator('[data-card-type="general"] input').click();
    await expect.poll(() => page.locator('[data-card-type="general"] input').isChecked(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.locator('.problems').count(), { timeout: 10_000 }).toBe(0);
    await page.getByRole('button', { name: '下一步' }).click();
    // The fake camera's applicant passes the photo gate and the screen takes the photo by itself.
    await page.locator('[data-screen="review"] img.card-preview').waitFor({ timeout: 60_000 });
    await page.getByRole('button', { name: '開始製卡' }).click();
    // The card goes to the queue and the counter is free for the next applicant at once.
    await page.locator('[data-screen="home"]').waitFor({ timeout: 10_000 });
  };

  it('serves three applicants while the first card prints, pauses on a jam, and issues every card once', { timeout: 600_000 }, async () => {
    await page.goto(kiosk.urlWithToken);
    await page.locator('[data-screen="sign-in"] [data-session="signed-out"]').waitFor();
    await dev({ type: 'place-card', kind: 'staff' });
    await page.locator('.pin-pad').waitFor({ timeout: 10_000 });
    await typePin(page, '271828');
    await page.locator('[data-screen="home"]').waitFor();
    await expect.poll(() => page.locator('[data-device="printer"].connected').count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.locator('[data-testid="print-queue"]').getAttribute('data-paused'), { timeout: 10_000 }).toBe('false');

    // Set before the first card can reach the encoder (below): once it has left the print head, the next
    // card to be printed jams; the third card goes at the slow pace again from the moment it leaves the
    // feeder, so that the panel is seen to have it on its way before it is ready.
    const printer = kiosk.world!.printer!;
    const jamSet = onceCardMoves((state) => state.card === 'contactless-station', () => printer.injectFault({ kind: 'jam', atStep: 'print-front' }));
    const thirdCardSlowed = onceCardMoves((state) => state.card === 'inside' && state.cardsInserted === 4, () => printer.setTimeScale(slowScale));

    for (const applicant of applicants) await serve(applicant);

    // All three on the panel: the first still at the printer, the others waiting their turn.
    await expect.poll(() => page.locator('[data-testid="print-queue"] li[data-job-ticket]').count(), { timeout: 10_000 }).toBe(3);
    expect(await stageOf(1)).toBe('printing');
    expect(await stageOf(2)).toBe('queued');
    expect(await stageOf(3)).toBe('queued');
    // Issue 16: the card at the printer shows its step, a bar and the seconds left.
    await expect.poll(() => job(1).locator('[role="progressbar"]').count(), { timeout: 10_000 }).toBe(1);
    expect(Number(await job(1).locator('[data-testid="job-seconds-left"]').getAttribute('data-seconds'))).toBeGreaterThan(0);
    await screenshot(page, 'print-queue-three');

    // The printer at the fast pace from here: the first card leaves the print head for the encoder, and
    // the jam waits for the next card to be printed.
    printer.setTimeScale(fastScale);
    await expect.poll(() => stageOf(1), { timeout: 180_000 }).not.toBe('printing');
    expect(['encoding', 'committing', 'ejecting', 'ready']).toContain(await stageOf(1));
    await expect.poll(jamSet, { timeout: 10_000 }).toBe(true);

    // The first card is issued; the operator hands it over.
    await expect.poll(() => stageOf(1), { timeout: 180_000 }).toBe('ready');
    const firstNumber = jobView(1)?.cardNumber;
    await job(1).locator('button[data-job-action="finish"]').click();

    // The jam stops the second card and pauses the queue: the third waits, nothing is printed meanwhile.
    await expect.poll(() => stageOf(2), { timeout: 180_000 }).toBe('failed');
    await expect.poll(() => page.locator('[data-testid="print-queue"]').getAttribute('data-paused'), { timeout: 10_000 }).toBe('true');
    expect(await stageOf(3)).toBe('queued');
    expect(await job(2).locator('[role="alert"]').getAttribute('data-error-kind')).toMatch(/jam/);
    // Issue 16: the device bar is at fault with the job's own words (it said "OK" during a jam).
    const alert = job(2).locator('[role="alert"] > span');
    const jobWords = ((await alert.textContent()) ?? '').replace((await alert.locator('small').textContent()) ?? '', '');
    expect(jobWords.length).toBeGreaterThan(0);
    await expect.poll(() => page.locator('[data-device="printer"].fault').textContent(), { timeout: 10_000 }).toContain(jobWords);
    expect(await job(2).locator('[data-state="failed"]').getAttribute('data-step')).toBe('print-front');
    await screenshot(page, 'print-queue-jammed');

    // The operator clears the jam (the jammed card goes in the bin) and retries that card.
    await dev({ type: 'printer-fault', fault: 'clear-jam' });
    await job(2).locator('button[data-job-action="retry"]').click();
    await expect.poll(() => page.locator('[data-testid="print-queue"]').getAttribute('data-paused'), { timeout: 10_000 }).toBe('false');
    await expect.poll(() => stageOf(2), { timeout: 180_000 }).toBe('ready');
    const secondNumber = jobView(2)?.cardNumber;
    await job(2).locator('button[data-job-action="finish"]').click();
    await expect.poll(async () => notYetReady.includes((await stageOf(3)) ?? ''), { timeout: 10_000 }).toBe(true);
    await expect.poll(thirdCardSlowed, { timeout: 30_000 }).toBe(true);
    printer.setTimeScale(fastScale);
    await expect.poll(() => stageOf(3), { timeout: 240_000 }).toBe('ready');
    const thirdNumber = jobView(3)?.cardNumber;
    // The panel groups the digits for reading aloud.
    await expect.poll(async () => (await job(3).locator('[data-testid="job-card-number"]').textContent())?.replace(/\s/g, ''), { timeout: 10_000 }).toBe(thirdNumber);
    // Issue 16: the done view: the success mark, the chip checked, the card's type.
    expect(await job(3).locator('[data-testid="done-view"] .done-mark').count()).toBe(1);
    expect(await job(3).locator('[data-testid="done-chip"]').getAttribute('data-verified')).toBe('true');
    await screenshot(page, 'print-queue-done');
    await job(3).locator('button[data-job-action="finish"]').click();

    // Every applicant holds exactly one active card, each with its own number.
    const numbers = [firstNumber, secondNumber, thirdNumber];
    expect(new Set(numbers).size).toBe(3);
    for (const [index, { idNumber }] of applicants.entries()) {
      expect(await kiosk.store.heldCards(idNumber)).toMatchObject([{ type: 'general', status: 'active', cardNumber: numbers[index] }]);
    }
    const audit = await kiosk.store.readAudit();
    expect(audit.filter((entry) => entry.eventId === 'issuance-recorded')).toHaveLength(3);
    // The printer printed three faces and handed out those three cards, none twice; it took four cards
    // from the feeder: the jammed one was pulled out with the jam before anything was printed on it.
    const printed = kiosk.world!.printer!.printedCards();
    expect(printed.map((card) => card.disposition)).toEqual(['ejected', 'ejected', 'ejected']);
    expect(kiosk.world!.state().printer?.cardsInFeeder).toBe(100 - 4);
    await expect.poll(() => kiosk.world!.issuedCards().length, { timeout: 10_000 }).toBe(3);

    // The applicants take their cards from the exit slot: nothing is left open.
    await dev({ type: 'printer-fault', fault: 'take-card' });
    await expect.poll(() => kiosk.store.pendingJobs(), { timeout: 15_000 }).toEqual([]);
    await expect.poll(() => page.locator('[data-testid="print-queue"] li[data-job-ticket]').count(), { timeout: 10_000 }).toBe(0);
    expect((await kiosk.store.verifyAudit()).ok).toBe(true);
  });
});

