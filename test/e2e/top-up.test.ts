import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { deriveChipKeys } from '../../hardware/card-record/keys';
import { decodeWalletBlock, headerBlock, walletBlock, walletMacVerifies } from '../../hardware/card-record/layout';
import { waitFor } from '../../hardware/host/child-processes';
import type { PluggableBillValidatorSimulator } from '../../hardware/bill-validator/simulator';
import { loadOrCreateChipMasterKey } from '../../kiosk/controller/chip-master-key';
import { demoCitizens, type DemoCitizenKind } from '../../kiosk/controller/devices/demo-citizens';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { formatCardNumber } from '../../kiosk/controller/store/card-number';
import type { Clock } from '../../shared/clock';
import type { DevCommand, SelfServiceView } from '../../shared/contract/kiosk-api';
import { expectAbsentFor, timed } from '../helpers/absence';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { devOk, screenshot, startTestKiosk, type TestKiosk } from '../helpers/kiosk';

/**
 * Issue 15's proof, end to end: the unattended kiosk's React screens in headless Chromium, the
 * controller, a real pcscd with the demo citizens' virtual cards on the counter reader and the ccTalk
 * validator simulator on its pty. Every step is a click in the page or a note into the validator;
 * what the page says (in zh-TW) is checked against the ledger, the chip and the validator behind it.
 * One kiosk for the file (libpcsclite keeps one pcscd socket per process); the tests run in order.
 */

/** A clock that runs at real speed from a date the test chooses, and jumps when told (the month boundary). */
function calendarClock(start: Date): Clock & { set(date: Date): void } {
  let offset = start.getTime() - Date.now();
  return {
    now: () => new Date(Date.now() + offset),
    set: (date) => {
      offset = date.getTime() - Date.now();
    },
  };
}

/** 31 January, mid-morning on the kiosk's own calendar; then 1 February. */
const lastOfJanuary = new Date(2027, 0, 31, 10, 0, 0);
const firstOfFebruary = new Date(2027, 1, 1, 9, 0, 0);

describe('self-service top-up and welfare points, end to end', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let validator: PluggableBillValidatorSimulator;
  let browser: TestBrowser;
  let page: Page;
  const clock = calendarClock(lastOfJanuary);

  beforeAll(async () => {
    running = await startTestKiosk('top-up', { ownUi: true, env: { KIOSK_MODE: 'self-service' }, clock });
    kiosk = running.kiosk;
    validator = kiosk.world!.validator!;
    // A quick validator (a real one reads a note in 0.4 s and stacks it in 1.5 s); its escrow timeout as a real one's.
    validator.retime({ validationMs: 20, stackingMs: 120, returnMs: 40 });
    browser = await launchChromium();
    page = await browser.context.newPage();
    await page.goto(kiosk.urlWithToken);
    await waitFor(() => kiosk.controller.snapshot().devices.board.state === 'connected', 15_000, 'the I/O board did not connect');
  }, 120_000);

  // A test that failed half-way leaves no top-up open and no card on the reader for the next one.
  beforeEach(async () => {
    if (view()?.state === 'top-up') await kiosk.controller.command({ type: 'top-up-cancel' });
    await kiosk.world?.dev({ type: 'remove-card' });
    await waitFor(() => view()?.state !== 'top-up', 10_000, 'the last test\'s top-up did not end');
  });

  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  const dev = (command: DevCommand): Promise<void> => devOk(kiosk, command);
  const view = (): SelfServiceView | null => kiosk.controller.snapshot().selfService;
  const screen = (state: string) => page.locator(`[data-screen="self-service"] [data-self-service="${state}"]`);
  const text = async (selector: string): Promise<string> => (await page.locator(selector).first().textContent()) ?? '';
  const cardNumber = (kind: DemoCitizenKind): string => {
    const citizen = demoCitizens.find((c) => c.kind === kind)!;
    return formatCardNumber(kiosk.config.kioskNumber, citizen.cardType, citizen.sequence);
  };
  /** The wallet on the card's chip, verified under its keys (null: its MAC does not verify). */
  const chipWallet = (kind: DemoCitizenKind): { balance: number; counter: number } | null => {
    const blocks = kiosk.world!.demoCardMemory(kind)!;
    const keys = deriveChipKeys(loadOrCreateChipMasterKey(join(running.dataDir, 'keys', 'chip-master.key')), blocks[0]!.slice(0, 4));
    if (!walletMacVerifies(blocks[headerBlock]!, blocks[walletBlock]!, keys)) return null;
    const { balance, transactionCounter } = decodeWalletBlock(blocks[walletBlock]!);
    return { balance, counter: transactionCounter };
  };
  const ledger = (kind: DemoCitizenKind) => kiosk.store.wallet.walletOf(cardNumber(kind));

  /** The card laid on the counter reader, its wallet shown; until the validator answers, a top-up is not offered yet. */
  const tap = async (kind: DemoCitizenKind): Promise<void> => {
    await dev({ type: 'place-card', kind });
    await screen('card').waitFor({ timeout: 10_000 });
  };
  /** How long a card's screen took to clear once the card was taken (the longest seen): for proving a screen stays. */
  let cardClearedMs = 0;
  const lift = async (): Promise<void> => {
    const took = await timed(async () => {
      await dev({ type: 'remove-card' });
      await screen('ready').waitFor({ timeout: 10_000 });
    });
    cardClearedMs = Math.max(cardClearedMs, took);
  };
  /** The top-up screen, taking notes. */
  const startTopUp = async (): Promise<void> => {
    await page.locator('[data-action="top-up-start"]').click();
    await page.locator('[data-self-service="top-up"][data-phase="insert"]').waitFor({ timeout: 10_000 });
    await waitFor(() => validator.state().masterInhibit === false, 10_000, 'the validator was not enabled');
  };
  /** A note through the validator, credited: the page's running total says so. */
  const note = async (amount: 100 | 500 | 1000, insertedAfter: number): Promise<void> => {
    await dev({ type: 'insert-note', amount });
    await waitFor(() => {
      const v = view();
      return v?.state === 'top-up' && v.topUp.inserted === insertedAfter && v.topUp.phase === 'insert';
    }, 10_000, `the NT$${amount} note was not credited`);
  };
  const ntd = (amount: number): string => `NT$ ${amount.toLocaleString('en-US')}`;

  it('loads a senior card\'s welfare points once a month, on the first tap, across the month boundary', { timeout: 60_000 }, async () => {
    running.reportOnFailure();
    const card = cardNumber('demo-senior');
    // 31 January: the first tap of the month loads 1,000 points (a 復興區 household).
    await tap('demo-senior');
    await page.locator('[data-testid="points-loaded"]').waitFor();
    expect(await text('[data-testid="points-loaded"]')).toBe('本月的 1,000 點剛剛已存入');
    expect(await text('[data-testid="points-balance"]')).toContain('1,000');
    // Points apart from money: the wallet's balance is still nothing.
    expect(await text('[data-testid="card-balance"]')).toBe(ntd(0));
    expect(await kiosk.store.wallet.pointsOf(card, '2027-01')).toMatchObject({ balance: 1_000 });
    await screenshot(page, 'top-up-points-loaded');
    await lift();

    // Again the same month: not loaded again.
    await tap('demo-senior');
    expect(view()).toMatchObject({ state: 'card', card: { wallet: { points: { month: '2027-01', balance: 1_000, loadedNow: false } } } });
    expect(await page.locator('[data-testid="points-loaded"]').count()).toBe(0);
    expect(await text('[data-testid="points-balance"]')).toContain('1,000');
    await lift();

    // 1 February: January's rest lapses, February's points are loaded; the history says both.
    clock.set(firstOfFebruary);
    await tap('demo-senior');
    await page.locator('[data-testid="points-loaded"]').waitFor();
    expect(view()).toMatchObject({ state: 'card', card: { wallet: { points: { month: '2027-02', balance: 1_000, loadedNow: true } } } });
    const lapse = page.locator('[data-testid="history"] tr[data-kind="points-lapse"]');
    expect(await lapse.count()).toBe(1);
    expect(await lapse.textContent()).toContain('2027-02-01');
    expect(await lapse.textContent()).toContain('−1,000');
    const loads = page.locator('[data-testid="history"] tr[data-kind="points-load"]');
    expect(await loads.count()).toBe(2);
    expect(await loads.first().textContent()).toContain('2027-02-01');
    expect(await loads.last().textContent()).toContain('2027-01-31');
    const history = await kiosk.store.wallet.history(card, 10);
    expect(history.map((row) => [row.kind, row.amount])).toEqual([['points-load', 1_000], ['points-lapse', -1_000], ['points-load', 1_000]]);
    expect(await kiosk.store.wallet.pointsOf(card, '2027-02')).toMatchObject({ balance: 1_000 });
    await lift();
    // A second February tap loads nothing.
    await tap('demo-senior');
    expect(view()).toMatchObject({ state: 'card', card: { wallet: { points: { month: '2027-02', balance: 1_000, loadedNow: false } } } });
    expect(await kiosk.store.wallet.history(card, 10)).toHaveLength(3);
    await lift();
  });

  it('tops up to just under the cap with real notes; a note that would pass NT$10,000 is given back from escrow', { timeout: 60_000 }, async () => {
    running.reportOnFailure();
    const kind = 'demo-general';
    await tap(kind);
    expect(await text('[data-testid="card-balance"]')).toBe(ntd(0));
    await startTopUp();
    let inserted = 0;
    for (const amount of [1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 100, 100, 100, 100] as const) {
      inserted += amount;
      await note(amount, inserted);
    }
    // NT$9,400: the page shows the balance, the room left and the notes that still fit (NT$1000 no longer).
    const topUp = page.locator('[data-self-service="top-up"]');
    await expect.poll(() => text('[data-testid="top-up-balance"]')).toBe(ntd(9_400));
    expect(await text('[data-testid="top-up-inserted"]')).toBe(ntd(9_400));
    expect(await topUp.locator('[data-testid="top-up-room"]').textContent()).toBe(ntd(600));
    expect(await topUp.locator('li[data-note="100"]').getAttribute('data-fits')).toBe('true');
    expect(await topUp.locator('li[data-note="500"]').getAttribute('data-fits')).toBe('true');
    expect(await topUp.locator('li[data-note="1000"]').getAttribute('data-fits')).toBe('false');
    expect(await topUp.locator('li[data-note="1000"]').textContent()).toContain('會超過上限');
    expect((await ledger(kind)).balance).toBe(9_400);

    // A NT$500 (9,900), and a second NT$500 fed in the moment the first is stacked — before the kiosk
    // has told the validator that NT$500 no longer fits, so the validator takes it into escrow. The
    // kiosk checks the cap there and gives it back before it is taken.
    const before = validator.state();
    // Stacked slowly enough to be seen on its way in, however busy the machine.
    validator.retime({ stackingMs: 500 });
    await dev({ type: 'insert-note', amount: 500 });
    await waitFor(() => validator.state().stacking !== null, 5_000, 'the first NT$500 was not stacked');
    // Read at once: the kiosk's next poll, its credit and its new mask take tens of milliseconds on the line.
    validator.retime({ validationMs: 0 });
    let second = await validator.insertNote(500);
    while (second.kind === 'not-taken' && second.reason === 'busy') {
      await new Promise((resolve) => setImmediate(resolve));
      second = await validator.insertNote(500);
    }
    validator.retime({ validationMs: 20, stackingMs: 120 });
    expect(second, 'the validator refused the second note by its mask: the race was lost').toEqual({ kind: 'escrow', billType: 3 });
    await page.locator('[data-notice="note-over-cap"]').waitFor({ timeout: 10_000 });
    expect(await text('[data-notice="note-over-cap"] p')).toBe('這張鈔票會讓餘額超過上限，已退還：請取回鈔票');
    await waitFor(() => validator.state().returnedNotes === before.returnedNotes + 1, 5_000, 'the second NT$500 was not given back');
    expect(validator.state().stackedTotal[500] ?? 0).toBe((before.stackedTotal[500] ?? 0) + 1);
    expect(validator.state().escrow).toBeNull();
    expect((await ledger(kind)).balance).toBe(9_900);
    await expect.poll(() => text('[data-testid="top-up-balance"]')).toBe(ntd(9_900));
    expect(await topUp.locator('[data-testid="top-up-room"]').textContent()).toBe(ntd(100));
    expect(await topUp.locator('li[data-note="500"]').getAttribute('data-fits')).toBe('false');
    await screenshot(page, 'top-up-over-cap');
    // Now the validator is told: a NT$500 is refused by its mask, not taken.
    await waitFor(() => !validator.state().enabledTypes.includes(3), 5_000, 'NT$500 still enabled at NT$9,900');
    const masked = validator.state();
    await dev({ type: 'insert-note', amount: 500 });
    await page.locator('[data-notice="note-refused"]').waitFor({ timeout: 10_000 });
    expect(validator.state()).toMatchObject({ stackedTotal: masked.stackedTotal, returnedNotes: masked.returnedNotes, escrow: null });
    expect((await ledger(kind)).balance).toBe(9_900);

    await page.locator('[data-action="top-up-finish"]').click();
    await screen('top-up-done').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-self-service="top-up-done"]').getAttribute('data-mirror')).toBe('up-to-date');
    expect(await text('[data-testid="receipt-amount"]')).toBe(ntd(9_900));
    expect(await text('[data-testid="receipt-balance"]')).toBe(ntd(9_900));
    expect(await kiosk.store.wallet.walletOf(cardNumber(kind))).toMatchObject({ balance: 9_900, counter: 14, confirmed: { balance: 9_900, counter: 14 } });
    expect(chipWallet(kind)).toEqual({ balance: 9_900, counter: 14 });
    // The journal: fourteen notes credited, the one over the cap returned.
    const journal = await kiosk.store.wallet.journalOf(await text('[data-testid="receipt-journal"]'));
    expect(journal.map((row) => row.state).sort()).toEqual([...Array<string>(14).fill('credited'), 'returned']);
    expect(journal.find((row) => row.state === 'returned')).toMatchObject({ amount: 500 });
    await screenshot(page, 'top-up-done');
    // "Please take your card": the receipt stays when they do, until Done (or its delay).
    await dev({ type: 'remove-card' });
    await expectAbsentFor(() => view()?.state !== 'top-up-done', cardClearedMs, { what: 'the receipt cleared as the card was taken' });
    expect(await screen('top-up-done').count()).toBe(1);
    await page.locator('[data-action="dismiss-card"]').click();
    await screen('ready').waitFor({ timeout: 10_000 });
  });

  it('a card lifted before the mirror write: the done screen says the credit is safe and pending; the next tap writes it', { timeout: 60_000 }, async () => {
    running.reportOnFailure();
    const kind = 'demo-disability';
    await tap(kind);
    const before = await ledger(kind);
    await startTopUp();
    await note(500, 500);
    await note(100, 600);
    // The card leaves the reader as the kiosk sends the wallet write: nothing lands on the chip.
    await dev({ type: 'card-fault', fault: 'lift-before-wallet-write' });
    await page.locator('[data-action="top-up-finish"]').click();
    await screen('top-up-done').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-self-service="top-up-done"]').getAttribute('data-mirror')).toBe('pending');
    expect(await text('[data-testid="mirror-state"]')).toBe('這筆儲值已安全存入您的帳戶，新的餘額會在您下次感應卡片時寫入卡片');
    expect(await text('[data-testid="receipt-amount"]')).toBe(ntd(600));
    await screenshot(page, 'top-up-done-pending');
    const credited = await ledger(kind);
    expect(credited).toMatchObject({ balance: before.balance + 600, counter: before.counter + 2 });
    // The ledger has it; the chip does not yet.
    expect(credited.confirmed?.counter ?? 0).toBe(before.counter);
    expect(chipWallet(kind)).toEqual({ balance: before.balance, counter: before.counter });
    expect(await kiosk.store.wallet.pendingCredits()).toContainEqual(expect.objectContaining({ cardNumber: cardNumber(kind), amount: 600 }));
    await page.locator('[data-action="dismiss-card"]').click();
    await dev({ type: 'remove-card' });
    await screen('ready').waitFor({ timeout: 10_000 });

    // The next tap of that card brings the chip forward to the ledger.
    await tap(kind);
    await page.locator('[data-testid="brought-forward"]').waitFor();
    expect(await text('[data-testid="brought-forward"]')).toBe('之前的儲值剛剛已寫入卡片');
    expect(view()).toMatchObject({ state: 'card', card: { wallet: { mirror: 'brought-forward', balance: before.balance + 600 } } });
    expect(await text('[data-testid="card-balance"]')).toBe(ntd(before.balance + 600));
    expect(chipWallet(kind)).toEqual({ balance: before.balance + 600, counter: before.counter + 2 });
    expect(await ledger(kind)).toMatchObject({ confirmed: { balance: before.balance + 600, counter: before.counter + 2 } });
    expect(await kiosk.store.wallet.pendingCredits()).not.toContainEqual(expect.objectContaining({ cardNumber: cardNumber(kind) }));
    await lift();
    // Tapped again: up to date, nothing more written.
    await tap(kind);
    expect(view()).toMatchObject({ state: 'card', card: { wallet: { mirror: 'up-to-date', pendingAmount: 0 } } });
    await lift();
  });

  it('refuses a hot-listed card: no top-up offered, the refusal in words', { timeout: 30_000 }, async () => {
    running.reportOnFailure();
    await dev({ type: 'place-card', kind: 'demo-hot-listed' });
    await page.locator('[data-self-service="card"][data-status="hot-listed"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-action="top-up-start"]').count()).toBe(0);
    expect(await page.locator('[data-testid="top-up-refused"]').getAttribute('data-refusal')).toBe('hot-listed');
    expect(await text('[data-testid="top-up-refused"]')).toBe('此卡已掛失停用，無法儲值：請洽服務台人員');
    expect(await text('[data-testid="contact-desk"]')).toBe('請洽服務台人員協助');
    // Nor can the command start one behind the screen's back.
    expect(await kiosk.controller.command({ type: 'top-up-start' })).toMatchObject({ accepted: false });
    expect(validator.state().masterInhibit).toBe(true);
    await screenshot(page, 'top-up-hot-listed');
    await lift();
  });

  it('the escrow timeout gives a note back when the kiosk did not route it in time: the citizen told, nothing credited', { timeout: 30_000 }, async () => {
    running.reportOnFailure();
    const kind = 'demo-senior';
    await tap(kind);
    const before = await ledger(kind);
    const returnedBefore = validator.state().returnedNotes;
    await startTopUp();
    // A validator whose escrow gives up at once: the note is back out before the kiosk's route command.
    validator.retime({ escrowTimeoutMs: 0 });
    try {
      await dev({ type: 'insert-note', amount: 500 });
      await page.locator('[data-notice="note-returned"]').waitFor({ timeout: 10_000 });
    } finally {
      validator.retime({ escrowTimeoutMs: 10_000 });
    }
    expect(await text('[data-notice="note-returned"] p')).toBe('鈔票等太久沒有收入，已退還：請取回鈔票，需要時再放一次');
    expect(validator.state().returnedNotes).toBe(returnedBefore + 1);
    expect(await text('[data-testid="top-up-inserted"]')).toBe(ntd(0));
    expect(await ledger(kind)).toMatchObject({ balance: before.balance, counter: before.counter });
    await waitFor(async () => (await kiosk.store.wallet.openJournal('cctalk')) === null, 5_000, 'the returned note\'s row stayed open');
    await screenshot(page, 'top-up-note-returned');
    // Nothing went in: Cancel goes straight back, with no receipt.
    await page.locator('[data-action="top-up-cancel"]').click();
    await screen('ready').waitFor({ timeout: 10_000 });
    expect(await ledger(kind)).toMatchObject({ balance: before.balance, counter: before.counter });
    await waitFor(() => validator.state().masterInhibit, 5_000, 'the validator was left taking notes');
    await dev({ type: 'remove-card' });
  });

  it('a jam in transport that may have taken the note is an exception for staff, not a credit; the kiosk closes and says what happened to the money', { timeout: 30_000 }, async () => {
    running.reportOnFailure();
    const kind = 'demo-senior';
    await tap(kind);
    const before = await ledger(kind);
    await startTopUp();
    await note(100, 100);
    // A slow stacker, so that the jam comes while the next note is on its way in.
    validator.retime({ stackingMs: 3_000 });
    await dev({ type: 'insert-note', amount: 500 });
    await waitFor(() => validator.state().stacking !== null, 5_000, 'the NT$500 was not being stacked');
    await dev({ type: 'validator-fault', fault: 'jam-unsafe' });
    await screen('out-of-service').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-closure]').getAttribute('data-closure')).toBe('cash-fault');
    expect(await text('[data-closure]')).toBe('收鈔機故障，本機暫停服務：請洽服務台');
    const last4 = cardNumber(kind).slice(-4);
    expect(await text('[data-money="credited"] p')).toBe(`NT$ 100 已存入卡號末四碼 ${last4} 的卡片帳戶`);
    expect(await text('[data-money="in-doubt"] p')).toBe('NT$ 500 需要工作人員確認，工作人員會為您處理：請拍下這個畫面並洽服務台');
    await screenshot(page, 'top-up-unsafe-jam');
    // Only the NT$100 is credited; the NT$500 is for staff to settle, its journal row closed as an exception.
    expect(await ledger(kind)).toMatchObject({ balance: before.balance + 100, counter: before.counter + 1 });
    const open = await kiosk.store.wallet.exceptions({ open: true });
    expect(open).toEqual([expect.objectContaining({ kind: 'note-unsafe-jam', cardNumber: cardNumber(kind), amount: 500 })]);
    expect(await kiosk.store.wallet.openJournal('cctalk')).toBeNull();
    expect(validator.state()).toMatchObject({ jam: 'unsafe', masterInhibit: true });
    // Out of service: a card tapped now is not looked up, a top-up cannot start.
    expect(await kiosk.controller.command({ type: 'top-up-start' })).toMatchObject({ accepted: false });
  });
});
