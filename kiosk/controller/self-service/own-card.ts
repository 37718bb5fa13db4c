import { deriveChipKeys, type ChipKeys } from '../../../hardware/card-record/keys';
import type { CitizenCardRecord } from '../../../hardware/card-record/layout';
import type { CardTap } from '../../../hardware/nfc/types';
import type { CitizenCardStation } from '../../../hardware/card-record/types';
import { isoDay, type Clock } from '../../../shared/clock';
import type { RecordedCardStatus } from '../../../shared/domain/card-status';
import type { SelfServiceCardView, SelfServiceView } from '../../../shared/contract/kiosk-api';
import type { LogSink } from '../../../shared/log';
import { createActor, fromPromise, type ActorRefFrom } from 'xstate';
import { counterMachine, counterView, type CounterDelays, type CounterFact, type CounterInput, type CounterEvent, type OwnCardLookUp, type TopUpFinish, type TopUpVisit } from '../machine/counter-machine';
import type { TimerClock } from '../machine/staff-machine';
import type { BillValidator } from '../../../hardware/bill-validator/types';
import type { KioskCommand } from '../../../shared/contract/kiosk-api';
import type { ReceiptView } from '../../../shared/contract/top-up';
import type { CommandReply } from '../api/server';
import { refused } from '../../../shared/contract/kiosk-api';
import { cashLogic } from '../top-up/cash-machine';
import { crashPoint } from '../crash-points';
import { walletOnTap, type CashReadiness, type ChipWallet } from '../top-up/wallet-look-up';
import type { WalletTable } from '../store/wallet-types';

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
  /** The citizen's top-up commands. */
  topUp(command: TopUpCommand): CommandReply;
  /** A top-up visit is open (the validator's events are its): a note or a break outside one is the kiosk's own business. */
  visitOpen(): boolean;
  /** The validator's events, for the open visit's cash. */
  bill(event: BillFact): void;
  stop(): void;
}

export type BillFact = Extract<CounterEvent, { type: 'bill.event' | 'bill.break' | 'bill.disconnected' | 'bill.uncertain' }>;

export type TopUpCommand = Extract<KioskCommand, { type: 'top-up-start' | 'top-up-finish' | 'top-up-cancel' }>;

/** What a top-up needs (issue 15); absent at a kiosk that keeps no wallets. */
export interface TopUpWiring {
  readonly wallet: WalletTable;
  /** The ccTalk validator, or the pulse acceptor as one (null: no cash device, no top-up). */
  readonly validator: BillValidator | null;
  /** What the journal records the notes under (ccTalk by default). */
  readonly device?: 'cctalk' | 'pulse';
  readonly cap: number;
  readonly accepted: readonly number[];
  readonly cash: () => CashReadiness;
  /** Signs the receipt of a visit (kiosk id, card last 4, amount, time, journal id). */
  readonly signReceipt: (input: { topUpId: string; last4: string; amount: number; balance: number }) => Promise<ReceiptView>;
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
  readonly topUp?: TopUpWiring;
}

/** The counter region as the kiosk's root machine runs it: the machine with its look-up, and its input. */
export function counterRegion(options: SelfServiceOptions) {
  // The keys of the card last read: the mirror is written to that card only (writeWallet checks its number).
  const tapped = new Map<string, ChipKeys>();
  const lookUp = ownCardLookUp(options, tapped);
  const { topUp, log } = options;
  const logic = counterMachine.provide({
    actors: {
      readOwnCard: fromPromise<OwnCardLookUp, { tap: CardTap }>(({ input }) => lookUp(input.tap)),
      openTopUp: fromPromise<{ topUpId: string; balance: number }, { cardNumber: string }>(async ({ input }) => {
        if (!topUp) throw new Error('this kiosk keeps no wallets');
        const { topUpId } = await topUp.wallet.startTopUp(input.cardNumber);
        // The cap is checked against the ledger as it is now, not as the tap showed it (another kiosk of the store may have credited it).
        return { topUpId, balance: (await topUp.wallet.walletOf(input.cardNumber)).balance };
      }),
      ...(topUp?.validator
        ? { cash: cashLogic({ validator: topUp.validator, device: topUp.device ?? 'cctalk', wallet: topUp.wallet, failed: (step, error) => log({ eventId: 'top-up-cash-step-failed', disposition: 'failure', message: `${step}: ${String(error)}`, step }) }) }
        : {}),
      finishTopUp: fromPromise<TopUpFinish, { visit: TopUpVisit }>(async ({ input }) => {
        if (!topUp) throw new Error('this kiosk keeps no wallets');
        return finishVisit(topUp, options, tapped, input.visit);
      }),
    },
    actions: {
      lookUpFailed: (_, { error }) => options.log({ eventId: 'self-service-lookup-failed', disposition: 'failure', message: String(error) }),
      topUpFailed: (_, { step, error }) => options.log({ eventId: 'top-up-step-failed', disposition: 'failure', message: `${step}: ${String(error)}`, step }),
    },
  });
  return { logic, input: { ...(options.delays ? { delays: options.delays } : {}), ...(topUp?.device === 'pulse' ? { cashAllOrNothing: true } : {}) } satisfies CounterInput };
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
    topUp(command) {
      const snapshot = actor.getSnapshot();
      if (command.type === 'top-up-start') {
        if (!snapshot.matches({ selfService: 'card' })) return refused('wrong-screen', 'no card on show');
        if (!snapshot.context.card?.wallet?.topUp.available) return refused('wrong-screen', 'this card cannot be topped up now');
        actor.send({ type: 'top-up.start' });
        return { accepted: true };
      }
      if (!snapshot.matches({ selfService: { topUp: 'inserting' } })) return refused('wrong-screen', 'no top-up is taking notes');
      actor.send({ type: command.type === 'top-up-finish' ? 'top-up.finish' : 'top-up.cancel' });
      return { accepted: true };
    },
    visitOpen: () => actor.getSnapshot().matches({ selfService: { topUp: 'inserting' } }),
    bill: (event) => actor.send(event),
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
function ownCardLookUp(options: SelfServiceOptions, tapped: Map<string, ChipKeys>): (tap: CardTap) => Promise<OwnCardLookUp> {
  return async (tap) => {
    if (tap.kind !== 'mifare-classic-1k') return { kind: 'problem', problem: 'not-a-citizen-card' };
    const keys = deriveChipKeys(options.chipMasterKey, Buffer.from(tap.uid, 'hex'));
    const read = await options.counter.readRecord(keys);
    let record: CitizenCardRecord;
    let chip: ChipWallet;
    if (read.ok) {
      record = read.value.record;
      chip = { kind: 'read', balance: record.wallet.balance, counter: record.wallet.transactionCounter };
    } else if (options.topUp && read.error.kind === 'record_invalid' && read.error.error.kind === 'wallet_invalid') {
      // The card is genuine, its wallet block is not (a torn write): the ledger decides what it holds.
      record = read.error.error.record;
      chip = { kind: 'invalid' };
    } else {
      if (read.error.kind === 'card_removed' || read.error.kind === 'no_card') return null;
      options.log({ eventId: 'self-service-card-unreadable', disposition: 'failure', message: read.error.kind });
      return { kind: 'problem', problem: 'unreadable' };
    }
    if (record.cardType === 'employee') return null; // a staff card: the staff sign-in takes it
    const status = (await options.cardStatus(record.cardNumber)) ?? 'unknown';
    options.log({ eventId: 'self-service-card-shown', disposition: 'success', message: `a ${record.cardType} card (${status}) looked up by its holder`, status });
    const today = isoDay(options.clock);
    const shown = ownCardView(record, status, today);
    // A wallet block that does not verify says nothing true about the balance.
    const card = chip.kind === 'invalid' ? { ...shown, balance: null } : shown;
    if (!options.topUp) return { kind: 'card', card };
    tapped.clear();
    tapped.set(record.cardNumber, keys);
    const { topUp } = options;
    const wallet = await walletOnTap(
      {
        wallet: topUp.wallet,
        cap: topUp.cap,
        accepted: topUp.accepted,
        allOrNothing: topUp.device === 'pulse',
        clock: options.clock,
        cash: topUp.cash,
        log: options.log,
        writeMirror: (mirror) => writeMirror(options, keys, mirror),
      },
      { cardNumber: record.cardNumber, status, expired: card.expired, chip },
    );
    // The chip's own balance is not shown beside the ledger's: the ledger is the truth, the chip its mirror.
    return { kind: 'card', card: { ...card, wallet }, cardNumber: record.cardNumber };
  };
}

/** Writes the ledger's mirror to the card on the reader and reads it back; false leaves it pending (logged). */
async function writeMirror(options: Pick<SelfServiceOptions, 'counter' | 'log'>, keys: ChipKeys, mirror: { cardNumber: string; balance: number; counter: number }): Promise<boolean> {
  const started = performance.now();
  const written = await options.counter.writeWallet(keys, mirror);
  if (written.ok) {
    // How long a citizen waits for the chip (the top-up bench reads it): a figure, no card number.
    options.log({ eventId: 'wallet-mirror-written', disposition: 'success', message: `the mirror was written and read back (card …${mirror.cardNumber.slice(-4)})`, ms: Math.round(performance.now() - started) });
    return true;
  }
  options.log({ eventId: 'wallet-mirror-pending', disposition: 'failure', message: `the mirror stays pending (card …${mirror.cardNumber.slice(-4)}): ${written.error.kind}`, reason: written.error.kind });
  return false;
}

/**
 * The end of a visit: the credited notes written to the chip (a card lifted or a failed write leaves
 * them pending: the ledger has them and the next tap writes them), the receipt signed, the visit
 * closed in the ledger.
 */
async function finishVisit(topUp: TopUpWiring, options: SelfServiceOptions, tapped: Map<string, ChipKeys>, visit: TopUpVisit): Promise<TopUpFinish> {
  const inserted = visit.outcome?.inserted ?? 0;
  let mirror: TopUpFinish['mirror'] = 'up-to-date';
  if (inserted > 0) {
    const state = await topUp.wallet.walletOf(visit.cardNumber);
    const keys = tapped.get(visit.cardNumber);
    const written = !visit.lifted && keys ? await writeMirror(options, keys, { cardNumber: visit.cardNumber, balance: state.balance, counter: state.counter }) : false;
    if (written) {
      crashPoint('top-up:mirror-written');
      await topUp.wallet.confirmMirror({ cardNumber: visit.cardNumber, counter: state.counter, balance: state.balance });
    }
    mirror = written ? 'up-to-date' : 'pending';
  }
  const receipt = inserted > 0 && visit.topUpId ? await topUp.signReceipt({ topUpId: visit.topUpId, last4: visit.last4, amount: inserted, balance: visit.outcome?.balance ?? 0 }) : null;
  if (visit.topUpId) await topUp.wallet.endTopUp(visit.topUpId);
  options.log({ eventId: 'top-up-finished', disposition: 'success', message: `top-up of NT$${inserted} (card …${visit.last4}), mirror ${mirror}`, amount: inserted, mirror });
  return { mirror, receipt };
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
