import { assign, fromPromise, setup, type SnapshotFrom } from 'xstate';
import type { CardTap } from '../../../hardware/nfc/types';
import type { SelfServiceCardView, SelfServiceClosure, SelfServiceProblem, SelfServiceView } from '../../../shared/contract/kiosk-api';

/**
 * The counter reader's region of the kiosk, in self-service: a citizen taps their own card and sees
 * that card's chip data and status. What is on show goes away when the card is taken off the reader,
 * after a named delay, when the citizen presses Done, when staff step up or when the service region
 * closes the kiosk — leaving the state forgets it, so the next person sees nothing of the previous one.
 * A read is an invoked actor: leaving `reading` (a removal, another tap) cancels it, so a slow read
 * that finishes late is never shown.
 */

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
    closure: null,
    staffPresent: false,
  }),
  initial: 'selfService',
  on: {
    'service.out': { target: '.outOfService', actions: assign({ closure: ({ event }) => event.reason }) },
  },
  states: {
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
