import { describe, expect, it } from 'vitest';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import type { CardTap } from '../../../../hardware/nfc/types';
import type { SelfServiceCardView } from '../../../../shared/contract/kiosk-api';
import { counterMachine, counterView, defaultCounterDelays, type CounterDelays, type CounterInput, type OwnCardLookUp } from '../../../../kiosk/controller/machine/counter-machine';

const tap: CardTap = { uid: '01020304', atr: '3b8f', kind: 'mifare-classic-1k' };
const card = (last4: string): SelfServiceCardView => ({
  last4, cardType: 'senior', scheme: 'easycard', status: 'active', expiresOn: '2031-01-04', expired: false, balance: 420, wallet: null,
});

/** A read the test finishes when it likes (a slow chip). */
function deferred() {
  let resolve = (_: OwnCardLookUp): void => {};
  const promise = new Promise<OwnCardLookUp>((done) => (resolve = done));
  return { promise, resolve };
}

/** The counter on a simulated clock; each tap reads the next of `reads` (a value, or a promise the test holds). */
function counterWith(reads: Array<OwnCardLookUp | Promise<OwnCardLookUp> | Error>, delays: Partial<CounterDelays> = {}, atStart: Omit<CounterInput, 'delays'> = {}) {
  const clock = new SimulatedClock();
  const failures: unknown[] = [];
  const machine = counterMachine.provide({
    actors: {
      readOwnCard: fromPromise<OwnCardLookUp, { tap: CardTap }>(async () => {
        const next = reads.shift();
        if (next instanceof Error) throw next;
        return next ?? null;
      }),
    },
    actions: { lookUpFailed: (_, { error }) => failures.push(error) },
  });
  const actor = createActor(machine, { clock, input: { delays, ...atStart } });
  actor.start();
  return { actor, clock, failures, view: () => counterView(actor.getSnapshot()) };
}

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
};

describe('the counter region (self-service own card)', () => {
  it('ownCardShown: the card stays on show 30 s, then the screen clears by itself', async () => {
    // Problems clear sooner here: the card must keep to its own delay.
    const { actor, clock, view } = counterWith([{ kind: 'card', card: card('0015') }], { problemShown: 5_000 });
    actor.send({ type: 'card.tapped', tap });
    expect(view()).toEqual({ state: 'reading' });
    await settle();
    expect(view()).toEqual({ state: 'card', card: card('0015'), showSeconds: 30 });
    clock.increment(defaultCounterDelays.ownCardShown - 1);
    expect(view().state).toBe('card');
    clock.increment(1);
    expect(view()).toEqual({ state: 'ready' });
    expect(actor.getSnapshot().context.card).toBeNull();
  });

  it('problemShown: a problem message goes away by itself after its own delay', async () => {
    const { actor, clock, view } = counterWith([{ kind: 'problem', problem: 'not-a-citizen-card' }], { problemShown: 5_000, ownCardShown: 60_000 });
    actor.send({ type: 'card.tapped', tap });
    await settle();
    expect(view()).toEqual({ state: 'problem', problem: 'not-a-citizen-card' });
    clock.increment(4_999);
    expect(view().state).toBe('problem');
    clock.increment(1);
    expect(view()).toEqual({ state: 'ready' });
  });

  it('clears at once when the card is taken away or the citizen presses Done; the old delay then fires into nothing', async () => {
    const { actor, clock, view } = counterWith([{ kind: 'card', card: card('0015') }, { kind: 'card', card: card('0023') }]);
    actor.send({ type: 'card.tapped', tap });
    await settle();
    actor.send({ type: 'card.removed' });
    expect(view()).toEqual({ state: 'ready' });
    clock.increment(20_000);
    actor.send({ type: 'card.tapped', tap });
    await settle();
    // The first card's delay was cancelled with its state: the second card gets its full 30 s.
    clock.increment(15_000);
    expect(view()).toMatchObject({ state: 'card', card: { last4: '0023' } });
    actor.send({ type: 'dismiss' });
    expect(view()).toEqual({ state: 'ready' });
  });

  it('a slow read that finishes after the card left shows nothing; one overtaken by another tap neither', async () => {
    const slow = deferred();
    const slower = deferred();
    const { actor, view } = counterWith([slow.promise, slower.promise, { kind: 'card', card: card('0015') }]);
    actor.send({ type: 'card.tapped', tap });
    actor.send({ type: 'card.removed' });
    slow.resolve({ kind: 'card', card: card('0023') });
    await settle();
    expect(view()).toEqual({ state: 'ready' });
    expect(JSON.stringify(actor.getSnapshot().context)).not.toContain('0023');

    actor.send({ type: 'card.tapped', tap });
    actor.send({ type: 'card.tapped', tap });
    await settle();
    expect(view()).toMatchObject({ state: 'card', card: { last4: '0015' } });
    slower.resolve({ kind: 'card', card: card('0023') });
    await settle();
    expect(view()).toMatchObject({ state: 'card', card: { last4: '0015' } });
  });

  it('a look-up that throws is a problem message, and is logged', async () => {
    const { actor, failures, view } = counterWith([new Error('store closed')]);
    actor.send({ type: 'card.tapped', tap });
    await settle();
    expect(view()).toEqual({ state: 'problem', problem: 'unreadable' });
    expect(failures).toHaveLength(1);
  });

  it('two cards at once: a message that leaves with them', () => {
    const { actor, view } = counterWith([]);
    actor.send({ type: 'card.unreadable' });
    expect(view()).toEqual({ state: 'problem', problem: 'several-cards' });
    actor.send({ type: 'card.unreadableGone' });
    expect(view()).toEqual({ state: 'ready' });
  });

  it('out of service while the service region says so: what was on show is forgotten, taps are not read, and it reopens on its event', async () => {
    const slow = deferred();
    const { actor, view } = counterWith([{ kind: 'card', card: card('0015') }, slow.promise, { kind: 'card', card: card('0031') }]);
    actor.send({ type: 'card.tapped', tap });
    await settle();
    actor.send({ type: 'service.out', reason: 'board-disconnected' });
    expect(view()).toEqual({ state: 'out-of-service', reason: 'board-disconnected' });
    expect(actor.getSnapshot().context.card).toBeNull();
    actor.send({ type: 'service.out', reason: 'tamper' });
    expect(view()).toEqual({ state: 'out-of-service', reason: 'tamper' });
    actor.send({ type: 'card.tapped', tap });
    await settle();
    expect(view()).toEqual({ state: 'out-of-service', reason: 'tamper' });

    actor.send({ type: 'service.in' });
    expect(view()).toEqual({ state: 'ready' });
    // A read under way when the kiosk closes is dropped with the state.
    actor.send({ type: 'card.tapped', tap });
    actor.send({ type: 'service.out', reason: 'tamper' });
    actor.send({ type: 'service.in' });
    slow.resolve({ kind: 'card', card: card('0023') });
    await settle();
    expect(view()).toEqual({ state: 'ready' });
  });

  it('steps aside while staff are at the counter, and reopens empty when they leave (closed first if the service is out)', async () => {
    const { actor, view } = counterWith([{ kind: 'card', card: card('0015') }]);
    actor.send({ type: 'card.tapped', tap });
    await settle();
    actor.send({ type: 'staff.present' });
    expect(actor.getSnapshot().value).toBe('staffAtCounter');
    expect(view()).toEqual({ state: 'ready' });
    actor.send({ type: 'card.tapped', tap });
    await settle();
    expect(actor.getSnapshot().value).toBe('staffAtCounter');
    actor.send({ type: 'service.out', reason: 'tamper' });
    actor.send({ type: 'service.in' });
    expect(actor.getSnapshot().value).toBe('staffAtCounter');
    actor.send({ type: 'staff.away' });
    expect(actor.getSnapshot().value).toEqual({ selfService: 'ready' });
  });

  it('starts from the facts its siblings had at start: closed (staff or not), or staff at the counter, or open', async () => {
    const closed = counterWith([{ kind: 'card', card: card('0015') }], {}, { closure: 'board-disconnected', staffPresent: true });
    expect(closed.view()).toEqual({ state: 'out-of-service', reason: 'board-disconnected' });
    closed.actor.send({ type: 'card.tapped', tap });
    await settle();
    expect(closed.view()).toEqual({ state: 'out-of-service', reason: 'board-disconnected' });
    closed.actor.send({ type: 'service.in' });
    expect(closed.actor.getSnapshot().value).toBe('staffAtCounter');

    expect(counterWith([], {}, { staffPresent: true }).actor.getSnapshot().value).toBe('staffAtCounter');
    expect(counterWith([]).actor.getSnapshot().value).toEqual({ selfService: 'ready' });
  });
});
