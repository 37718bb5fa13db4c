import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SimulatedClock } from 'xstate';
import { openReceiptSigner, verifyReceipt } from '../../../../kiosk/controller/receipt/receipt-signer';
import { createSelfService } from '../../../../kiosk/controller/self-service/own-card';
import { pulseNoteEvents } from '../../../../kiosk/controller/top-up/pulse-acceptor';
import { receiptMaker } from '../../../../kiosk/controller/top-up/receipt';
import type { SelfServiceView } from '../../../../shared/contract/kiosk-api';
import type { LogEvent } from '../../../../shared/log';
import { fakeCounter, until, type FakeCounter } from '../fake-counter';
import { masterKey } from '../staff-fixture';
import { issuance, openTempStore, person, type TempStore } from '../store/temp-store';
import { fakeValidator } from './fake-validator';

const mine = '3300011300000015';
const lostOne = '3300011300000031';
const cap = 10_000;

describe('a top-up visit in the counter region', () => {
  let t: TempStore;
  let counter: FakeCounter;
  let fake: ReturnType<typeof fakeValidator>;
  let timers: SimulatedClock;
  let selfService: ReturnType<typeof createSelfService>;
  let logged: LogEvent[];
  let publicKeyPem: string;

  beforeEach(async () => {
    t = await openTempStore();
    t.clock.set(new Date('2026-03-15T03:00:00Z'));
    await t.store.recordIssuance(issuance({ cardNumber: mine, monthlyPoints: 800 }));
    await t.store.recordIssuance(issuance({ cardNumber: lostOne, applicant: { ...person, idNumber: 'C123456781' }, monthlyPoints: 800 }));
    expect(await t.store.setCardStatus({ cardNumber: lostOne, status: 'hot-listed', reason: 'lost', operatorId: null })).toMatchObject({ ok: true });
    counter = fakeCounter({ masterKey });
    fake = fakeValidator();
    timers = new SimulatedClock();
    logged = [];
    const signer = openReceiptSigner(t.dir);
    if (!signer.ok) throw new Error('no signer');
    publicKeyPem = signer.value.publicKeyPem;
    selfService = createSelfService({
      counter: counter.station, chipMasterKey: masterKey, clock: t.clock, log: (event) => logged.push(event), timers,
      cardStatus: async (cardNumber) => (await t.store.cardByNumber(cardNumber))?.status ?? null,
      delays: { ownCardShown: 30_000, problemShown: 30_000, topUpIdle: 60_000, topUpDoneShown: 20_000 },
      topUp: { wallet: t.store.wallet, validator: fake.validator, cap, accepted: [100, 500, 1000], cash: () => 'ready', signReceipt: receiptMaker(signer.value, 'TY-K01', t.clock) },
    });
  });
  afterEach(async () => {
    selfService.stop();
    await t.cleanup();
  });

  const view = (): SelfServiceView => selfService.view();
  const cardShown = async () => {
    await until(() => view().state === 'card');
    const shown = view();
    if (shown.state !== 'card') throw new Error('no card');
    return shown.card;
  };
  const topUpShown = async (check: (topUp: Extract<SelfServiceView, { state: 'top-up' }>['topUp']) => boolean = () => true) => {
    await until(() => { const v = view(); return v.state === 'top-up' && check(v.topUp); });
    const shown = view();
    if (shown.state !== 'top-up') throw new Error('no top-up');
    return shown.topUp;
  };
  /** A note inserted and stacked, as the validator reports it. */
  const note = async (value: number, inserted: number) => {
    selfService.bill({ type: 'bill.event', event: fake.escrow(value) });
    await until(() => fake.calls.filter((call) => call === 'route stack').length > stackedSoFar);
    stackedSoFar += 1;
    selfService.bill({ type: 'bill.event', event: fake.stacked(value) });
    await topUpShown((topUp) => topUp.inserted === inserted && topUp.phase === 'insert');
  };
  let stackedSoFar = 0;
  /** Starts a top-up and waits until the validator takes notes. */
  const startTopUp = async () => {
    expect(selfService.topUp({ type: 'top-up-start' })).toEqual({ accepted: true });
    await until(() => fake.calls.includes('enable'));
  };
  beforeEach(() => {
    stackedSoFar = 0;
  });
  const chipWallet = async () => {
    const read = await counter.onReader();
    if (!read.ok) throw new Error(read.error.kind);
    return read.value.record.wallet;
  };

  it('tap → wallet and points → top-up → two notes credited once → finish: the chip written, a signed receipt, then ready', async () => {
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    const card = await cardShown();
    expect(card.wallet).toMatchObject({ balance: 0, cap, mirror: 'up-to-date', pendingAmount: 0, points: { month: '2026-03', balance: 800, monthly: 800, loadedNow: true }, topUp: { available: true, room: cap, notes: [100, 500, 1000] } });
    await startTopUp();
    expect(await topUpShown((topUp) => topUp.phase === 'insert')).toEqual({ last4: '0015', balance: 0, inserted: 0, room: cap, notes: [100, 500, 1000], phase: 'insert', escrow: null, notice: null });
    await note(1000, 1000);
    await note(500, 1500);
    expect(selfService.topUp({ type: 'top-up-finish' })).toEqual({ accepted: true });
    await until(() => view().state === 'top-up-done');
    const done = view();
    if (done.state !== 'top-up-done') throw new Error('not done');
    expect(done.done).toMatchObject({ mirror: 'up-to-date', receipt: { last4: '0015', amount: 1500, balance: 1500, printed: 'no-printer' } });
    expect(verifyReceipt(done.done.receipt.qr, publicKeyPem)).toMatchObject({ ok: true, value: { last4: '0015', amount: 1500, kioskId: 'TY-K01' } });
    expect(await chipWallet()).toEqual({ balance: 1500, transactionCounter: 2 });
    expect(await t.store.wallet.walletOf(mine)).toMatchObject({ balance: 1500, counter: 2, confirmed: { counter: 2, balance: 1500 } });
    expect(fake.calls.at(-1)).toBe('inhibit');
    // "Please take your card": the receipt stays on show when they do, until its delay.
    counter.remove();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(view()).toMatchObject({ state: 'top-up-done' });
    timers.increment(20_000);
    expect(view()).toEqual({ state: 'ready' });
    expect(JSON.stringify(logged)).not.toContain(mine);
  });

  it('the cap is checked against the ledger when the top-up starts, not as the tap showed it: a credit in between narrows the notes', async () => {
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    expect((await cardShown()).wallet).toMatchObject({ balance: 0, topUp: { available: true, notes: [100, 500, 1000] } });
    // Another kiosk of the same store credits NT$9,500 while the card is on show here.
    const { topUpId: elsewhere } = await t.store.wallet.startTopUp(mine);
    const escrow = await t.store.wallet.journalEscrow({ topUpId: elsewhere, cardNumber: mine, device: 'cctalk', billType: 9, amount: 9_500, escrowCounter: 200 });
    if (!escrow.ok) throw new Error(escrow.error.kind);
    await t.store.wallet.markRouting(escrow.value.journalId);
    expect(await t.store.wallet.creditStacked({ journalId: escrow.value.journalId, stackedCounter: 201, cap })).toMatchObject({ ok: true });
    await t.store.wallet.endTopUp(elsewhere);
    await startTopUp();
    expect(fake.calls.slice(0, 2)).toEqual(['accept 100,500', 'enable']);
    expect(await topUpShown((topUp) => topUp.phase === 'insert')).toMatchObject({ balance: 9_500, room: 500, notes: [100, 500] });
  });

  it('cancel with a note in escrow: the note goes back first, what was credited stays credited', async () => {
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    await cardShown();
    await startTopUp();
    await note(100, 100);
    selfService.bill({ type: 'bill.event', event: fake.escrow(1000) });
    await until(() => fake.calls.filter((call) => call === 'route stack').length === 2);
    // Journaled and being stacked: cancel cannot pull it back, so it is credited when reported.
    selfService.bill({ type: 'bill.event', event: fake.escrow(500) }); // a second note while one is in flight: sent back
    await until(() => fake.calls.at(-1) === 'route return');
    expect(selfService.topUp({ type: 'top-up-cancel' })).toEqual({ accepted: true });
    selfService.bill({ type: 'bill.event', event: fake.stacked(1000) });
    await until(() => view().state === 'top-up-done');
    expect(view()).toMatchObject({ state: 'top-up-done', done: { receipt: { amount: 1100 } } });
    expect((await t.store.wallet.walletOf(mine)).balance).toBe(1100);
  });

  it('cancel with a note just in escrow: it goes back, and the screen says closing until the visit ends (never insert again)', async () => {
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    await cardShown();
    await startTopUp();
    const phases: string[] = [];
    const stop = selfService.onChange(() => { const v = view(); if (v.state === 'top-up') phases.push(v.topUp.phase); });
    selfService.bill({ type: 'bill.event', event: fake.escrow(1000) });
    expect(selfService.topUp({ type: 'top-up-cancel' })).toEqual({ accepted: true });
    await until(() => fake.calls.at(-1) === 'route return');
    selfService.bill({ type: 'bill.event', event: fake.status('returned') });
    await until(() => view().state === 'ready');
    stop();
    expect(phases.slice(phases.indexOf('closing'))).not.toContain('insert');
    expect(fake.calls).not.toContain('route stack');
  });

  it('the idle delay finishes a visit with nothing inserted: no receipt, back to ready, the validator inhibited', async () => {
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    await cardShown();
    await startTopUp();
    timers.increment(59_000);
    expect(view().state).toBe('top-up');
    timers.increment(1_000);
    await until(() => view().state === 'ready');
    expect(fake.calls.at(-1)).toBe('inhibit');
  });

  it('the card lifted during the visit ends it as Finish does: a note in escrow goes back, the credit stays pending, the next tap writes it', async () => {
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    await cardShown();
    await startTopUp();
    await note(500, 500);
    // A note in escrow as the card goes: never credited to a card that has gone.
    selfService.bill({ type: 'bill.event', event: fake.escrow(1000) });
    counter.remove();
    expect(await topUpShown()).toMatchObject({ cardLifted: true });
    await until(() => fake.calls.includes('route return'));
    selfService.bill({ type: 'bill.event', event: fake.status('returned') });
    await until(() => view().state === 'top-up-done');
    expect(view()).toMatchObject({ state: 'top-up-done', done: { mirror: 'pending', receipt: { amount: 500 } } });
    expect(fake.calls.filter((call) => call === 'route stack')).toHaveLength(1);
    expect(fake.calls.at(-1)).toBe('inhibit');
    expect(await t.store.wallet.pendingCredits()).toEqual([expect.objectContaining({ cardNumber: mine, amount: 500 })]);
    // The next tap of that card brings the chip forward.
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    const card = await cardShown();
    expect(card.wallet).toMatchObject({ balance: 500, mirror: 'brought-forward', pendingAmount: 0 });
    expect(await chipWallet()).toEqual({ balance: 500, transactionCounter: 1 });
    expect(await t.store.wallet.pendingCredits()).toEqual([]);
  });

  it('the card lifted before any note: the visit ends, the validator inhibited, nothing credited', async () => {
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    await cardShown();
    await startTopUp();
    counter.remove();
    await until(() => view().state === 'ready');
    expect(fake.calls.at(-1)).toBe('inhibit');
    expect(await t.store.wallet.pendingCredits()).toEqual([]);
  });

  it('the card lifted while the visit opens: it ends before the validator takes a note', async () => {
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    await cardShown();
    expect(selfService.topUp({ type: 'top-up-start' })).toEqual({ accepted: true });
    counter.remove();
    await until(() => view().state === 'ready');
    expect(fake.calls).not.toContain('enable');
  });

  it("loads the month's points once: a second tap in March loads nothing, the first tap in April does", async () => {
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    expect((await cardShown()).wallet?.points).toEqual({ month: '2026-03', balance: 800, monthly: 800, loadedNow: true });
    counter.remove();
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    expect((await cardShown()).wallet?.points).toEqual({ month: '2026-03', balance: 800, monthly: 800, loadedNow: false });
    counter.remove();
    t.clock.set(new Date('2026-04-15T03:00:00Z'));
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    expect((await cardShown()).wallet?.points).toEqual({ month: '2026-04', balance: 800, monthly: 800, loadedNow: true });
  });

  it('a hot-listed card: no points loaded, top-up refused, and the start command refused', async () => {
    counter.tap({ cardNumber: lostOne, balance: 0, counter: 0 });
    const card = await cardShown();
    expect(card.wallet).toMatchObject({ topUp: { available: false, reason: 'hot-listed' }, points: { loadedNow: false, balance: 0 } });
    expect(selfService.topUp({ type: 'top-up-start' })).toMatchObject({ accepted: false });
    expect(view().state).toBe('card');
  });

  it('a chip mirror ahead of the ledger: an exception for staff, top-up refused', async () => {
    counter.tap({ cardNumber: mine, balance: 300, counter: 4 });
    const card = await cardShown();
    expect(card.wallet).toMatchObject({ topUp: { available: false, reason: 'mirror-exception' } });
    expect(await t.store.wallet.exceptions({ open: true })).toEqual([expect.objectContaining({ kind: 'mirror-ahead', cardNumber: mine })]);
  });

  it('out of service during a visit: the note in escrow goes back, the credit stays, the money notice says both', async () => {
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    await cardShown();
    await startTopUp();
    await note(1000, 1000);
    selfService.bill({ type: 'bill.event', event: fake.escrow(500) });
    selfService.tell({ type: 'service.out', reason: 'tamper' });
    await until(() => fake.calls.includes('route return'));
    selfService.bill({ type: 'bill.event', event: fake.status('returned') });
    await until(() => view().state === 'out-of-service');
    expect(view()).toEqual({ state: 'out-of-service', reason: 'tamper', money: { credited: 1000, returned: 500, inDoubt: 0, last4: '0015' } });
    expect((await t.store.wallet.walletOf(mine)).balance).toBe(1000);
  });

  it('staff step up during a visit: the note in escrow goes back, the credit stays, the validator is inhibited', async () => {
    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    await cardShown();
    await startTopUp();
    await note(500, 500);
    selfService.bill({ type: 'bill.event', event: fake.escrow(1000) });
    selfService.tell({ type: 'staff.present' });
    await until(() => fake.calls.includes('route return'));
    expect(fake.calls.filter((call) => call === 'route stack')).toHaveLength(1);
    selfService.bill({ type: 'bill.event', event: fake.status('returned') });
    await until(() => fake.calls.at(-1) === 'inhibit');
    await until(() => view().state === 'ready');
    expect((await t.store.wallet.walletOf(mine)).balance).toBe(500);
    expect(await t.store.wallet.pendingCredits()).toEqual([]);
  });

  describe('with a pulse acceptor (all or nothing)', () => {
    /** The same counter region, its cash a pulse acceptor: the ledger already holds `balance` for the card. */
    const pulseKiosk = async (balance: number) => {
      selfService.stop();
      const { topUpId } = await t.store.wallet.startTopUp(mine);
      const journaled = await t.store.wallet.journalEscrow({ topUpId, cardNumber: mine, device: 'pulse', billType: null, amount: balance, escrowCounter: null });
      if (!journaled.ok) throw new Error(journaled.error.kind);
      expect((await t.store.wallet.creditStacked({ journalId: journaled.value.journalId, stackedCounter: null, cap })).ok).toBe(true);
      await t.store.wallet.endTopUp(topUpId);
      const signer = openReceiptSigner(t.dir);
      if (!signer.ok) throw new Error('no signer');
      selfService = createSelfService({
        counter: counter.station, chipMasterKey: masterKey, clock: t.clock, log: (event) => logged.push(event), timers,
        cardStatus: async (cardNumber) => (await t.store.cardByNumber(cardNumber))?.status ?? null,
        topUp: { wallet: t.store.wallet, validator: fake.validator, device: 'pulse', cap, accepted: [100, 500, 1000], cash: () => 'ready', signReceipt: receiptMaker(signer.value, 'TY-K01', t.clock) },
      });
    };

    it('room for a small note but not the largest: no top-up offered (near-cap), since the acceptor could not refuse a NT$1000 note', async () => {
      await pulseKiosk(9_500);
      counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
      expect((await cardShown()).wallet?.topUp).toEqual({ available: false, reason: 'near-cap' });
    });

    it('once a credit leaves less room than the largest note, the acceptor is inhibited and the screen offers no note', async () => {
      await pulseKiosk(8_600);
      counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
      expect((await cardShown()).wallet?.topUp).toMatchObject({ available: true, notes: [100, 500, 1000] });
      await startTopUp();
      for (const event of pulseNoteEvents({ amount: 500, sequence: 1 })) selfService.bill(event);
      const shown = await topUpShown((topUp) => topUp.inserted === 500 && topUp.phase === 'insert');
      expect(shown.notes).toEqual([]);
      expect(fake.calls.at(-1)).toBe('inhibit');
    });
  });
});
