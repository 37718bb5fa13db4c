import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BillEvent } from '../../../../hardware/bill-validator/types';
import { closesKiosk, counterSteps, settleJournal } from '../../../../kiosk/controller/top-up/settle-journal';
import type { Timers } from '../../../../shared/clock';
import type { LogEvent } from '../../../../shared/log';
import { issuance, openTempStore, type TempStore } from '../store/temp-store';
import { fakeValidator } from './fake-validator';

const card = 'TY-K01-S-0000001';
const cap = 10_000;
/** Polls wait on this: no real time passes in the test. */
const instant: Timers = { setTimeout: (callback) => queueMicrotask(callback), clearTimeout: () => {} };

const stacked = (counter: number, billType = 3): BillEvent => ({ kind: 'stacked', counter, billType, value: 500 });
const status = (counter: number, s: Extract<BillEvent, { kind: 'status' }>['status']): BillEvent => ({ kind: 'status', counter, status: s, code: 0 });

describe('restart settlement of the cash journal', () => {
  let t: TempStore;
  let fake: ReturnType<typeof fakeValidator>;
  let logged: LogEvent[];
  let journalId: string;

  /** A note of NT$500 (bill type 3) journaled at escrow counter 10, left in `state` by a crash. */
  async function crashedIn(state: 'escrow' | 'routing'): Promise<void> {
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const escrow = await t.store.wallet.journalEscrow({ topUpId, cardNumber: card, device: 'cctalk', billType: 3, amount: 500, escrowCounter: 10 });
    if (!escrow.ok) throw new Error(escrow.error.kind);
    journalId = escrow.value.journalId;
    if (state === 'routing') await t.store.wallet.markRouting(journalId);
  }
  const settle = (polls = 5) => settleJournal({ validator: fake.validator, wallet: t.store.wallet, cap, log: (event) => logged.push(event), timers: instant, polls });
  let lastTopUp = '';
  const row = async () => (await t.store.wallet.journalOf(lastTopUp))[0];
  const balance = async () => (await t.store.wallet.walletOf(card)).balance;

  beforeEach(async () => {
    t = await openTempStore();
    await t.store.recordIssuance(issuance({ cardNumber: card }));
    fake = fakeValidator();
    logged = [];
  });
  afterEach(() => t.cleanup());

  it('counts counter steps across the wrap (255 → 1, never 0)', () => {
    expect(counterSteps(10, 12)).toBe(2);
    expect(counterSteps(254, 2)).toBe(3);
    expect(counterSteps(255, 1)).toBe(1);
  });

  it('nothing open and no note held: nothing to settle, nothing sent', async () => {
    fake.setBuffer({ counter: 11, events: [stacked(11)] });
    expect(await settle()).toEqual({ kind: 'nothing-open' });
    expect(fake.calls).toEqual([]);
  });

  it('nothing open but a note held in escrow (the crash came before its journal row): given back, nothing credited', async () => {
    fake.setBuffer({ counter: 12, events: [stacked(11), { kind: 'escrow', counter: 12, billType: 3, value: 500 }] });
    expect(await settle()).toEqual({ kind: 'nothing-open' });
    expect(fake.calls).toEqual(['route return']);
    expect(await balance()).toBe(0);
  });

  it('across the counter wrap: a note journaled at 254 and stacked at 255 is credited (the slot before 1 counts)', async () => {
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const escrow = await t.store.wallet.journalEscrow({ topUpId, cardNumber: card, device: 'cctalk', billType: 3, amount: 500, escrowCounter: 254 });
    if (!escrow.ok) throw new Error(escrow.error.kind);
    await t.store.wallet.markRouting(escrow.value.journalId);
    fake.setBuffer({
      counter: 2,
      events: [status(1, 'master-inhibit'), status(2, 'master-inhibit')],
      earlierSlots: [{ kind: 'escrow', counter: 254, billType: 3, value: 500 }, stacked(255)],
    });
    expect(await settle()).toMatchObject({ kind: 'credited', journalId: escrow.value.journalId });
    expect(await balance()).toBe(500);
  });

  for (const state of ['escrow', 'routing'] as const) {
    describe(`a row left in ${state}`, () => {
      beforeEach(async () => {
        await crashedIn(state);
        lastTopUp = (await t.store.wallet.openJournal('cctalk'))!.topUpId;
      });

      it('stacked after its escrow: credited once (settling again changes nothing)', async () => {
        fake.setBuffer({ counter: 11, events: [stacked(11)] });
        expect(await settle()).toEqual({ kind: 'credited', journalId, amount: 500, last4: '0001' });
        expect(await settle()).toEqual({ kind: 'nothing-open' });
        expect(await balance()).toBe(500);
        expect(await row()).toMatchObject({ state: 'credited', stackedCounter: 11 });
        expect(closesKiosk({ kind: 'credited', journalId, amount: 500, last4: '0001' })).toBeNull();
        expect(JSON.stringify(logged)).not.toContain(card);
      });

      it('a stacked event before its escrow (an earlier note) does not credit it; nothing after: sent back, polled until returned', async () => {
        fake.setBuffer({ counter: 10, events: [stacked(9), { kind: 'escrow', counter: 10, billType: 3, value: 500 }] });
        // The validator gives it back once told.
        fake.bufferAfterRoute({ counter: 11, events: [stacked(9), { kind: 'escrow', counter: 10, billType: 3, value: 500 }, status(11, 'returned')] });
        expect(await settle()).toMatchObject({ kind: 'sent-back', journalId });
        expect(fake.calls).toEqual(['route return']);
        expect(fake.calls).not.toContain('route stack');
        expect(await balance()).toBe(0);
        expect(await row()).toMatchObject({ state: 'returned' });
      });

      it('returned after its escrow: closed unpaid, nothing sent', async () => {
        fake.setBuffer({ counter: 12, events: [status(11, 'returned'), status(12, 'master-inhibit')] });
        expect(await settle()).toMatchObject({ kind: 'returned', journalId });
        expect(fake.calls).toEqual([]);
        expect(await balance()).toBe(0);
      });

      it('refused after its escrow (invalid in transport): closed unpaid', async () => {
        fake.setBuffer({ counter: 11, events: [status(11, 'invalid-transport')] });
        expect(await settle()).toMatchObject({ kind: 'returned' });
        expect(await row()).toMatchObject({ state: 'returned' });
      });

      it('an unsafe jam after its escrow: an exception for staff, no credit, the kiosk stays closed', async () => {
        fake.setBuffer({ counter: 11, events: [status(11, 'jam-transport-unsafe')] });
        const outcome = await settle();
        expect(outcome).toMatchObject({ kind: 'exception', exception: 'note-unsafe-jam', journalId });
        expect(closesKiosk(outcome)).toBe('cash-fault');
        expect(await balance()).toBe(0);
        expect(await t.store.wallet.exceptions({ open: true })).toEqual([expect.objectContaining({ kind: 'note-unsafe-jam', amount: 500 })]);
      });

      it('the validator restarted (counter 0): an exception, never a guess, closed with cash-events-lost', async () => {
        fake.setBuffer({ counter: 0, events: [] });
        const outcome = await settle();
        expect(outcome).toMatchObject({ kind: 'exception', exception: 'validator-restarted' });
        expect(closesKiosk(outcome)).toBe('cash-events-lost');
        expect(fake.calls).toEqual([]);
        expect(await balance()).toBe(0);
      });

      it('a gap of more than five events: an exception (events lost), even with a stacked event in view', async () => {
        fake.setBuffer({ counter: 16, events: [stacked(12), status(13, 'master-inhibit'), status(14, 'master-inhibit'), status(15, 'master-inhibit'), status(16, 'master-inhibit')] });
        const outcome = await settle();
        expect(outcome).toMatchObject({ kind: 'exception', exception: 'events-lost' });
        expect(await balance()).toBe(0);
      });

      it('nothing after its escrow, then stacked after all (the return came too late): credited, not lost', async () => {
        fake.setBuffer({ counter: 10, events: [] });
        fake.bufferAfterRoute({ counter: 11, events: [stacked(11)] });
        expect(await settle()).toMatchObject({ kind: 'credited', journalId });
        expect(await balance()).toBe(500);
      });

      it('nothing after its escrow and no report after the return: in doubt (an exception), never stacked', async () => {
        fake.setBuffer({ counter: 10, events: [] });
        expect(await settle(3)).toMatchObject({ kind: 'exception', exception: 'note-unknown' });
        expect(fake.calls).toEqual(['route return']);
        expect(await balance()).toBe(0);
      });
    });
  }
});
