import { assign, enqueueActions, fromPromise, sendTo, setup, type ActionFunction, type AnyActorRef, type EventObject, type MachineContext, type SnapshotFrom } from 'xstate';
import type { CardTap } from '../../../hardware/nfc/types';
import type { SelfServiceCardView, SelfServiceClosure, SelfServiceProblem, SelfServiceView } from '../../../shared/contract/kiosk-api';
import type { CashClosure, MirrorState, MoneyNotice, ReceiptView, TopUpDoneView, TopUpView } from '../../../shared/contract/top-up';
import { roomUnderCap } from '../../../shared/domain/wallet';
import { cashMachine, type CashEvent, type CashFigures, type CashOutcome, type CashParentEvent } from '../top-up/cash-machine';

/**
 * The counter reader's region of the kiosk, in self-service: a citizen taps their own card and sees
 * that card's chip data and status. What is on show goes away when the card is taken off the reader,
 * after a named delay, when the citizen presses Done, when staff step up or when the service region
 * closes the kiosk — leaving the state forgets it, so the next person sees nothing of the previous one.
 * A read is an invoked actor: leaving `reading` (a removal, another tap, staff, a closure) cancels it,
 * so a slow read that finishes late is never shown.
 *
 * The staff and service regions tell it their facts as events (`CounterFact`), sent through the actor
 * system to `counterSystemId` as their own states change; the facts at start come as input, since the
 * counter region is invoked after its siblings have entered their first states. Nothing here asks.
 */

/** The system id the counter region is invoked with: where the staff and service regions send their facts. */
export const counterSystemId = 'counter';

/** What a look-up found: a card, a problem to word kindly, or nothing to show (card gone, a staff card). */
export type OwnCardLookUp =
  /** `cardNumber` stays in the controller: what a top-up of this card is journaled under. */
  | { readonly kind: 'card'; readonly card: SelfServiceCardView; readonly cardNumber?: string }
  | { readonly kind: 'problem'; readonly problem: SelfServiceProblem }
  | null;

export interface CounterDelays {
  /** Long enough to read a balance slowly; short enough that the next person does not see it. */
  readonly ownCardShown: number;
  /** A problem message (a phone, an unreadable chip, two cards) stays this long. */
  readonly problemShown: number;
  /** A top-up with no note and no touch this long finishes by itself (what was credited stays credited). */
  readonly topUpIdle: number;
  /** The receipt stays on show this long before the kiosk is ready for the next person. */
  readonly topUpDoneShown: number;
}

export const defaultCounterDelays: CounterDelays = { ownCardShown: 30_000, problemShown: 30_000, topUpIdle: 60_000, topUpDoneShown: 30_000 };

export interface CounterInput {
  readonly delays?: Partial<CounterDelays>;
  /** Why the kiosk is out of service when the region starts (in service by default). */
  readonly closure?: SelfServiceClosure | null;
  /** Staff at the kiosk when the region starts (nobody by default). */
  readonly staffPresent?: boolean;
  /** The cash device takes every accepted note or none (a pulse acceptor): the visit's cash opens it only while they all fit. */
  readonly cashAllOrNothing?: boolean;
}

export type CounterEvent =
  | { type: 'card.tapped'; tap: CardTap }
  | { type: 'card.removed' }
  /** More than one card on the reader at once. */
  | { type: 'card.unreadable' }
  | { type: 'card.unreadableGone' }
  /** The citizen pressed Done. */
  | { type: 'dismiss' }
  /** From the service region: closed, and why (a newer reason replaces the older one). */
  | { type: 'service.out'; reason: SelfServiceClosure }
  | { type: 'service.in' }
  /** Staff at the kiosk (a staff card tapped, a PIN being typed, or signed in): no look-ups then. */
  | { type: 'staff.present' }
  | { type: 'staff.away' }
  /** The citizen's top-up commands (`top-up-start|finish|cancel`). */
  | { type: 'top-up.start' }
  | { type: 'top-up.finish' }
  | { type: 'top-up.cancel' }
  /** The validator's events, for the visit's cash machine. */
  | Exclude<CashEvent, { type: 'close' }>
  | CashParentEvent;

/** What the staff and service regions tell the counter region, as their states change. */
export type CounterFact = Extract<CounterEvent, { type: 'service.out' | 'service.in' | 'staff.present' | 'staff.away' }>;

/**
 * An action of the staff or service region that tells the counter region a fact, through the actor
 * system. At a staffed kiosk there is no counter region: nothing is sent (a `sendTo` to nobody would
 * go to the sender itself).
 */
export function tellCounter<TContext extends MachineContext, TEvent extends EventObject, TEmitted extends EventObject = EventObject>(
  fact: (context: TContext) => CounterFact,
): ActionFunction<TContext, TEvent, TEvent, undefined, never, never, never, never, TEmitted> {
  // It spawns, raises and checks nothing of the machine's own (hence the `never`s): it fits any machine's actions.
  return enqueueActions<TContext, TEvent, undefined, TEvent, never, never, never, never, TEmitted>(({ context, system, enqueue }) => {
    const counter: AnyActorRef | undefined = system.get(counterSystemId);
    if (counter) enqueue.sendTo(counter, fact(context));
  });
}

/** A top-up visit: one card, its notes, and what became of them. */
export interface TopUpVisit {
  readonly cardNumber: string;
  readonly last4: string;
  readonly cap: number;
  readonly topUpId: string | null;
  /** The card left the reader: the visit ends (its cash closes), the new balance waits for the next tap. */
  readonly lifted: boolean;
  readonly figures: CashFigures;
  readonly outcome: CashOutcome | null;
}

/** What finishing a visit did: the mirror written or pending, the signed receipt (none when nothing was credited). */
export interface TopUpFinish {
  readonly mirror: MirrorState;
  readonly receipt: ReceiptView | null;
}

export interface CounterContext {
  readonly delays: CounterDelays;
  readonly card: SelfServiceCardView | null;
  readonly cardNumber: string | null;
  readonly visit: TopUpVisit | null;
  readonly done: TopUpDoneView | null;
  /** What happened to the money of the person at the kiosk when it closed during their top-up. */
  readonly money: MoneyNotice | null;
  /** Staff or a closure ended the visit: where it goes once its money is settled. */
  readonly interrupted: 'staff' | 'service' | null;
  readonly problem: SelfServiceProblem | null;
  readonly closure: SelfServiceClosure | null;
  readonly staffPresent: boolean;
  readonly cashAllOrNothing: boolean;
}

export const counterMachine = setup({
  types: {
    context: {} as CounterContext,
    events: {} as CounterEvent,
    input: {} as CounterInput,
  },
  actors: {
    /** Reads the tapped card and looks it up; implemented by the composition root (`provide`). */
    readOwnCard: fromPromise<OwnCardLookUp, { tap: CardTap }>(async () => {
      throw new Error('readOwnCard is not provided');
    }),
    /** Opens the visit in the ledger (`startTopUp`), with the ledger's balance now (it may have moved since the tap). */
    openTopUp: fromPromise<{ topUpId: string; balance: number }, { cardNumber: string }>(async () => {
      throw new Error('openTopUp is not provided');
    }),
    /** One visit's notes (`top-up/cash-machine.ts`, with the validator and the wallet provided). */
    cash: cashMachine,
    /** Writes the new mirror (unless the card left), signs the receipt, closes the visit in the ledger. */
    finishTopUp: fromPromise<TopUpFinish, { visit: TopUpVisit }>(async () => {
      throw new Error('finishTopUp is not provided');
    }),
  },
  actions: {
    /** A look-up threw (the store, say): logged by whoever provides it. */
    lookUpFailed: (_, _params: { error: unknown }) => {},
    /** A top-up step threw: logged by whoever provides it. */
    topUpFailed: (_, _params: { step: string; error: unknown }) => {},
    forget: assign({ card: null, problem: null, cardNumber: null, visit: null, done: null, money: null }),
    /** Asks the visit's cash to close; nothing to ask while the visit opens or once its cash is done. */
    closeCash: enqueueActions(({ self, enqueue }) => {
      const cash: AnyActorRef | undefined = self.getSnapshot().children['cash'];
      if (cash && cash.getSnapshot().status === 'active') enqueue.sendTo(cash, { type: 'close' } satisfies CashEvent);
    }),
    /** The validator's fault closes the kiosk: the service region is told, and tells everyone. */
    tellService: enqueueActions(({ system, enqueue }, params: { cause: CashClosure }) => {
      const service: AnyActorRef | undefined = system.get('service');
      if (service) enqueue.sendTo(service, { type: 'cash.fault', cause: params.cause });
    }),
  },
  delays: {
    ownCardShown: ({ context }) => context.delays.ownCardShown,
    problemShown: ({ context }) => context.delays.problemShown,
    topUpIdle: ({ context }) => context.delays.topUpIdle,
    topUpDoneShown: ({ context }) => context.delays.topUpDoneShown,
  },
  guards: {
    severalCardsShown: ({ context }) => context.problem === 'several-cards',
    closed: ({ context }) => context.closure !== null,
    staffPresent: ({ context }) => context.staffPresent,
    found: ({ event }) => (event as { output?: OwnCardLookUp }).output?.kind === 'card',
    foundProblem: ({ event }) => (event as { output?: OwnCardLookUp }).output?.kind === 'problem',
    topUpAvailable: ({ context }) => context.cardNumber !== null && context.card?.wallet?.topUp.available === true,
    interruptedByService: ({ context }) => context.interrupted === 'service' && context.closure !== null,
    interruptedByStaff: ({ context }) => context.interrupted === 'staff' || context.staffPresent,
    receiptMade: ({ context }) => context.done !== null,
  },
}).createMachine({
  id: 'counter',
  context: ({ input }) => ({
    delays: { ...defaultCounterDelays, ...input.delays },
    card: null,
    problem: null,
    cardNumber: null,
    visit: null,
    done: null,
    money: null,
    interrupted: null,
    closure: input.closure ?? null,
    staffPresent: input.staffPresent ?? false,
    cashAllOrNothing: input.cashAllOrNothing ?? false,
  }),
  initial: 'starting',
  on: {
    'service.out': { target: '.outOfService', actions: assign({ closure: ({ event }) => event.reason }) },
  },
  states: {
    /** Where the facts at start put it: closed first, then staff, then open to citizens. */
    starting: {
      always: [{ guard: 'closed', target: 'outOfService' }, { guard: 'staffPresent', target: 'staffAtCounter' }, { target: 'selfService' }],
    },
    selfService: {
      initial: 'ready',
      on: {
        'card.tapped': { target: '.reading', reenter: true },
        'card.removed': '.ready',
        dismiss: '.ready',
        'card.unreadable': { target: '.problem', reenter: true, actions: assign({ problem: 'several-cards' as const }) },
        'staff.present': { target: 'staffAtCounter', actions: assign({ staffPresent: true }) },
      },
      states: {
        ready: { entry: 'forget' },
        reading: {
          entry: 'forget',
          invoke: {
            src: 'readOwnCard',
            input: ({ event }) => ({ tap: (event as Extract<CounterEvent, { type: 'card.tapped' }>).tap }),
            onDone: [
              {
                guard: 'found',
                target: 'card',
                actions: assign({
                  card: ({ event }) => (event.output?.kind === 'card' ? event.output.card : null),
                  cardNumber: ({ event }) => (event.output?.kind === 'card' ? (event.output.cardNumber ?? null) : null),
                }),
              },
              { guard: 'foundProblem', target: 'problem', actions: assign({ problem: ({ event }) => (event.output?.kind === 'problem' ? event.output.problem : null) }) },
              { target: 'ready' },
            ],
            onError: {
              target: 'problem',
              actions: [{ type: 'lookUpFailed', params: ({ event }) => ({ error: event.error }) }, assign({ problem: 'unreadable' as const })],
            },
          },
        },
        card: {
          after: { ownCardShown: 'ready' },
          on: { 'top-up.start': { guard: 'topUpAvailable', target: 'topUp' } },
        },
        /**
         * A top-up visit. Nothing ends it abruptly: a lifted card, staff or a closure ask the cash
         * machine to close (a note in escrow goes back, a note being stacked is credited), and the
         * visit finishes with what was credited before the screen moves on. A lifted card ends it as
         * Finish does: no note is credited to a card that has gone; what was credited stays pending for the chip.
         */
        topUp: {
          entry: assign(({ context }) => ({
            interrupted: null,
            money: null,
            visit: {
              cardNumber: context.cardNumber ?? '',
              last4: context.card?.last4 ?? '0000',
              cap: context.card?.wallet?.cap ?? 0,
              topUpId: null,
              lifted: false,
              figures: {
                balance: context.card?.wallet?.balance ?? 0,
                inserted: 0,
                notes: context.card?.wallet?.topUp.available ? context.card.wallet.topUp.notes : [],
                phase: 'insert' as const,
                escrow: null,
                notice: null,
              },
              outcome: null,
            },
          })),
          on: {
            // The reader's events do not cut the visit short: its money is settled first.
            'card.tapped': {},
            'card.unreadable': {},
            dismiss: {},
            'card.removed': { actions: [assign({ visit: ({ context }) => (context.visit ? { ...context.visit, lifted: true } : null) }), 'closeCash'] },
            'staff.present': { actions: [assign({ staffPresent: true, interrupted: 'staff' }), 'closeCash'] },
            'service.out': { actions: [assign({ closure: ({ event }) => event.reason, interrupted: 'service' }), 'closeCash'] },
            'service.in': { actions: assign({ closure: null }) },
            'staff.away': { actions: assign({ staffPresent: false }) },
          },
          initial: 'opening',
          states: {
            opening: {
              invoke: {
                src: 'openTopUp',
                input: ({ context }) => ({ cardNumber: context.visit?.cardNumber ?? '' }),
                onDone: [
                  // Closed, staff or the card lifted while it opened: the visit ends before a note is taken.
                  { guard: ({ context }) => context.interrupted !== null || context.visit?.lifted === true, target: 'finishing', actions: assign({ visit: ({ context, event }) => (context.visit ? { ...context.visit, topUpId: event.output.topUpId, figures: { ...context.visit.figures, balance: event.output.balance } } : null) }) },
                  { target: 'inserting', actions: assign({ visit: ({ context, event }) => (context.visit ? { ...context.visit, topUpId: event.output.topUpId, figures: { ...context.visit.figures, balance: event.output.balance } } : null) }) },
                ],
                onError: { target: '#counter.selfService.problem', actions: [{ type: 'topUpFailed', params: ({ event }) => ({ step: 'open', error: event.error }) }, assign({ problem: 'unreadable' as const, visit: null })] },
              },
            },
            inserting: {
              invoke: {
                src: 'cash',
                id: 'cash',
                input: ({ context }) => ({
                  topUpId: context.visit?.topUpId ?? '',
                  cardNumber: context.visit?.cardNumber ?? '',
                  balance: context.visit?.figures.balance ?? 0,
                  cap: context.visit?.cap ?? 0,
                  allOrNothing: context.cashAllOrNothing,
                }),
                onDone: {
                  target: 'finishing',
                  actions: [
                    assign(({ context, event }) => {
                      const outcome = event.output as CashOutcome;
                      return {
                        visit: context.visit ? { ...context.visit, outcome, figures: { ...context.visit.figures, balance: outcome.balance, inserted: outcome.inserted, escrow: null } } : null,
                        ...(outcome.fault ? { interrupted: 'service' as const, closure: outcome.fault } : {}),
                      };
                    }),
                    enqueueActions(({ event, enqueue }) => {
                      const outcome = event.output as CashOutcome;
                      if (outcome.fault) enqueue({ type: 'tellService', params: { cause: outcome.fault } });
                    }),
                  ],
                },
                onError: { target: 'finishing', actions: { type: 'topUpFailed', params: ({ event }) => ({ step: 'cash', error: event.error }) } },
              },
              on: {
                'top-up.finish': { actions: 'closeCash' },
                'top-up.cancel': { actions: 'closeCash' },
                // Only here, where the cash runs (a cash already done ignores them: the validator is inhibited by then).
                'bill.event': { actions: sendTo('cash', ({ event }) => event) },
                'bill.break': { actions: sendTo('cash', ({ event }) => event) },
                'bill.disconnected': { actions: sendTo('cash', ({ event }) => event) },
                'bill.uncertain': { actions: sendTo('cash', ({ event }) => event) },
              },
              initial: 'watching',
              states: {
                /** Any move of the cash (a note, a notice) starts the idle wait again. */
                watching: {
                  after: { topUpIdle: { actions: 'closeCash' } },
                  on: {
                    'cash.changed': {
                      target: 'watching',
                      reenter: true,
                      actions: assign({ visit: ({ context, event }) => (context.visit ? { ...context.visit, figures: event.figures } : null) }),
                    },
                  },
                },
              },
            },
            finishing: {
              invoke: {
                src: 'finishTopUp',
                input: ({ context }) => ({ visit: context.visit! }),
                onDone: {
                  target: 'settled',
                  actions: assign(({ context, event }) => ({
                    done: event.output.receipt ? { receipt: event.output.receipt, mirror: event.output.mirror } : null,
                    money: moneyOf(context.visit),
                  })),
                },
                onError: {
                  target: 'settled',
                  actions: [{ type: 'topUpFailed', params: ({ event }) => ({ step: 'finish', error: event.error }) }, assign(({ context }) => ({ done: null, money: moneyOf(context.visit) }))],
                },
              },
            },
            /** Where the screen goes once the money is settled. */
            settled: {
              always: [
                { guard: 'interruptedByService', target: '#counter.outOfService' },
                { guard: 'interruptedByStaff', target: '#counter.staffAtCounter' },
                { guard: 'receiptMade', target: '#counter.selfService.topUpDone' },
                { target: '#counter.selfService.ready' },
              ],
            },
          },
        },
        topUpDone: {
          after: { topUpDoneShown: 'ready' },
          // It asks them to take their card: the receipt stays on show when they do (Done, a new tap or its delay clear it).
          on: { 'card.removed': {} },
        },
        problem: {
          after: { problemShown: 'ready' },
          on: {
            /** The cards that could not be read left the reader: their message goes with them. */
            'card.unreadableGone': { guard: 'severalCardsShown', target: 'ready' },
          },
        },
      },
    },
    /** Staff have the counter reader (sign-in, card checks): self-service steps aside with nothing on show. */
    staffAtCounter: {
      entry: 'forget',
      on: {
        'staff.away': { target: 'selfService', actions: assign({ staffPresent: false }) },
      },
    },
    /** Whatever was on show is forgotten, not just hidden: it must not come back afterwards (the money notice of an interrupted top-up stays). */
    outOfService: {
      entry: assign({ card: null, problem: null, cardNumber: null, visit: null, done: null }),
      exit: assign({ money: null }),
      on: {
        'staff.present': { actions: assign({ staffPresent: true }) },
        'staff.away': { actions: assign({ staffPresent: false }) },
        'service.in': [
          { guard: 'staffPresent', target: 'staffAtCounter', actions: assign({ closure: null }) },
          { target: 'selfService', actions: assign({ closure: null }) },
        ],
      },
    },
  },
});

export type CounterSnapshot = SnapshotFrom<typeof counterMachine>;

/** The flat view the UI gets of the counter's snapshot (the machine itself never leaves the controller). */
/** Money that was in play when a top-up ended by a closure (null: none). */
function moneyOf(visit: TopUpVisit | null): MoneyNotice | null {
  const outcome = visit?.outcome;
  if (!visit || !outcome || outcome.inserted + outcome.returned + outcome.inDoubt === 0) return null;
  return { credited: outcome.inserted, returned: outcome.returned, inDoubt: outcome.inDoubt, last4: visit.last4 };
}

function topUpView(snapshot: CounterSnapshot, visit: TopUpVisit): TopUpView {
  const { figures } = visit;
  const phase = snapshot.matches({ selfService: { topUp: 'finishing' } })
    ? (visit.outcome && visit.outcome.inserted > 0 && !visit.lifted ? 'writing-card' : 'closing')
    : figures.phase;
  return {
    last4: visit.last4,
    balance: figures.balance,
    inserted: figures.inserted,
    room: roomUnderCap(figures.balance, visit.cap),
    notes: [...figures.notes],
    phase,
    escrow: figures.escrow,
    notice: figures.notice,
    ...(visit.lifted ? { cardLifted: true as const } : {}),
  };
}

export function counterView(snapshot: CounterSnapshot): SelfServiceView {
  const { context } = snapshot;
  if (snapshot.matches('outOfService') && context.closure) {
    return { state: 'out-of-service', reason: context.closure, ...(context.money ? { money: context.money } : {}) };
  }
  if (snapshot.matches({ selfService: 'topUp' }) && context.visit) return { state: 'top-up', topUp: topUpView(snapshot, context.visit) };
  if (snapshot.matches({ selfService: 'topUpDone' }) && context.done) {
    return { state: 'top-up-done', done: context.done, showSeconds: Math.round(context.delays.topUpDoneShown / 1000) };
  }
  if (snapshot.matches({ selfService: 'reading' })) return { state: 'reading' };
  if (snapshot.matches({ selfService: 'card' }) && context.card) {
    return { state: 'card', card: context.card, showSeconds: Math.round(context.delays.ownCardShown / 1000) };
  }
  if (snapshot.matches({ selfService: 'problem' }) && context.problem) return { state: 'problem', problem: context.problem };
  return { state: 'ready' };
}
