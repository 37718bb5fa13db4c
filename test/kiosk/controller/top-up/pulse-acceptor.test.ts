import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, waitFor } from 'xstate';
import type { KioskBoard } from '../../../../firmware/board';
import { cashLogic, notesNow } from '../../../../kiosk/controller/top-up/cash-machine';
import { pulseAsValidator, pulseNoteEvents, settlePulseJournal } from '../../../../kiosk/controller/top-up/pulse-acceptor';
import { ok } from '../../../../shared/result';
import { issuance, openTempStore, type TempStore } from '../store/temp-store';

const card = 'TY-K01-S-0000001';
const cap = 10_000;

describe('the pulse acceptor in a visit (no escrow: journaled and credited at once)', () => {
  let t: TempStore;
  let inhibits: boolean[];
  const board = { setCashInhibit: (inhibited: boolean) => (inhibits.push(inhibited), ok(undefined)) } as Pick<KioskBoard, 'setCashInhibit'>;

  beforeEach(async () => {
    t = await openTempStore();
    await t.store.recordIssuance(issuance({ cardNumber: card }));
    inhibits = [];
  });
  afterEach(() => t.cleanup());

  it('a pulse note during a visit is journaled under the pulse device and credited once; the acceptor is opened and closed with the visit', async () => {
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const actor = createActor(cashLogic({ validator: pulseAsValidator(board), device: 'pulse', wallet: t.store.wallet }), { input: { topUpId, cardNumber: card, balance: 0, cap }, clock: new SimulatedClock() });
    actor.start();
    await waitFor(actor, (s) => s.matches('waiting'));
    expect(inhibits).toEqual([false]);
    for (const event of pulseNoteEvents({ amount: 500, sequence: 41 })) actor.send(event);
    await waitFor(actor, (s) => s.matches('waiting') && s.context.inserted === 500);
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ device: 'pulse', state: 'credited', amount: 500, escrowCounter: null })]);
    actor.send({ type: 'close' });
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output).toMatchObject({ inserted: 500, balance: 500, fault: null });
    expect(inhibits).toEqual([false, false, true]);
  });

  it('restart: a pulse note journaled before the crash was taken, so it is credited, once', async () => {
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const journaled = await t.store.wallet.journalEscrow({ topUpId, cardNumber: card, device: 'pulse', billType: null, amount: 1000, escrowCounter: null });
    expect(journaled.ok).toBe(true);
    await settlePulseJournal(t.store.wallet, cap, () => {});
    await settlePulseJournal(t.store.wallet, cap, () => {});
    expect((await t.store.wallet.walletOf(card)).balance).toBe(1000);
    expect(await t.store.wallet.openJournal('pulse')).toBeNull();
  });

  it('an ambiguous pulse train: the certain amount is credited, what more may have been taken is an exception for the card', async () => {
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const actor = createActor(cashLogic({ validator: pulseAsValidator(board), device: 'pulse', wallet: t.store.wallet }), { input: { topUpId, cardNumber: card, balance: 0, cap }, clock: new SimulatedClock() });
    actor.start();
    await waitFor(actor, (s) => s.matches('waiting'));
    for (const event of pulseNoteEvents({ amount: 500, sequence: 7, irregular: true, maxAmount: 600 })) actor.send(event);
    await waitFor(actor, (s) => s.matches('waiting') && s.context.inserted === 500);
    actor.send({ type: 'close' });
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output).toMatchObject({ inserted: 500, balance: 500, inDoubt: 100 });
    expect(await t.store.wallet.exceptions({ open: true })).toEqual([
      expect.objectContaining({ kind: 'note-unknown', cardNumber: card, amount: 100, details: expect.objectContaining({ sequence: 7, certain: 500, maxAmount: 600, irregular: true }) }),
    ]);
  });

  it('a refused pulse train (a pulse lost: no programmed note, NT$0 certain, up to NT$500): nothing credited, the whole note an exception for the card', async () => {
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const actor = createActor(cashLogic({ validator: pulseAsValidator(board), device: 'pulse', wallet: t.store.wallet }), { input: { topUpId, cardNumber: card, balance: 0, cap }, clock: new SimulatedClock() });
    actor.start();
    await waitFor(actor, (s) => s.matches('waiting'));
    for (const event of pulseNoteEvents({ amount: 0, sequence: 8, irregular: true, maxAmount: 500 })) actor.send(event);
    actor.send({ type: 'close' });
    const done = await waitFor(actor, (s) => s.status === 'done');
    expect(done.output).toMatchObject({ inserted: 0, balance: 0, inDoubt: 500 });
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([]);
    expect(await t.store.wallet.exceptions({ open: true })).toEqual([
      expect.objectContaining({ kind: 'note-unknown', cardNumber: card, amount: 500, details: expect.objectContaining({ sequence: 8, certain: 0, maxAmount: 500, irregular: true }) }),
    ]);
  });

  it('all or nothing: with NT$500 of room the acceptor stays inhibited (a NT$1000 note could not be refused), and the screen offers no note', async () => {
    const { topUpId: earlier } = await t.store.wallet.startTopUp(card);
    const journaled = await t.store.wallet.journalEscrow({ topUpId: earlier, cardNumber: card, device: 'pulse', billType: null, amount: 9_500, escrowCounter: null });
    if (!journaled.ok) throw new Error(journaled.error.kind);
    expect((await t.store.wallet.creditStacked({ journalId: journaled.value.journalId, stackedCounter: null, cap })).ok).toBe(true);
    await t.store.wallet.endTopUp(earlier);
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const actor = createActor(cashLogic({ validator: pulseAsValidator(board), device: 'pulse', wallet: t.store.wallet }), { input: { topUpId, cardNumber: card, balance: 9_500, cap, allOrNothing: true }, clock: new SimulatedClock() });
    actor.start();
    const waiting = await waitFor(actor, (s) => s.matches('waiting'));
    expect(inhibits).toEqual([true]);
    expect(notesNow(waiting.context)).toEqual([]);
    actor.stop();
  });

  it('all or nothing even when the visit does not say so: the pulse acceptor opens only when every accepted note fits', async () => {
    const { topUpId } = await t.store.wallet.startTopUp(card);
    const actor = createActor(cashLogic({ validator: pulseAsValidator(board), device: 'pulse', wallet: t.store.wallet }), { input: { topUpId, cardNumber: card, balance: 9_500, cap }, clock: new SimulatedClock() });
    actor.start();
    await waitFor(actor, (s) => s.matches('waiting'));
    expect(inhibits).toEqual([true]);
    actor.stop();
  });
});
