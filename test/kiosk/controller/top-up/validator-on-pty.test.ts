import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openBillValidator, type SerialBillValidator } from '../../../../hardware/bill-validator/driver';
import { startBillValidatorSimulatorOnPty, type PluggableBillValidatorSimulator } from '../../../../hardware/bill-validator/simulator';
import type { BillEvent } from '../../../../hardware/bill-validator/types';
import { openReceiptSigner } from '../../../../kiosk/controller/receipt/receipt-signer';
import { createSelfService } from '../../../../kiosk/controller/self-service/own-card';
import { settleCashAtStart, watchValidator } from '../../../../kiosk/controller/top-up/cash-device';
import { receiptMaker } from '../../../../kiosk/controller/top-up/receipt';
import { realTimers } from '../../../../shared/clock';
import type { ServiceEvent } from '../../../../kiosk/controller/machine/service-machine';
import { fakeCounter, until } from '../fake-counter';
import { masterKey } from '../staff-fixture';
import { issuance, openTempStore, type TempStore } from '../store/temp-store';

const mine = '3300011300000015';
const cap = 10_000;

/** The real driver on the host end of a socat pty, the simulated validator on the device end. */
describe('top-up with the ccTalk driver and the validator simulator on a pty', () => {
  let t: TempStore;
  let simulator: PluggableBillValidatorSimulator;
  let validator: SerialBillValidator;
  const cleanup: Array<() => Promise<void> | void> = [];

  beforeEach(async () => {
    t = await openTempStore();
    await t.store.recordIssuance(issuance({ cardNumber: mine }));
    simulator = await startBillValidatorSimulatorOnPty({ validationMs: 20, stackingMs: 100, returnMs: 50, escrowTimeoutMs: 5_000 });
    validator = openBillValidator({ path: simulator.hostPath, pollMs: 30, replyTimeoutMs: 200, reopenIntervalMs: 50 });
    expect(await validator.whenConnected()).toBe(true);
  });
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
    await validator.close();
    await simulator.close();
    await t.cleanup();
  });

  it('a visit: notes stacked and credited once, the chip written, the validator inhibited after; a note outside a visit is refused', async () => {
    const settled = await settleCashAtStart({ validator, wallet: t.store.wallet, cap, log: () => {}, timers: realTimers });
    expect(settled).toEqual({ settlement: { kind: 'nothing-open' }, cause: null });
    const counter = fakeCounter({ masterKey });
    const signer = openReceiptSigner(t.dir);
    if (!signer.ok) throw new Error('no signer');
    const serviceEvents: ServiceEvent[] = [];
    const selfService = createSelfService({
      counter: counter.station, chipMasterKey: masterKey, clock: t.clock, log: () => {},
      cardStatus: async (cardNumber) => (await t.store.cardByNumber(cardNumber))?.status ?? null,
      topUp: { wallet: t.store.wallet, validator, cap, accepted: [100, 500, 1000], cash: () => 'ready', signReceipt: receiptMaker(signer.value, 'TY-K01', t.clock) },
    });
    cleanup.push(() => selfService.stop());
    const watch = watchValidator({ validator, wallet: t.store.wallet, visit: { open: () => selfService.visitOpen(), bill: (event) => selfService.bill(event) }, service: { send: (event) => serviceEvents.push(event) }, log: () => {}, startCause: null });
    cleanup.push(() => watch.stop());

    // Inhibited at start: a note is not taken.
    expect(await simulator.insertNote(500)).toMatchObject({ kind: 'refused' });

    counter.tap({ cardNumber: mine, balance: 0, counter: 0 });
    await until(() => selfService.view().state === 'card');
    expect(selfService.topUp({ type: 'top-up-start' })).toEqual({ accepted: true });
    await until(() => !simulator.state().masterInhibit);
    expect(await simulator.insertNote(500)).toMatchObject({ kind: 'escrow' });
    await until(() => { const v = selfService.view(); return v.state === 'top-up' && v.topUp.inserted === 500 && v.topUp.phase === 'insert'; });
    expect(await simulator.insertNote(1000)).toMatchObject({ kind: 'escrow' });
    await until(() => { const v = selfService.view(); return v.state === 'top-up' && v.topUp.inserted === 1500 && v.topUp.phase === 'insert'; });
    expect(selfService.topUp({ type: 'top-up-finish' })).toEqual({ accepted: true });
    await until(() => selfService.view().state === 'top-up-done');
    expect(selfService.view()).toMatchObject({ done: { mirror: 'up-to-date', receipt: { amount: 1500 } } });
    expect(simulator.state().stackedTotal).toEqual({ 500: 1, 1000: 1 });
    expect(await t.store.wallet.walletOf(mine)).toMatchObject({ balance: 1500, counter: 2 });
    await until(() => simulator.state().masterInhibit);
    expect(serviceEvents).toEqual([]);
  });

  it('restart: a note journaled in escrow before the crash is given back, never credited', async () => {
    const events: BillEvent[] = [];
    validator.on('event', (event) => events.push(event));
    expect(await validator.accept([100, 500, 1000])).toMatchObject({ ok: true });
    expect(await validator.inhibitAll(false)).toMatchObject({ ok: true });
    await simulator.insertNote(1000);
    await until(() => events.some((event) => event.kind === 'escrow'));
    const escrow = events.find((event) => event.kind === 'escrow')!;
    // What the flow had journaled when the controller died.
    const { topUpId } = await t.store.wallet.startTopUp(mine);
    const journaled = await t.store.wallet.journalEscrow({ topUpId, cardNumber: mine, device: 'cctalk', billType: 4, amount: 1000, escrowCounter: escrow.counter });
    expect(journaled.ok).toBe(true);

    const settled = await settleCashAtStart({ validator, wallet: t.store.wallet, cap, log: () => {}, timers: realTimers });
    expect(settled).toMatchObject({ settlement: { kind: 'sent-back', amount: 1000 }, cause: null });
    expect(simulator.state()).toMatchObject({ escrow: null, masterInhibit: true });
    expect(simulator.state().stackedTotal).toEqual({});
    expect((await t.store.wallet.walletOf(mine)).balance).toBe(0);
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'returned' })]);
  });

  it('restart: a note stacked before the crash (routing in the journal) is credited once', async () => {
    const events: BillEvent[] = [];
    validator.on('event', (event) => events.push(event));
    await validator.accept([100, 500, 1000]);
    await validator.inhibitAll(false);
    await simulator.insertNote(500);
    await until(() => events.some((event) => event.kind === 'escrow'));
    const escrow = events.find((event) => event.kind === 'escrow')!;
    const { topUpId } = await t.store.wallet.startTopUp(mine);
    const journaled = await t.store.wallet.journalEscrow({ topUpId, cardNumber: mine, device: 'cctalk', billType: 3, amount: 500, escrowCounter: escrow.counter });
    if (!journaled.ok) throw new Error(journaled.error.kind);
    await t.store.wallet.markRouting(journaled.value.journalId);
    await validator.route('stack');
    await until(() => events.some((event) => event.kind === 'stacked'));
    // The controller died before the credit.
    const settled = await settleCashAtStart({ validator, wallet: t.store.wallet, cap, log: () => {}, timers: realTimers });
    expect(settled).toMatchObject({ settlement: { kind: 'credited', amount: 500 }, cause: null });
    expect((await t.store.wallet.walletOf(mine)).balance).toBe(500);
    expect(await settleCashAtStart({ validator, wallet: t.store.wallet, cap, log: () => {}, timers: realTimers })).toMatchObject({ settlement: { kind: 'nothing-open' } });
    expect((await t.store.wallet.walletOf(mine)).balance).toBe(500);
  });
});
