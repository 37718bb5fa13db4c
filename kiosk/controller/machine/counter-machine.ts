import { assign, enqueueActions, fromPromise, setup, type ActionFunction, type AnyActorRef, type EventObject, type MachineContext, type SnapshotFrom } from 'xstate';
import type { CardTap } from '../../../hardware/nfc/types';
import type { SelfServiceCardView, SelfServiceClosure, SelfServiceProblem, SelfServiceView } from '../../../shared/contract/kiosk-api';

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
  | { readonly kind: 'card'; readonly card: SelfServiceCardView }
  | { readonly kind: 'problem'; readonly problem: SelfServiceProblem }
  | null;

export interface CounterDelays {
  /** Long enough to read a balance slowly; short enough that the next person does not see it. */
  readonly ownCardShown: number;
  /** A problem message (a phone, an unreadable chip, two cards) stays this long. */
  readonly problemShown: number;
}

export const defaultCounterDelays: CounterDelays = { ownCardShown: 30_000, problemShown: 30_000 };

export interface CounterInput {
  readonly delays?: Partial<CounterDelays>;
  /** Why the kiosk is out of service when the region starts (in service by default). */
  readonly closure?: SelfServiceClosure | null;
  /** Staff at the kiosk when the region starts (nobody by default). */
  readonly staffPresent?: boolean;
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
  | { type: 'staff.away' };

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

export interface CounterContext {
  readonly delays: CounterDelays;
  readonly card: SelfServiceCardView | null;
  readonly problem: SelfServiceProblem | null;
  readonly closure: SelfServiceClosure | null;
  readonly staffPresent: boolean;
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
  },
  actions: {
    /** A look-up threw (the store, say): logged by whoever provides it. */
    lookUpFailed: (_, _params: { error: unknown }) => {},
    forget: assign({ card: null, problem: null }),
  },
  delays: {
    ownCardShown: ({ context }) => context.delays.ownCardShown,
    problemShown: ({ context }) => context.delays.problemShown,
  },
  guards: {
    severalCardsShown: ({ context }) => context.problem === 'several-cards',
    closed: ({ context }) => context.closure !== null,
    staffPresent: ({ context }) => context.staffPresent,
    found: ({ event }) => (event as { output?: OwnCardLookUp }).output?.kind === 'card',
    foundProblem: ({ event }) => (event as { output?: OwnCardLookUp }).output?.kind === 'problem',
  },
}).createMachine({
  id: 'counter',
  context: ({ input }) => ({
    delays: { ...defaultCounterDelays, ...input.delays },
    card: null,
    problem: null,
    closure: input.closure ?? null,
    staffPresent: input.staffPresent ?? false,
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
              { guard: 'found', target: 'card', actions: assign({ card: ({ event }) => (event.output?.kind === 'card' ? event.output.card : null) }) },
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
    /** Whatever was on show is forgotten, not just hidden: it must not come back afterwards. */
    outOfService: {
      entry: 'forget',
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
export function counterView(snapshot: CounterSnapshot): SelfServiceView {
  const { context } = snapshot;
  if (snapshot.matches('outOfService') && context.closure) return { state: 'out-of-service', reason: context.closure };
  if (snapshot.matches({ selfService: 'reading' })) return { state: 'reading' };
  if (snapshot.matches({ selfService: 'card' }) && context.card) {
    return { state: 'card', card: context.card, showSeconds: Math.round(context.delays.ownCardShown / 1000) };
  }
  if (snapshot.matches({ selfService: 'problem' }) && context.problem) return { state: 'problem', problem: context.problem };
  return { state: 'ready' };
}
