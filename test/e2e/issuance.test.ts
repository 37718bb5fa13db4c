import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveChipKeys, holderIdHash } from '../../hardware/card-record/keys';
import { decodeCardRecord } from '../../hardware/card-record/layout';
import { loadOrCreateChipMasterKey } from '../../kiosk/controller/chip-master-key';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { screenshot, startTestKiosk, typePin, type TestKiosk } from '../helpers/kiosk';
import { messages } from '../../shared/i18n/messages';
import { defaultPinMap, fillLightDuty } from '../../firmware/pin-map';

/**
 * One card issued end to end through every real component: the React UI in headless Chromium
 * with a fake camera, the controller's API, the ID scanner and card printer drivers over real
 * socat ptys against their simulators, the NFC encoder through a real pcscd with a virtual
 * MIFARE card, the photo gate, and the SQLite store. A confirmed card goes to the print queue beside
 * the screen, which is free for the next applicant at once; the queue says where each card stands.
 */

describe('staffed issuance, end to end', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    running = await startTestKiosk('e2e');
    kiosk = running.kiosk;
    browser = await launchChromium({ fakeVideo: join(process.cwd(), 'test/fixtures/photos/applicant.y4m') });
    page = await browser.context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  const dev = async (command: unknown): Promise<void> => {
    const response = await fetch(`${kiosk.url}api/dev`, {
      method: 'POST',
      headers: { authorization: `Bearer ${kiosk.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(command),
    });
    expect(await response.json()).toEqual({ accepted: true });
  };
  const operatorIdOf = async (name: string): Promise<string | undefined> =>
    (await kiosk.store.operators.list()).find((operator) => operator.name === name)?.id;
  const shot = (name: string): Promise<void> => screenshot(page, name);
  /** The print queue's card for a ticket (the queue beside every staffed screen). */
  const queued = (ticket: number, stage?: string) =>
    page.locator(`[data-testid="print-queue"] li[data-job-ticket="${ticket}"]${stage ? `[data-job-stage="${stage}"]` : ''}`);
  /** The card number a ready job shows, grouped in fours on screen. */
  const cardNumberOf = async (ticket: number): Promise<string> =>
    ((await queued(ticket, 'ready').locator('[data-testid="job-card-number"]').textContent()) ?? '').replace(/\s/g, '');

  it('issues a general card to a new-immigrant spouse from her resident permit', { timeout: 180_000 }, async () => {
    await page.goto(kiosk.urlWithToken);
    // Staff sign in first: the staff card on the counter reader, then the PIN.
    await page.locator('[data-screen="sign-in"] [data-session="signed-out"]').waitFor();
    await shot('sign-in');
    await dev({ type: 'place-card', kind: 'staff' });
    await page.locator('.pin-pad').waitFor({ timeout: 10_000 });
    // A wrong PIN: the controller sends a code and the attempts left, the screen words it in its language.
    await typePin(page, '000000');
    const refusal = page.locator('[data-screen="sign-in"] [role="alert"]');
    await expect.poll(async () => (await refusal.textContent()) ?? '', { timeout: 10_000 }).toMatch(/^密碼錯誤，還可再試 \d+ 次Wrong PIN: \d+ tries left$/);
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    await expect.poll(async () => (await refusal.textContent()) ?? '', { timeout: 10_000 }).toMatch(/^Sai mã PIN: còn \d+ lần thử密碼錯誤/);
    await page.getByRole('button', { name: '中文' }).click();
    await typePin(page, '271828');
    await page.locator('[data-screen="home"]').waitFor();
    expect(await page.locator('[data-testid="operator-name"]').textContent()).toContain('Demo Operator');
    // Every expect.poll names its timeout: the default (1 s) is too short on a loaded 2-core machine.
    await expect.poll(() => page.locator('[data-device="printer"].connected').count(), { timeout: 10_000 }).toBe(1);
    await shot('home');

    await page.getByRole('button', { name: /新申辦/ }).click();
    await page.locator('[data-screen="application"]').waitFor();

    // The resident permit on the scanner's glass fills the form.
    await dev({ type: 'feed-document', fixture: 'residentPermitTaiwan' });
    await expect.poll(() => page.locator('input[name="idNumber"]').inputValue(), { timeout: 10_000 }).toBe('H900001234');
    expect(await page.locator('[data-testid="scan-hint"]').textContent()).toContain('已由證件掃描器填入');
    // Each choice goes to the controller and comes back in the next snapshot: wait for it to show.
    await page.locator('select[name="district"]').selectOption('中壢區');
    await expect.poll(() => page.locator('select[name="district"]').inputValue(), { timeout: 10_000 }).toBe('中壢區');
    await page.locator('input[name="spouseOfResident"]').click();
    await expect.poll(() => page.locator('input[name="spouseOfResident"]').isChecked(), { timeout: 10_000 }).toBe(true);
    await page.locator('[data-card-type="general"] input').click();
    await expect.poll(() => page.locator('[data-card-type="general"] input').isChecked(), { timeout: 10_000 }).toBe(true);
    await expect.poll(() => page.locator('.problems').count(), { timeout: 10_000 }).toBe(0);
    await shot('application');
    // In Vietnamese the rules' reasons read in Vietnamese too, with the Chinese beneath for the staff.
    await page.getByRole('button', { name: 'Tiếng Việt' }).click();
    const firstReason = page.locator('[data-card-type="general"] .reasons li').first();
    await expect.poll(async () => (await firstReason.textContent()) ?? '', { timeout: 10_000 }).toMatch(/[ạảãàáâậầấẩẫăắằẳẵặẹẻẽèéêếềểễệịỉĩìíọỏõòóôốồổỗộơớờởỡợụủũùúưứừửữựỵỷỹỳýđ]/i);
    expect(await firstReason.locator('.second-language').textContent()).toMatch(/[\u4e00-\u9fff]/);
    await shot('application-vi');
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: '下一步' }).click();

    // The fake camera shows the applicant; the controller judges live frames, and once the photo has
    // passed for a steady moment the screen takes it by itself (one attempt, judged again in full).
    await page.locator('[data-screen="photo"]').waitFor();
    await page.locator('[data-testid="photo-advice"]').waitFor({ timeout: 20_000 });
    // The camera is live: the I/O board's fill light is on.
    await expect.poll(() => kiosk.world!.board!.pinValue(defaultPinMap.fillLight), { timeout: 10_000 }).toBe(fillLightDuty);
    await shot('photo');
    await page.locator('[data-screen="review"] img.card-preview').waitFor({ timeout: 30_000 });
    expect(kiosk.controller.snapshot().photo.attempts).toBe(1);
    await expect.poll(() => kiosk.world!.board!.pinValue(defaultPinMap.fillLight), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.locator('img.card-preview').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth), { timeout: 10_000 }).toBe(1016);
    await shot('review');

    await page.getByRole('button', { name: '開始製卡' }).click();
    // The card joins the print queue and the screen is home at once, ready for the next applicant.
    await page.locator('[data-screen="home"]').waitFor({ timeout: 10_000 });
    await queued(1).waitFor({ timeout: 10_000 });
    await page.locator('li[data-job-ticket="1"]:is([data-job-stage="ready"], [data-job-stage="failed"])').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-job-stage="failed"] [role="alert"]').allTextContents()).toEqual([]);
    expect(await page.locator('[data-testid="print-queue"]').getAttribute('data-paused')).toBe('false');
    // Ready: "take your card", with the applicant's initials and the card number to read out.
    expect(await queued(1, 'ready').locator('.job-stage').textContent()).toBe(messages['zh-TW'].jobStageready);
    expect(await queued(1, 'ready').locator('.job-initials').textContent()).toMatch(/^([A-Z]\.)+$/);
    expect(await queued(1, 'ready').locator('[data-testid="job-card-number"]').textContent()).toMatch(/^\d{4} \d{4} \d{4} \d{4}$/);
    const cardNumber = await cardNumberOf(1);
    expect(kiosk.controller.snapshot().printQueue.jobs).toMatchObject([{ ticket: 1, stage: 'ready', cardNumber }]);
    await shot('print-queue');

    // The printer printed one card and handed it out.
    const printed = kiosk.world!.printer!.printedCards();
    expect(printed).toHaveLength(1);
    expect(printed[0]?.disposition).toBe('ejected');
    expect(printed[0]?.chipAreaClear).toBe(true);

    // The chip of the card handed out holds a record that verifies, for this card and this person.
    await expect.poll(() => kiosk.world!.issuedCards().length, { timeout: 10_000 }).toBe(1);
    const memory = kiosk.world!.issuedCards()[0]!;
    const masterKey = loadOrCreateChipMasterKey(join(running.dataDir, 'keys', 'chip-master.key'));
    const uid = memory[0]!.subarray(0, 4);
    const image = new Map(memory.map((block, index) => [index, block]));
    const record = decodeCardRecord(image, deriveChipKeys(masterKey, uid));
    expect(record.ok).toBe(true);
    if (record.ok) {
      expect(record.value.cardNumber).toBe(cardNumber);
      expect(record.value.cardType).toBe('general');
      expect(record.value.holderIdHash).toBe(holderIdHash(masterKey, 'H900001234'));
    }

    // The issuance is committed in SQLite, and the person now holds an active general card.
    expect(await kiosk.store.heldCards('H900001234')).toMatchObject([{ type: 'general', status: 'active', cardNumber }]);
    // The card waits in the printer's exit slot: its job stays open until she takes it.
    expect(await kiosk.store.pendingJobs()).toMatchObject([{ step: 'ejected' }]);
    await dev({ type: 'printer-fault', fault: 'take-card' });
    await expect.poll(() => kiosk.store.pendingJobs(), { timeout: 15_000 }).toEqual([]);
    // The exit slot's sensor saw the card taken: its job leaves the queue without a tap.
    await queued(1).waitFor({ state: 'detached', timeout: 15_000 });
    expect(kiosk.controller.snapshot().printQueue.jobs).toEqual([]);
    expect((await kiosk.store.verifyAudit()).ok).toBe(true);
    const recorded = (await kiosk.store.readAudit()).filter((entry) => entry.eventId === 'issuance-recorded');
    expect(recorded).toHaveLength(1);
    expect(recorded[0]?.operatorId).toBe(await operatorIdOf('示範服務員 Demo Operator'));

    // The applicant's personal data never reaches the log, nor the database files in plain text.
    const personal = ['H900001234', 'NGUYEN', 'THU HUONG', 'RA1234567', '1994-11-03'];
    const log = readFileSync(join(running.dataDir, 'logs', 'kiosk.jsonl'), 'utf8');
    expect(log).toContain('issuance');
    const databaseFiles = ['kiosk.sqlite', 'kiosk.sqlite-wal'].map((name) => join(running.dataDir, name)).filter((path) => existsSync(path));
    expect(databaseFiles.length).toBeGreaterThan(0);
    const databaseBytes = databaseFiles.map((path) => readFileSync(path).toString('latin1')).join('');
    expect(databaseBytes, 'the card number, which is no secret, is read from the files').toContain(cardNumber);
    for (const value of personal) {
      expect(log, value).not.toContain(value);
      expect(databaseBytes.includes(value), `${value} in the database files`).toBe(false);
    }
    expect(await page.locator('[data-screen="home"]').count()).toBe(1);
  });

  it('stops on an empty feeder with words the operator can act on, and finishes the same card after a refill', { timeout: 180_000 }, async () => {
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: /New card/ }).click();
    await page.locator('[data-screen="application"]').waitFor();
    await dev({ type: 'feed-document', fixture: 'passportVietnam' });
    await expect.poll(() => page.locator('input[name="name"]').inputValue(), { timeout: 10_000 }).not.toBe('');
    // A passport carries no resident number: the operator types it from the residence permit.
    await page.locator('input[name="idNumber"]').fill('A800000014');
    await page.locator('input[name="idNumber"]').press('Enter');
    await page.locator('select[name="district"]').selectOption('桃園區');
    await expect.poll(() => page.locator('[data-card-type="general"] input').isEnabled(), { timeout: 10_000 }).toBe(true);
    await page.locator('[data-card-type="general"] input').click();
    await expect.poll(() => page.locator('.problems').count(), { timeout: 10_000 }).toBe(0);
    await page.getByRole('button', { name: 'Next' }).click();
    await page.locator('[data-screen="review"] img.card-preview').waitFor({ timeout: 30_000 });

    await dev({ type: 'printer-fault', fault: 'feeder-empty' });
    const board = kiosk.world!.board!;
    const writesBefore = board.pinWrites().length;
    await page.getByRole('button', { name: 'Print the card' }).click();
    await page.locator('[data-screen="home"]').waitFor({ timeout: 10_000 });
    const alert = queued(2, 'failed').locator('[role="alert"]');
    await alert.waitFor({ timeout: 30_000 });
    // The queue is paused, and says so where the operator looks.
    const paused = page.locator('[data-testid="print-queue"][data-paused="true"] .queue-paused[role="alert"]');
    await paused.waitFor({ timeout: 10_000 });
    expect(await paused.textContent()).toBe(messages.en.queuePaused);
    // Three beeps on the I/O board's buzzer: the operator may be looking away.
    const beeps = (): number => board.pinWrites().slice(writesBefore).filter((write) => write.pin === defaultPinMap.buzzer && write.value === 1).length;
    await expect.poll(beeps, { timeout: 5_000 }).toBe(3);
    expect(await alert.getAttribute('data-error-kind')).toBe('printer_feeder_empty');
    expect(await alert.textContent()).toContain('load cards, then press Retry');
    await page.locator('a.dev-link').click();
    await page.locator('.dev-panel').waitFor();
    await expect.poll(() => page.locator('[data-testid="dev-printer-state"]').textContent(), { timeout: 10_000 }).toContain('feeder 0 cards');
    await shot('print-queue-failed-with-dev-panel');
    // The refill, from the dev panel's own button: the panel shows the printer's feeder again.
    await page.locator('[data-dev="fault-load-cards"]').click();
    await expect.poll(() => page.locator('[data-testid="dev-printer-state"]').textContent(), { timeout: 10_000 }).toContain('feeder 100 cards');
    await page.locator('.dev-panel button[aria-label="close"]').click();

    // Her operator may retry (the refill can help) or give the card up.
    const actions = await queued(2, 'failed').locator('button[data-job-action]').all();
    expect(await Promise.all(actions.map((button) => button.getAttribute('data-job-action')))).toEqual(['cancel', 'retry']);
    await queued(2, 'failed').getByRole('button', { name: 'Retry' }).click();
    await queued(2, 'ready').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid="print-queue"]').getAttribute('data-paused')).toBe('false');
    expect(kiosk.world!.printer!.printedCards()).toHaveLength(2);
    expect(await kiosk.store.heldCards('A800000014')).toMatchObject([{ type: 'general', status: 'active', cardNumber: await cardNumberOf(2) }]);
    expect(await queued(2, 'ready').locator('.job-stage').textContent()).toBe('Take your card');
    await shot('print-queue-english');
  });

  it('replaces a lost card: a paid replacement, the old card hot-listed, and a tap on the old card says so', { timeout: 180_000 }, async () => {
    // The last card handed over across the counter: its job leaves the queue.
    await queued(2, 'ready').getByRole('button', { name: 'Handed over' }).click();
    await queued(2).waitFor({ state: 'detached', timeout: 10_000 });
    expect(kiosk.controller.snapshot().printQueue.jobs).toEqual([]);
    await page.getByRole('button', { name: '中文' }).click();
    await page.getByRole('button', { name: /新申辦/ }).click();
    await page.locator('[data-screen="application"]').waitFor();
    await dev({ type: 'feed-document', fixture: 'residentPermitTaiwan' });
    await expect.poll(() => page.locator('input[name="idNumber"]').inputValue(), { timeout: 10_000 }).toBe('H900001234');
    await page.locator('select[name="district"]').selectOption('中壢區');
    await page.locator('[data-card-type="general"] input').click();
    // She already holds an active general card (the first test): this is a replacement, and a lost card costs the fee.
    await expect.poll(() => page.locator('[data-card-type="general"] .verdict').textContent(), { timeout: 10_000 }).toContain('補發');
    await page.locator('select[name="replacementCause"]').selectOption('lost');
    await expect.poll(() => page.locator('.replacement').textContent(), { timeout: 10_000 }).toContain('NT$94');
    await expect.poll(() => page.locator('.problems').count(), { timeout: 10_000 }).toBe(0);
    await page.getByRole('button', { name: '下一步' }).click();
    await page.locator('[data-screen="review"] img.card-preview').waitFor({ timeout: 30_000 });
    // The same person as on the card being replaced: the face check on the photo on file agrees.
    expect(await page.locator('[data-testid="face-match"]').getAttribute('data-match')).toBe('true');
    // The fee is recorded before the print (issue 16): paid in cash at the counter.
    await page.locator('[data-testid="fee-panel"] [data-fee="cash"]').click();
    await expect.poll(() => page.locator('[data-testid="fee-panel"]').getAttribute('data-settled'), { timeout: 10_000 }).toBe('cash');
    await page.getByRole('button', { name: '開始製卡' }).click();
    await queued(3, 'ready').waitFor({ timeout: 60_000 });
    // The paid fee's signed receipt is on the done view as a QR code.
    await queued(3, 'ready').locator('[data-testid="fee-receipt"] [data-testid="receipt-qr"]').waitFor({ timeout: 10_000 });
    await queued(3, 'ready').getByRole('button', { name: messages['zh-TW'].jobHandedOver }).click();
    await queued(3).waitFor({ state: 'detached', timeout: 10_000 });

    const cards = await kiosk.store.heldCards('H900001234');
    expect(cards.map((card) => card.status)).toEqual(['hot-listed', 'active']);
    const audit = (await kiosk.store.readAudit()).map((entry) => entry.eventId);
    expect(audit).toContain('issuance-replacement');
    expect(audit).toContain('issuance-fee');

    // The applicant's old card, found later, is tapped on the counter reader.
    await expect.poll(() => kiosk.world!.issuedCards().length, { timeout: 10_000 }).toBe(3);
    await dev({ type: 'place-card', kind: 'first-citizen' });
    const panel = page.locator('[data-testid="card-check"]');
    await panel.waitFor({ timeout: 10_000 });
    expect(await panel.locator('[data-status]').getAttribute('data-status')).toBe('hot-listed');
    expect(await panel.textContent()).toContain(cards[0]!.cardNumber);
    await shot('card-check-hot-listed');
    await dev({ type: 'place-card', kind: 'citizen' });
    await expect.poll(() => panel.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('active');
    await page.getByRole('button', { name: '關閉' }).click();
    await expect.poll(() => panel.count(), { timeout: 10_000 }).toBe(0);
  });

  it('voids a misprinted card from the card check once a supervisor approves', { timeout: 120_000 }, async () => {
    const [, replacement] = await kiosk.store.heldCards('H900001234');
    await dev({ type: 'place-card', kind: 'citizen' });
    const panel = page.locator('[data-testid="card-check"]');
    await expect.poll(() => panel.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('active');
    await panel.getByRole('button', { name: '作廢此卡' }).click();
    await panel.getByRole('radio', { name: '印製錯誤' }).check();
    await shot('card-check-void-reason');
    await panel.getByRole('button', { name: '確認作廢' }).click();
    // An operator may not void alone: the supervisor's card and PIN.
    const approval = page.getByRole('dialog', { name: '需要督導核准' });
    await approval.waitFor();
    expect(await kiosk.store.cardByNumber(replacement!.cardNumber)).toMatchObject({ status: 'active' });
    await dev({ type: 'place-card', kind: 'supervisor' });
    await approval.locator('.pin-pad').waitFor({ timeout: 10_000 });
    await typePin(approval, '314159');
    await expect.poll(() => panel.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('void');
    expect(await panel.locator('[data-testid="card-check-notice"]').textContent()).toContain('已作廢');
    await shot('card-check-void');
    expect(await kiosk.store.cardByNumber(replacement!.cardNumber)).toMatchObject({ status: 'void' });
    const voided = (await kiosk.store.readAudit()).filter((entry) => entry.eventId === 'issuance-void');
    expect(voided.map((entry) => entry.details)).toEqual([
      expect.objectContaining({ cardNumber: replacement!.cardNumber, reason: 'misprint', approvedBy: await operatorIdOf('示範督導 Demo Supervisor') }),
    ]);
    await page.getByRole('button', { name: '關閉' }).click();
  });
});
