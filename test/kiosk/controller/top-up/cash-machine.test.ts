import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createActor, SimulatedClock, waitFor, type Actor } from 'xstate';
import { cashLogic, type CashOutcome } from '../../../../kiosk/controller/top-up/cash-machine';
import { pulseNoteEvents } from '../../../../kiosk/controller/top-up/pulse-acceptor';
import { issuance, openTempStore, type TempStore } from '../store/temp-store';
import { fakeValidator } from './fake-validator';

const card = 'TY-K01-S-0000001';
const cap = 10_000;

describe('the cash machine: one visit, each note exactly once', () => {
  let t: TempStore;
  let fake: ReturnType<typeof fakeValidator>;
  let timers: SimulatedClock;
  let actor: Actor<ReturnType<typeof cashLogic>>;
  let topUpId: string;

  /** Credits notes straight through the store (a balance to start from). */
  async function creditedBefore(amount: number): Promise<void> {
    const { topUpId: earlier } = await t.store.wallet.startTopUp(card);
    const escrow = await t.store.wallet.journalEscrow({ topUpId: earlier, cardNumber: card, device: 'cctalk', billType: 9, amount, escrowCounter: 200 });
    if (!escrow.ok) throw new Error(escrow.error.kind);
    await t.store.wallet.markRouting(escrow.value.journalId);
    const credited = await t.store.wallet.creditStacked({ journalId: escrow.value.journalId, stackedCounter: 201, cap });
    if (!credited.ok) throw new Error(credited.error.kind);
    await t.store.wallet.endTopUp(earlier);
  }

  async function start(device: 'cctalk' | 'pulse' = 'cctalk'): Promise<void> {
    const state = await t.store.wallet.walletOf(card);
    ({ topUpId } = await t.store.wallet.startTopUp(card));
    actor = createActor(cashLogic({ validator: fake.validator, wallet: t.store.wallet, device }), { input: { topUpId, cardNumber: card, balance: state.balance, cap }, clock: timers });
    actor.start();
    await waitFor(actor, (s) => s.matches('waiting'));
  }
  const waitingAgain = () => waitFor(actor, (s) => s.matches('waiting'));
  const done = async (): Promise<CashOutcome> => (await waitFor(actor, (s) => s.status === 'done')).output!;

  beforeEach(async () => {
    t = await openTempStore();
    await t.store.recordIssuance(issuance({ cardNumber: card }));
    fake = fakeValidator();
    timers = new SimulatedClock();
  });
  afterEach(async () => {
    actor?.stop();
    await t.cleanup();
  });

  it('journals a note in escrow, stacks it, credits it once on the stacked report; the notes that fit are enabled again', async () => {
    await start();
    expect(fake.calls).toEqual(['accept 100,500,1000', 'enable']);
    actor.send({ type: 'bill.event', event: fake.escrow(500) });
    await waitFor(actor, (s) => s.matches('awaitingReport'));
    expect(await t.store.wallet.openJournal('cctalk')).toMatchObject({ state: 'routing', amount: 500, escrowCounter: 1 });
    expect((await t.store.wallet.walletOf(card)).balance).toBe(0); // nothing before the stacked report
    const stacked = fake.stacked(500);
    actor.send({ type: 'bill.event', event: stacked });
    await waitingAgain();
    // The same report again (a repeated poll) credits nothing more.
    actor.send({ type: 'bill.event', event: stacked });
    await waitingAgain();
    expect(await t.store.wallet.walletOf(card)).toMatchObject({ balance: 500, counter: 1 });
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'credited', amount: 500, stackedCounter: 2 })]);
    expect(fake.calls).toEqual(['accept 100,500,1000', 'enable', 'route stack', 'accept 100,500,1000', 'enable']);
    actor.send({ type: 'close' });
    expect(await done()).toEqual({ inserted: 500, balance: 500, counter: 1, returned: 0, inDoubt: 0, fault: null });
    expect(fake.calls.at(-1)).toBe('inhibit');
  });

  it('returns a note that would take the balance over the cap (journaled, closed unpaid) and enables only the notes that fit', async () => {
    await creditedBefore(9_500);
    await start();
    expect(fake.calls).toEqual(['accept 100,500', 'enable']);
    actor.send({ type: 'bill.event', event: fake.escrow(1000) });
    await waitFor(actor, (s) => s.matches('awaitingReturn'));
    expect(actor.getSnapshot().context.notice).toBe('note-over-cap');
    actor.send({ type: 'bill.event', event: fake.status('returned') });
    await waitingAgain();
    expect(actor.getSnapshot().context.notice).toBe('note-over-cap');
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'returned', amount: 1000 })]);
    expect((await t.store.wallet.walletOf(card)).balance).toBe(9_500);
    expect(fake.calls).toContain('route return');
    expect(fake.calls).not.toContain('route stack');
  });

  it('the next note in escrow reported with the last one\'s stacked report (while it is credited) waits its turn: checked against the new balance, returned over the cap', async () => {
    await creditedBefore(9_400);
    await start();
    expect(fake.calls).toEqual(['accept 100,500', 'enable']);
    actor.send({ type: 'bill.event', event: fake.escrow(500) });
    await waitFor(actor, (s) => s.matches('awaitingReport'));
    // One poll of the validator: the first NT$500 stacked, the second already in escrow (NT$500 was still enabled).
    actor.send({ type: 'bill.event', event: fake.stacked(500) });
    actor.send({ type: 'bill.event', event: fake.escrow(500) });
    await waitFor(actor, (s) => s.matches('awaitingReturn'));
    expect(actor.getSnapshot().context.notice).toBe('note-over-cap');
    actor.send({ type: 'bill.event', event: fake.status('returned') });
    await waitingAgain();
    expect((await t.store.wallet.walletOf(card)).balance).toBe(9_900);
    expect((await t.store.wallet.journalOf(topUpId)).map((row) => [row.state, row.amount])).toEqual([['credited', 500], ['returned', 500]]);
    expect(fake.calls).toEqual(['accept 100,500', 'enable', 'route stack', 'accept 100', 'enable', 'route return']);
  });

  it('a note held back while the last one is credited is given back when the visit is closing, and nothing is enabled again', async () => {
    await start();
    actor.send({ type: 'bill.event', event: fake.escrow(100) });
    await waitFor(actor, (s) => s.matches('awaitingReport'));
    actor.send({ type: 'close' });
    actor.send({ type: 'bill.event', event: fake.stacked(100) });
    actor.send({ type: 'bill.event', event: fake.escrow(500) });
    await waitFor(actor, (s) => s.matches('awaitingReturn'));
    actor.send({ type: 'bill.event', event: fake.status('returned') });
    expect(await done()).toEqual({ inserted: 100, balance: 100, counter: 1, returned: 500, inDoubt: 0, fault: null });
    expect(fake.calls).toEqual(['accept 100,500,1000', 'enable', 'route stack', 'inhibit', 'route return', 'inhibit']);
  });

  it('cancel with a note in escrow: the note goes back, nothing is credited, the validator is inhibited', async () => {
    await start();
    actor.send({ type: 'bill.event', event: fake.escrow(1000) });
    actor.send({ type: 'close' });
    await waitFor(actor, (s) => s.matches('awaitingReturn'));
    actor.send({ type: 'bill.event', event: fake.status('returned') });
    expect(await done()).toEqual({ inserted: 0, balance: 0, counter: null, returned: 1000, inDoubt: 0, fault: null });
    expect(fake.calls).not.toContain('route stack');
    expect(fake.calls.slice(-2)).toEqual(['route return', 'inhibit']);
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'returned' })]);
  });

  it('escrow timeout: the validator gave the note back before the stack command (escrow empty): closed unpaid, the citizen told', async () => {
    await start();
    fake.replyToRoute({ ok: false, error: { kind: 'escrow_empty', message: 'escrow empty' } });
    actor.send({ type: 'bill.event', event: fake.escrow(100) });
    await waitFor(actor, (s) => s.matches('awaitingReport'));
    actor.send({ type: 'bill.event', event: fake.status('returned') });
    await waitingAgain();
    expect(actor.getSnapshot().context.notice).toBe('note-returned');
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'returned', amount: 100 })]);
    expect((await t.store.wallet.walletOf(card)).balance).toBe(0);
  });

  it('an unsafe jam after the stack command: an exception for staff (no credit), the kiosk closes, the validator inhibited', async () => {
    await start();
    actor.send({ type: 'bill.event', event: fake.escrow(500) });
    await waitFor(actor, (s) => s.matches('awaitingReport'));
    actor.send({ type: 'bill.event', event: fake.status('jam-transport-unsafe') });
    expect(await done()).toEqual({ inserted: 0, balance: 0, counter: null, returned: 0, inDoubt: 500, fault: 'cash-fault' });
    const [exception] = await t.store.wallet.exceptions({ open: true });
    expect(exception).toMatchObject({ kind: 'note-unsafe-jam', cardNumber: card, amount: 500 });
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'exception' })]);
    expect((await t.store.wallet.walletOf(card)).balance).toBe(0);
    expect(fake.calls.at(-1)).toBe('inhibit');
  });

  it('a break in the event counter (the validator restarted): an exception, the kiosk closes with cash-events-lost', async () => {
    await start();
    actor.send({ type: 'bill.break', what: { kind: 'restarted', lastCounter: 9 } });
    expect(await done()).toMatchObject({ fault: 'cash-events-lost', inDoubt: 0 });
    expect(await t.store.wallet.exceptions({ open: true })).toEqual([expect.objectContaining({ kind: 'validator-restarted' })]);
  });

  it('no report after the stack command: the note is in doubt after the named delay, never guessed', async () => {
    await start();
    actor.send({ type: 'bill.event', event: fake.escrow(1000) });
    await waitFor(actor, (s) => s.matches('awaitingReport'));
    timers.increment(14_000);
    expect(actor.getSnapshot().matches('awaitingReport')).toBe(true);
    timers.increment(1_000);
    expect(await done()).toMatchObject({ fault: 'cash-fault', inDoubt: 1000, inserted: 0 });
    expect(await t.store.wallet.exceptions({ open: true })).toEqual([expect.objectContaining({ kind: 'note-unknown', amount: 1000 })]);
  });

  it('a stacker taken away closes the kiosk (stacker-removed) with no exception when no note is in flight', async () => {
    await start();
    actor.send({ type: 'bill.event', event: fake.status('stacker-removed') });
    expect(await done()).toMatchObject({ fault: 'stacker-removed', inDoubt: 0 });
    expect(await t.store.wallet.exceptions({ open: true })).toEqual([]);
  });

  it('a note reported in escrow after the close was asked is journaled and given back, never dropped', async () => {
    await start();
    actor.send({ type: 'close' });
    actor.send({ type: 'bill.event', event: fake.escrow(500) });
    await waitFor(actor, (s) => s.matches('awaitingReturn'));
    expect(fake.calls).toContain('route return');
    actor.send({ type: 'bill.event', event: fake.status('returned') });
    expect(await done()).toEqual({ inserted: 0, balance: 0, counter: null, returned: 500, inDoubt: 0, fault: null });
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'returned', amount: 500 })]);
    expect(fake.calls.at(-1)).toBe('inhibit');
  });

  it('a note reported in escrow while the validator closes the kiosk is journaled and given back, never dropped', async () => {
    await start();
    actor.send({ type: 'bill.event', event: fake.status('stacker-removed') });
    actor.send({ type: 'bill.event', event: fake.escrow(500) });
    await waitFor(actor, (s) => s.matches('awaitingReturn'));
    actor.send({ type: 'bill.event', event: fake.status('returned') });
    expect(await done()).toEqual({ inserted: 0, balance: 0, counter: null, returned: 500, inDoubt: 0, fault: 'stacker-removed' });
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'returned', amount: 500 })]);
    expect(await t.store.wallet.openJournal('cctalk')).toBeNull();
  });

  it('a pulse note that comes while the visit closes was taken: journaled and credited', async () => {
    await start('pulse');
    actor.send({ type: 'close' });
    for (const event of pulseNoteEvents({ amount: 500, sequence: 1 })) actor.send(event);
    expect(await done()).toMatchObject({ inserted: 500, balance: 500, inDoubt: 0, fault: null });
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'credited', amount: 500 })]);
  });

  it('two pulse notes in quick succession (both taken at once): each credited, in order, neither dropped', async () => {
    await start('pulse');
    for (const event of [...pulseNoteEvents({ amount: 500, sequence: 1 }), ...pulseNoteEvents({ amount: 1000, sequence: 2 })]) actor.send(event);
    await waitFor(actor, (s) => s.matches('waiting') && s.context.inserted === 1500);
    actor.send({ type: 'close' });
    expect(await done()).toMatchObject({ inserted: 1500, inDoubt: 0, fault: null });
    expect(await t.store.wallet.exceptions({ open: true })).toEqual([]);
  });

  it('a second ccTalk note in escrow while the first is being credited waits its turn, then is stacked and credited', async () => {
    await start();
    actor.send({ type: 'bill.event', event: fake.escrow(500) });
    await waitFor(actor, (s) => s.matches('awaitingReport'));
    actor.send({ type: 'bill.event', event: fake.stacked(500) });
    actor.send({ type: 'bill.event', event: fake.escrow(100) });
    await waitFor(actor, (s) => s.matches('awaitingReport') && s.context.inserted === 500);
    actor.send({ type: 'bill.event', event: fake.stacked(100) });
    await waitFor(actor, (s) => s.matches('waiting') && s.context.inserted === 600);
    expect(fake.calls.filter((call) => call === 'route stack')).toHaveLength(2);
    expect(fake.calls).not.toContain('route return');
    expect((await t.store.wallet.walletOf(card)).balance).toBe(600);
  });

  it('a second ccTalk note sent back while the first is on its way to the stacker: its "returned" is not the first note\'s', async () => {
    await start();
    actor.send({ type: 'bill.event', event: fake.escrow(1000) });
    await waitFor(actor, (s) => s.matches('awaitingReport'));
    actor.send({ type: 'bill.event', event: fake.escrow(100) });
    expect(fake.calls.at(-1)).toBe('route return');
    actor.send({ type: 'bill.event', event: fake.status('returned') });
    expect(actor.getSnapshot().matches('awaitingReport')).toBe(true);
    actor.send({ type: 'bill.event', event: fake.stacked(1000) });
    await waitingAgain();
    actor.send({ type: 'close' });
    expect(await done()).toEqual({ inserted: 1000, balance: 1000, counter: 1, returned: 0, inDoubt: 0, fault: null });
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'credited', amount: 1000 })]);
  });

  it('a safe jam with a note in flight: the note is inside the kiosk, in doubt, an exception closes its row (the next visit can journal)', async () => {
    await start();
    actor.send({ type: 'bill.event', event: fake.escrow(500) });
    await waitFor(actor, (s) => s.matches('awaitingReport'));
    actor.send({ type: 'bill.event', event: fake.status('jam-transport-safe') });
    expect(await done()).toEqual({ inserted: 0, balance: 0, counter: null, returned: 0, inDoubt: 500, fault: 'cash-fault' });
    expect(await t.store.wallet.exceptions({ open: true })).toEqual([expect.objectContaining({ kind: 'note-unknown', cardNumber: card, amount: 500, details: { status: 'jam-transport-safe' } })]);
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'exception' })]);
    expect(await t.store.wallet.openJournal('cctalk')).toBeNull();
  });

  it('a stack command the validator could not carry out (route failed): the note is still in escrow, so it is given back, not in doubt', async () => {
    await start();
    fake.replyToRoute({ ok: false, error: { kind: 'route_failed', message: 'the validator could not move the note' } });
    actor.send({ type: 'bill.event', event: fake.escrow(1000) });
    await waitFor(actor, (s) => s.matches('awaitingReturn'));
    expect(fake.calls.filter((call) => call.startsWith('route'))).toEqual(['route stack', 'route return']);
    actor.send({ type: 'bill.event', event: fake.status('returned') });
    await waitingAgain();
    timers.increment(15_000);
    actor.send({ type: 'close' });
    expect(await done()).toEqual({ inserted: 0, balance: 0, counter: null, returned: 1000, inDoubt: 0, fault: null });
    expect(await t.store.wallet.journalOf(topUpId)).toEqual([expect.objectContaining({ state: 'returned', amount: 1000 })]);
    expect(await t.store.wallet.exceptions({ open: true })).toEqual([]);
  });
});
