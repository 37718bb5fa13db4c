import { deriveChipKeys } from '../../../hardware/card-record/keys';
import type { CitizenCardRecord } from '../../../hardware/card-record/layout';
import type { CardTap } from '../../../hardware/nfc/types';
import type { CitizenCardStation } from '../../../hardware/card-record/types';
import { isoDay, type Clock } from '../../../shared/clock';
import type { RecordedCardStatus } from '../../../shared/domain/card-status';
import type { SelfServiceCardView, SelfServiceView } from '../../../shared/contract/kiosk-api';
import type { LogSink } from '../../../shared/log';
import { createActor, fromPromise, type ActorRefFrom } from 'xstate';
import { counterMachine, counterView, type CounterDelays, type CounterFact, type CounterInput, type OwnCardLookUp } from '../machine/counter-machine';
import type { TimerClock } from '../machine/staff-machine';

/**
 * The unattended kiosk's home: a citizen taps their own card on the counter reader and sees that
 * card's chip data and the kiosk's status for it — never a name, an ID number or the whole card
 * number. What is on show goes away when the card is taken off the reader, after its delay, when
 * the citizen presses Done, when staff step up, or when the kiosk goes out of service, so the next
 * person sees nothing of the previous one. The last two are told to the counter region by the staff
 * and service regions as events (`machine/counter-machine.ts`): nothing here asks for them.
 */
export interface SelfService {
  view(): SelfServiceView;
  onChange(listener: () => void): () => void;
  /** The citizen pressed Done: clear the screen now. */
  dismiss(): void;
  stop(): void;
}

export interface SelfServiceOptions {
  readonly counter: CitizenCardStation;
  /** The kiosk's record of a card (null when another kiosk issued it). */
  readonly cardStatus: (cardNumber: string) => Promise<RecordedCardStatus | null>;
  readonly chipMasterKey: Uint8Array;
  readonly clock: Clock;
  readonly log: LogSink;
  /** How long a card and a problem message stay on show (the counter machine's named delays; its defaults otherwise). */
  readonly delays?: Partial<CounterDelays>;
  /** The clock the delays run on: real time by default, XState's `SimulatedClock` in tests. */
  readonly timers?: TimerClock;
}

/** The counter region as the kiosk's root machine runs it: the machine with its look-up, and its input. */
export function counterRegion(options: SelfServiceOptions) {
  const lookUp = ownCardLookUp(options);
  const logic = counterMachine.provide({
    actors: {
      readOwnCard: fromPromise<OwnCardLookUp, { tap: CardTap }>(({ input }) => lookUp(input.tap)),
    },
    actions: {
      lookUpFailed: (_, { error }) => options.log({ eventId: 'self-service-lookup-failed', disposition: 'failure', message: String(error) }),
    },
  });
  return { logic, input: { ...(options.delays ? { delays: options.delays } : {}) } satisfies CounterInput };
}

export type CounterRegionRef = ActorRefFrom<ReturnType<typeof counterRegion>['logic']>;

/**
 * The self-service home on an actor of its own (tests of the region alone): without the staff and
 * service regions beside it, it starts in service with nobody at the counter, and the test tells it
 * their facts (`tell`) as they would.
 */
export function createSelfService(options: SelfServiceOptions): SelfService & { tell(fact: CounterFact): void } {
  const region = counterRegion(options);
  const actor = createActor(region.logic, { input: region.input, ...(options.timers ? { clock: options.timers } : {}) });
  const selfService = bindSelfService(actor, options);
  actor.start();
  return {
    ...selfService,
    tell: (fact) => actor.send(fact),
    stop() {
      selfService.stop();
      actor.stop();
    },
  };
}

/**
 * The self-service interface over the counter region's actor (the root machine's child, or its own):
 * a thin adapter over the counter machine, which owns the flow. The reader's events go in, the flat
 * view of the machine's snapshot comes out, and a change of that view is announced.
 */
export function bindSelfService(actor: CounterRegionRef, options: Pick<SelfServiceOptions, 'counter'>): SelfService {
  const listeners = new Set<() => void>();
  let shown = JSON.stringify(counterView(actor.getSnapshot()));
  const subscription = actor.subscribe((snapshot) => {
    const next = JSON.stringify(counterView(snapshot));
    if (next === shown) return;
    shown = next;
    for (const listener of listeners) listener();
  });

  const onTap = (tap: CardTap): void => actor.send({ type: 'card.tapped', tap });
  const onRemoved = (): void => actor.send({ type: 'card.removed' });
  const onUnreadable = (): void => actor.send({ type: 'card.unreadable' });
  const onUnreadableGone = (): void => actor.send({ type: 'card.unreadableGone' });
  options.counter.on('card', onTap);
  options.counter.on('removed', onRemoved);
  options.counter.on('cardUnreadable', onUnreadable);
  options.counter.on('unreadableGone', onUnreadableGone);

  return {
    view: () => counterView(actor.getSnapshot()),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dismiss() {
      actor.send({ type: 'dismiss' });
    },
    stop() {
      options.counter.off('card', onTap);
      options.counter.off('removed', onRemoved);
      options.counter.off('cardUnreadable', onUnreadable);
      options.counter.off('unreadableGone', onUnreadableGone);
      subscription.unsubscribe();
    },
  };
}

/** Reads a tapped card and looks it up: what the citizen may see of it, a problem, or nothing. */
function ownCardLookUp(options: SelfServiceOptions): (tap: CardTap) => Promise<OwnCardLookUp> {
  return async (tap) => {
    if (tap.kind !== 'mifare-classic-1k') return { kind: 'problem', problem: 'not-a-citizen-card' };
    const read = await options.counter.readRecord(deriveChipKeys(options.chipMasterKey, Buffer.from(tap.uid, 'hex')));
    if (!read.ok) {
      if (read.error.kind === 'card_removed' || read.error.kind === 'no_card') return null;
      options.log({ eventId: 'self-service-card-unreadable', disposition: 'failure', message: read.error.kind });
      return { kind: 'problem', problem: 'unreadable' };
    }
    const { record } = read.value;
    if (record.cardType === 'employee') return null; // a staff card: the staff sign-in takes it
    const status = (await options.cardStatus(record.cardNumber)) ?? 'unknown';
    options.log({ eventId: 'self-service-card-shown', disposition: 'success', message: `a ${record.cardType} card (${status}) looked up by its holder`, status });
    return { kind: 'card', card: ownCardView(record, status, isoDay(options.clock)) };
  };
}

/** Only what the card itself carries plus its status: the number masked, no balance on a card not to be used. */
function ownCardView(record: CitizenCardRecord, status: SelfServiceCardView['status'], today: string): SelfServiceCardView {
  const usable = status === 'active' || status === 'unknown';
  return {
    last4: record.cardNumber.slice(-4),
    cardType: record.cardType,
    scheme: record.scheme,
    status,
    expiresOn: record.expiresOn,
    expired: record.expiresOn < today,
    balance: usable ? record.wallet.balance : null,
    wallet: null,
  };
}
