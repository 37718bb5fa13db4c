import { assertEvent, assign, emit, fromPromise, setup, type ActorLogic, type ActorOptions, type AnyActorLogic, type SnapshotFrom } from 'xstate';
import type { CommandReply, Message, SessionView } from '../../../shared/contract/kiosk-api';
import { refused } from '../../../shared/contract/kiosk-api';
import { englishOf } from '../../../shared/i18n/message-catalogue';
import type { Result } from '../../../shared/result';
import { authPolicy, type Approval, type ApprovalError, type Session, type SignInError } from '../auth/operator-service';
import { mayClearTamper, mayStartApplication } from '../auth/authorize';
import type { Action } from '../auth/permissions';
import { tellCounter } from './counter-machine';
import { approvalMessage, approvedButFailedMessage, signInMessage, staffMessages } from './staff-messages';

/**
 * The staff region of the kiosk: who is at the counter. Staff sign in by tapping their staff card
 * on the counter reader and typing their PIN; the session warns, then locks itself when left idle;
 * a supervisor approves one action on the operator's session the same way (card, then PIN).
 *
 *   signedOut → pin → signingIn → signedIn (parallel: idle · approval) → signingOut | locking → signedOut
 *   idle:      counting { active → warning (ticking) }; a touch starts counting again; idleLock → locking
 *   approval:  none | waitingCard → pin → approving → performing → none
 *
 * Store work (sign-in, approval, sign-out, the lock's audit row) is done by actors the composition
 * root provides, so that a failed write is a transition, not an exception; every timer is a named
 * delay on the actor's clock (XState's `SimulatedClock` in tests).
 *
 * Staff are at the kiosk from a staff card's tap (`pin`, `signingIn`, `signedIn`) until the PIN is
 * given up, refused for good, or the session ends: the counter region (unattended only) is told as
 * it happens (`staffArrived`, `staffLeft`), so a citizen's card on show is forgotten at once.
 */

/** The idle timing, from configuration: the lock after `idleMs` without a touch, warned `idleWarningMs` before. */
export interface StaffTiming {
  readonly idleMs: number;
  readonly idleWarningMs: number;
}

export const defaultStaffTiming: StaffTiming = { idleMs: authPolicy.idleMs, idleWarningMs: authPolicy.idleWarningMs };

/** How often the countdown shown in the warning is brought up to date. */
export const countdownTickMs = 1_000;

/** The clock the machine's delays run on: XState's own (real timers) unless a test injects `SimulatedClock`. */
export type TimerClock = NonNullable<ActorOptions<AnyActorLogic>['clock']>;

/** A clock for the whole region: its delays, and the time it reads for the countdown (`SimulatedClock` is one). */
export type StaffClock = TimerClock & { now(): number };

/** The action to run once a supervisor has approved it (the controller's), answering the PIN. */
export type PerformApproved = (approval: Approval) => Promise<CommandReply>;

export interface StaffContext {
  readonly timing: StaffTiming;
  /** The staff card whose PIN is asked for (sign-in, or a supervisor's approval). */
  readonly card: string | null;
  readonly operator: Session | null;
  readonly message: Message | null;
  readonly approval: { readonly action: Action; readonly perform: PerformApproved } | null;
  /** The time on the machine's clock (ms): the countdown is worked out from it, never counted by ticks. */
  readonly now: () => number;
  /** When the idle countdown started (sign-in or the last touch), on `now`. */
  readonly touchedAt: number;
  /** Time left before the lock while the warning shows, brought up to date by `idleTick`. */
  readonly warningLeftMs: number;
}

export type StaffEvent =
  /** The counter reader read a verified staff card. */
  | { readonly type: 'staffCard'; readonly cardNumber: string }
  /** The counter reader read something that is not a staff card (or could not verify it). */
  | { readonly type: 'cardRefused'; readonly message: Message }
  /** Two cards on the reader at once, or a card that does not answer. */
  | { readonly type: 'cardsUnreadable' }
  | { readonly type: 'pin'; readonly pin: string }
  | { readonly type: 'cancel' }
  | { readonly type: 'signOut' }
  /** Any command from the screen. */
  | { readonly type: 'touch' }
  | { readonly type: 'requestApproval'; readonly action: Action; readonly perform: PerformApproved };

/** The answer to a command that waited for store work: a reply, or the error the store threw. */
export type StaffOutcome = { readonly ok: true; readonly reply: CommandReply } | { readonly ok: false; readonly error: unknown };

export type StaffEmitted =
  | { readonly type: 'replied'; readonly command: 'enter-pin' | 'sign-out'; readonly outcome: StaffOutcome }
  /** The session ended (sign-out or idle lock): the screen must forget the applicant. */
  | { readonly type: 'sessionEnded' }
  /** The idle lock's audit row could not be written; the session ended all the same. */
  | { readonly type: 'lockNotRecorded'; readonly error: unknown };

export interface StaffInput {
  readonly timing?: Partial<StaffTiming>;
  /** The actor's clock's time; `Date.now` for real timers, `SimulatedClock.now` in tests. */
  readonly now?: () => number;
}

const notProvided = <TOutput, TInput>(name: string): ActorLogic<never, never, TInput> =>
  fromPromise<TOutput, TInput>(async () => {
    throw new Error(`the ${name} actor was not provided by the composition root`);
  }) as unknown as ActorLogic<never, never, TInput>;

const actorsToProvide = {
  signIn: notProvided('signIn') as unknown as ReturnType<typeof fromPromise<Result<Session, SignInError>, { staffCardNumber: string; pin: string }>>,
  approve: notProvided('approve') as unknown as ReturnType<
    typeof fromPromise<Result<Approval, ApprovalError>, { action: Action; staffCardNumber: string; pin: string }>
  >,
  /** Ends the session and writes its audit row. */
  signOut: notProvided('signOut') as unknown as ReturnType<typeof fromPromise<void, void>>,
  /** Ends the session after the idle time and writes the lock's audit row. */
  lockSession: notProvided('lockSession') as unknown as ReturnType<typeof fromPromise<void, void>>,
};

/** The output of the store work that ended (guards see the machine's events, not the done events). */
const outputOf = <T>(event: unknown): T => (event as { output: T }).output;

const replied = (command: 'enter-pin' | 'sign-out', outcome: StaffOutcome): StaffEmitted => ({ type: 'replied', command, outcome });
const accepted: StaffOutcome = { ok: true, reply: { accepted: true } };
/** A refusal keeps the message's English rendering as its reason (for staff and logs). */
const refusedWith = (message: Message): StaffOutcome => ({ ok: true, reply: refused('other', englishOf(message)) });

export const staffMachine = setup({
  types: {
    context: {} as StaffContext,
    events: {} as StaffEvent,
    emitted: {} as StaffEmitted,
    input: {} as StaffInput | undefined,
  },
  actors: {
    ...actorsToProvide,
    performApproved: fromPromise<CommandReply, { perform: PerformApproved; approval: Approval }>(({ input }) => input.perform(input.approval)),
  },
  guards: {
    signInAccepted: ({ event }) => outputOf<Result<Session, SignInError>>(event).ok,
    wrongPin: ({ event }) => {
      const output = outputOf<Result<Session, SignInError>>(event);
      return !output.ok && output.error.kind === 'wrong_pin';
    },
    approvalGranted: ({ event }) => outputOf<Result<Approval, ApprovalError>>(event).ok,
  },
  delays: {
    /** The warning (with its countdown) starts `idleWarningMs` before the lock. */
    idleWarning: ({ context }) => Math.max(0, context.timing.idleMs - context.timing.idleWarningMs),
    /** The lock, `idleMs` after the last touch. */
    idleLock: ({ context }) => context.timing.idleMs,
    /** One refresh of the countdown shown in the warning. */
    idleTick: countdownTickMs,
  },
  actions: {
    takeCard: assign({
      card: ({ event }) => {
        assertEvent(event, 'staffCard');
        return event.cardNumber;
      },
      message: null,
    }),
    showRefusal: assign({
      message: ({ event }) => {
        assertEvent(event, 'cardRefused');
        return event.message;
      },
    }),
    clearMessage: assign({ message: null }),
    forgetCard: assign({ card: null }),
    dropApproval: assign({ approval: null, card: null }),
    endSession: assign({ operator: null, card: null, approval: null }),
    sessionEnded: emit({ type: 'sessionEnded' } as const),
    staffArrived: tellCounter<StaffContext, StaffEvent, StaffEmitted>(() => ({ type: 'staff.present' })),
    staffLeft: tellCounter<StaffContext, StaffEvent, StaffEmitted>(() => ({ type: 'staff.away' })),
    startCounting: assign({ touchedAt: ({ context }) => context.now() }),
    updateCountdown: assign({ warningLeftMs: ({ context }) => Math.max(0, context.touchedAt + context.timing.idleMs - context.now()) }),
  },
}).createMachine({
  id: 'staff',
  // Without input (a diagram, a parent that passes none) the policy's timing and real time.
  context: ({ input }) => ({
    timing: { ...defaultStaffTiming, ...input?.timing },
    card: null,
    operator: null,
    message: null,
    approval: null,
    now: input?.now ?? Date.now,
    touchedAt: 0,
    warningLeftMs: 0,
  }),
  initial: 'signedOut',
  on: {
    cardsUnreadable: { actions: assign({ message: staffMessages.cardsUnreadable }) },
  },
  states: {
    signedOut: {
      on: {
        staffCard: { target: 'pin', actions: ['takeCard', 'staffArrived'] },
        cardRefused: { actions: 'showRefusal' },
        cancel: { actions: 'clearMessage' },
        signOut: { target: 'signedOut', actions: ['clearMessage', 'sessionEnded', emit(replied('sign-out', accepted))] },
      },
    },
    pin: {
      on: {
        // Another staff card replaces the first.
        staffCard: { actions: 'takeCard' },
        cardRefused: { actions: 'showRefusal' },
        pin: 'signingIn',
        cancel: { target: 'signedOut', actions: ['forgetCard', 'clearMessage', 'staffLeft'] },
        signOut: { target: 'signedOut', actions: ['forgetCard', 'clearMessage', 'staffLeft', 'sessionEnded', emit(replied('sign-out', accepted))] },
      },
    },
    signingIn: {
      invoke: {
        src: 'signIn',
        input: ({ context, event }) => {
          assertEvent(event, 'pin');
          return { staffCardNumber: context.card ?? '', pin: event.pin };
        },
        onDone: [
          {
            guard: 'signInAccepted',
            target: 'signedIn',
            actions: [
              assign({ operator: ({ event }) => (event.output.ok ? event.output.value : null), card: null, message: null }),
              emit(replied('enter-pin', accepted)),
            ],
          },
          {
            // A wrong PIN may be typed again on the same card; any other refusal needs another card.
            guard: 'wrongPin',
            target: 'pin',
            actions: [
              assign({ message: ({ event }) => (event.output.ok ? null : signInMessage(event.output.error)) }),
              emit(({ event }) => replied('enter-pin', event.output.ok ? accepted : refusedWith(signInMessage(event.output.error)))),
            ],
          },
          {
            target: 'signedOut',
            actions: [
              assign({ message: ({ event }) => (event.output.ok ? null : signInMessage(event.output.error)), card: null }),
              'staffLeft',
              emit(({ event }) => replied('enter-pin', event.output.ok ? accepted : refusedWith(signInMessage(event.output.error)))),
            ],
          },
        ],
        // The sign-in could not be recorded (a full disk): nobody is signed in, the card may try again.
        onError: { target: 'pin', actions: emit(({ event }) => replied('enter-pin', { ok: false, error: event.error })) },
      },
    },
    signedIn: {
      type: 'parallel',
      on: {
        signOut: 'signingOut',
      },
      states: {
        idle: {
          initial: 'counting',
          states: {
            counting: {
              initial: 'active',
              entry: 'startCounting',
              after: { idleLock: '#staff.locking' },
              // Re-entering `counting` cancels both delays and starts them again; the approval region is left alone.
              on: { touch: { target: 'counting', reenter: true } },
              states: {
                active: {
                  after: { idleWarning: 'warning' },
                },
                warning: {
                  entry: 'updateCountdown',
                  initial: 'ticking',
                  states: {
                    ticking: {
                      after: { idleTick: { target: 'ticking', reenter: true, actions: 'updateCountdown' } },
                    },
                  },
                },
              },
            },
          },
        },
        approval: {
          initial: 'none',
          on: {
            requestApproval: {
              target: '.waitingCard',
              actions: assign({
                approval: ({ event }) => ({ action: event.action, perform: event.perform }),
                card: null,
                message: null,
              }),
            },
          },
          states: {
            // A signed-in operator taps citizens' cards to check them: those are no sign-in attempts.
            none: {},
            waitingCard: {
              on: {
                staffCard: { target: 'pin', actions: 'takeCard' },
                cardRefused: { actions: 'showRefusal' },
                cancel: { target: 'none', actions: ['dropApproval', 'clearMessage'] },
              },
            },
            pin: {
              on: {
                staffCard: { actions: 'takeCard' },
                cardRefused: { actions: 'showRefusal' },
                pin: 'approving',
                cancel: { target: 'none', actions: ['dropApproval', 'clearMessage'] },
              },
            },
            approving: {
              invoke: {
                src: 'approve',
                input: ({ context, event }) => {
                  assertEvent(event, 'pin');
                  // `approval` is set in every state that leads here.
                  return { action: context.approval?.action ?? 'approve', staffCardNumber: context.card ?? '', pin: event.pin };
                },
                onDone: [
                  { guard: 'approvalGranted', target: 'performing', actions: 'clearMessage' },
                  {
                    target: 'waitingCard',
                    actions: [
                      assign({ message: ({ event }) => (event.output.ok ? null : approvalMessage(event.output.error)), card: null }),
                      emit(({ event }) => replied('enter-pin', event.output.ok ? accepted : refusedWith(approvalMessage(event.output.error)))),
                    ],
                  },
                ],
                onError: { target: 'pin', actions: emit(({ event }) => replied('enter-pin', { ok: false, error: event.error })) },
              },
            },
            performing: {
              invoke: {
                src: 'performApproved',
                input: ({ context, event }) => {
                  const output = outputOf<Result<Approval, ApprovalError>>(event);
                  if (!output.ok || !context.approval) throw new Error('performing without an approval');
                  return { perform: context.approval.perform, approval: output.value };
                },
                onDone: {
                  target: 'none',
                  actions: [
                    'dropApproval',
                    assign({ message: ({ event }) => (event.output.accepted ? null : approvedButFailedMessage(event.output.reason)) }),
                    emit(({ event }) => replied('enter-pin', { ok: true, reply: event.output })),
                  ],
                },
                onError: { target: 'none', actions: ['dropApproval', emit(({ event }) => replied('enter-pin', { ok: false, error: event.error }))] },
              },
            },
          },
        },
      },
    },
    signingOut: {
      entry: ['endSession', 'staffLeft'],
      invoke: {
        src: 'signOut',
        onDone: { target: 'signedOut', actions: ['clearMessage', 'sessionEnded', emit(replied('sign-out', accepted))] },
        // The session has ended even when its audit row could not be written (a full disk): clear the screen.
        onError: { target: 'signedOut', actions: ['clearMessage', 'sessionEnded', emit(({ event }) => replied('sign-out', { ok: false, error: event.error }))] },
      },
    },
    locking: {
      entry: ['endSession', 'staffLeft'],
      invoke: {
        src: 'lockSession',
        // The lock is written to the audit log before the screen is told why.
        onDone: { target: 'signedOut', actions: [assign({ message: staffMessages.idleLocked }), 'sessionEnded'] },
        onError: {
          target: 'signedOut',
          actions: [assign({ message: staffMessages.idleLocked }), 'sessionEnded', emit(({ event }) => ({ type: 'lockNotRecorded', error: event.error }) as const)],
        },
      },
    },
  },
});

export type StaffSnapshot = SnapshotFrom<typeof staffMachine>;

/** Store work in flight for a command that waits for its answer. */
export function staffBusyWith(snapshot: StaffSnapshot): 'enter-pin' | 'sign-out' | null {
  if (snapshot.matches('signingIn') || snapshot.matches({ signedIn: { approval: 'approving' } }) || snapshot.matches({ signedIn: { approval: 'performing' } })) return 'enter-pin';
  if (snapshot.matches('signingOut') || snapshot.matches('locking')) return 'sign-out';
  return null;
}

/** The flat view of the staff region the UI renders: a pure function of the machine's snapshot. */
export function staffView(snapshot: StaffSnapshot): SessionView {
  const { context } = snapshot;
  const operator = snapshot.matches('signedIn') ? context.operator : null;
  const approvalState = snapshot.matches({ signedIn: { approval: 'waitingCard' } })
    ? 'waiting-card'
    : snapshot.matches({ signedIn: { approval: 'pin' } }) || snapshot.matches({ signedIn: { approval: 'approving' } })
      ? 'pin'
      : null;
  const warning = snapshot.matches({ signedIn: { idle: { counting: 'warning' } } });
  return {
    state: operator ? 'signed-in' : snapshot.matches('pin') || snapshot.matches('signingIn') ? 'pin' : 'signed-out',
    operator: operator ? { name: operator.name, role: operator.role } : null,
    approval: approvalState && context.approval ? { action: context.approval.action, state: approvalState } : null,
    message: context.message,
    idleSecondsLeft: warning ? Math.ceil(context.warningLeftMs / 1000) : null,
    mayStartApplication: operator ? mayStartApplication(operator.role) : false,
    mayClearTamper: operator ? mayClearTamper({ role: operator.role, operatorId: operator.operatorId }) : false,
  };
}
