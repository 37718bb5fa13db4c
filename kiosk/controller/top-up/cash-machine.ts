import { and, assign, enqueueActions, fromPromise, not, setup, type SnapshotFrom } from 'xstate';
import type { BillBufferBreak, BillEvent, BillStatus, BillValidator } from '../../../hardware/bill-validator/types';
import type { CashClosure, NoteNotice, TopUpPhase } from '../../../shared/contract/top-up';
import { defaultAcceptedNotes, notesThatFit, noteFits } from '../../../shared/domain/wallet';
import type { CashDeviceKind, WalletExceptionKind, WalletTable } from '../store/wallet-types';
import { crashPoint } from '../crash-points';

/**
 * One visit's cash (issue 15, "The order that makes a note exactly once"): the validator reports a
 * note in escrow → it is journaled → if it fits under the cap and the visit is still open the row is
 * marked routing and the note sent to the stacker, else it is returned → the validator's report
 * (stacked / returned) closes the row: credited in one transaction, or closed as returned. What the
 * kiosk cannot know (an unsafe jam, lost events, no report at all) is an exception for staff and
 * closes the kiosk; it never guesses. The validator takes notes only while this machine runs: it
 * enables the notes that still fit after every credit and inhibits them all when it stops.
 *
 * It is invoked by the counter region for a visit (`top-up`); the device's events come in as
 * `bill.*` events, its close request as `close`. Its figures go to the parent (`cash.changed`) so
 * the citizen's screen follows them; its output says what happened to the money.
 */

export interface CashDelays {
  /** After "route" was sent, how long the validator's report may take before the note is in doubt. */
  readonly routeReport: number;
}
export const defaultCashDelays: CashDelays = { routeReport: 15_000 };

export interface CashInput {
  readonly topUpId: string;
  readonly cardNumber: string;
  /** The ledger's balance when the visit began. */
  readonly balance: number;
  readonly cap: number;
  readonly accepted?: readonly number[];
  /** The device takes every accepted note or none (a pulse acceptor): it opens only while they all fit. */
  readonly allOrNothing?: boolean;
  readonly delays?: Partial<CashDelays>;
}

export type CashEvent =
  | { type: 'bill.event'; event: BillEvent }
  | { type: 'bill.break'; what: BillBufferBreak }
  | { type: 'bill.disconnected' }
  /** A pulse note whose pulses were ambiguous: up to `amount` more than was credited may have been taken (`pulse-acceptor.ts`). */
  | { type: 'bill.uncertain'; amount: number; details: Readonly<Record<string, string | number | boolean | null>> }
  /** Finish, cancel, idle, staff or a closure: a note in escrow goes back, a note being stacked is credited. */
  | { type: 'close' }
  /** Internal: the events held back while a note was being closed have been told again. */
  | { type: 'replayed' };

/** The note in flight: reported in escrow, maybe journaled. */
interface NoteInFlight {
  readonly billType: number;
  readonly value: number;
  readonly counter: number;
  readonly journalId: string | null;
}

/** What the validator reported of the note in flight (kept until the state that waits for it reads it). */
type Report = { readonly kind: 'stacked'; readonly counter: number } | { readonly kind: 'returned' } | null;

/** What the cash did in this visit, for the receipt and the money notice. */
export interface CashOutcome {
  readonly inserted: number;
  readonly balance: number;
  /** The ledger's counter after the last credit (null: nothing credited). */
  readonly counter: number | null;
  readonly returned: number;
  readonly inDoubt: number;
  /** Why the validator closed the kiosk (null: closed normally). */
  readonly fault: CashClosure | null;
}

export interface CashContext {
  readonly topUpId: string;
  readonly cardNumber: string;
  readonly cap: number;
  readonly accepted: readonly number[];
  readonly allOrNothing: boolean;
  readonly delays: CashDelays;
  readonly balance: number;
  readonly counter: number | null;
  readonly inserted: number;
  readonly returned: number;
  readonly inDoubt: number;
  readonly note: NoteInFlight | null;
  readonly report: Report;
  /** Second notes told to go back (ccTalk) whose "returned" has not come yet: a "returned" is theirs first, never the note in flight's. */
  readonly strayReturns: number;
  /**
   * Events that came after the validator's report of the note in flight, while the kiosk was still
   * closing that note (crediting it, closing it as returned): the next note already in escrow, say.
   * Told again, in order, once that note is closed.
   */
  readonly held: readonly BillEvent[];
  readonly notice: NoteNotice | null;
  readonly closeRequested: boolean;
  /** What the screen says the cash is doing (set on entering each state). */
  readonly phase: TopUpPhase;
  readonly fault: CashClosure | null;
  /** The exception to record on the way out (null: none). */
  readonly exception: { readonly kind: WalletExceptionKind; readonly details: Readonly<Record<string, string | number | boolean | null>> } | null;
}

/** The figures the citizen's screen shows, sent to the parent as they change. */
export interface CashFigures {
  readonly balance: number;
  readonly inserted: number;
  readonly notes: readonly number[];
  readonly phase: TopUpPhase;
  readonly escrow: number | null;
  readonly notice: NoteNotice | null;
}

export type CashParentEvent = { type: 'cash.changed'; figures: CashFigures };

const refusals: readonly BillStatus[] = ['invalid-validation', 'invalid-transport', 'inhibited-serial', 'inhibited-dip', 'pulled-backwards', 'fraud-opto', 'fraud-string'];
const closures: Partial<Record<BillStatus, CashClosure>> = {
  'stacker-full': 'stacker-full',
  'stacker-removed': 'stacker-removed',
  'stacker-faulty': 'cash-fault',
  'stacker-jammed': 'cash-fault',
  'jam-stacker': 'cash-fault',
  'anti-string-faulty': 'cash-fault',
  tamper: 'cash-fault',
};

/** A device or store step that answered with an error: its kind tells the machine what is known of the note. */
export class StepFailed extends Error {
  readonly kind: string | null;
  constructor(step: string, error: unknown) {
    super(`${step}: ${JSON.stringify(error)}`);
    this.name = 'StepFailed';
    const kind = (error as { kind?: unknown } | null)?.kind;
    this.kind = typeof kind === 'string' ? kind : null;
  }
}

/** The note in flight went nobody knows where: the kiosk closes, and staff settle it (an exception saying why). */
const noteInDoubt = (context: CashContext, reason: string): Pick<CashContext, 'fault' | 'inDoubt' | 'exception'> => ({
  fault: 'cash-fault',
  inDoubt: context.inDoubt + (context.note?.value ?? 0),
  exception: { kind: 'note-unknown', details: { reason } },
});

const statusOf = (event: CashEvent): BillStatus | null => (event.type === 'bill.event' && event.event.kind === 'status' ? event.event.status : null);

/** A note reported in escrow while another is in flight (a repeated report of the same note is not one). */
interface StrayNote {
  readonly cardNumber: string;
  readonly value: number;
  readonly billType: number;
  readonly counter: number;
}
/** Money a pulse acceptor took that is not credited: a supervisor settles it. */
interface TakenMoney {
  readonly cardNumber: string;
  readonly amount: number;
  readonly details: Readonly<Record<string, string | number | boolean | null>>;
}
const strayOf = ({ context, event }: { context: CashContext; event: CashEvent }): StrayNote => {
  const escrow = event.type === 'bill.event' && event.event.kind === 'escrow' ? event.event : null;
  return { cardNumber: context.cardNumber, value: escrow?.value ?? 0, billType: escrow?.billType ?? 0, counter: escrow?.counter ?? 0 };
};

/** The notes the validator is told to take now. */
export const notesNow = (context: Pick<CashContext, 'balance' | 'accepted' | 'cap' | 'allOrNothing'>): number[] => notesThatFit(context.balance, context.accepted, context.cap, context.allOrNothing);

export const cashMachine = setup({
  types: {
    context: {} as CashContext,
    events: {} as CashEvent,
    input: {} as CashInput,
    output: {} as CashOutcome,
  },
  actors: {
    /** Takes exactly these notes (none: master inhibit). */
    enable: fromPromise<void, { notes: readonly number[]; accepted: readonly number[] }>(async () => { throw new Error('enable is not provided'); }),
    /** Master inhibit: no note is taken. */
    inhibit: fromPromise<void, void>(async () => { throw new Error('inhibit is not provided'); }),
    journal: fromPromise<{ journalId: string }, { topUpId: string; cardNumber: string; note: NoteInFlight }>(async () => { throw new Error('journal is not provided'); }),
    /** markRouting, then route('stack'): the row says "routing" before the command leaves. */
    stack: fromPromise<void, { journalId: string }>(async () => { throw new Error('stack is not provided'); }),
    sendBack: fromPromise<void, void>(async () => { throw new Error('sendBack is not provided'); }),
    credit: fromPromise<{ balance: number; counter: number }, { journalId: string; stackedCounter: number; cap: number }>(async () => { throw new Error('credit is not provided'); }),
    closeReturned: fromPromise<void, { journalId: string | null; reason: string }>(async () => { throw new Error('closeReturned is not provided'); }),
    raise: fromPromise<void, { kind: WalletExceptionKind; cardNumber: string; journalId: string | null; amount: number | null; details: Readonly<Record<string, string | number | boolean | null>> }>(async () => { throw new Error('raise is not provided'); }),
  },
  actions: {
    /** Logged by whoever provides it (no personal data). */
    failed: (_, _params: { step: string; error: unknown }) => {},
    tellParent: enqueueActions(({ context, self, enqueue }) => {
      const parent = self._parent;
      if (!parent) return;
      const figures: CashFigures = {
        balance: context.balance,
        inserted: context.inserted,
        notes: notesNow(context),
        phase: context.phase,
        escrow: context.note?.value ?? null,
        notice: context.notice,
      };
      enqueue.sendTo(parent, { type: 'cash.changed', figures } satisfies CashParentEvent);
    }),
    /** A note reported in escrow while none is in flight (one at a time: the validator holds one). */
    holdEscrow: assign(({ context, event }) => {
      if (event.type !== 'bill.event' || event.event.kind !== 'escrow' || context.note) return {};
      return { note: { billType: event.event.billType, value: event.event.value, counter: event.event.counter, journalId: null }, report: null, notice: null };
    }),
    /** A report of the note in flight, read by the state that waits for it. */
    noteReport: assign(({ context, event }) => {
      if (event.type !== 'bill.event') return {};
      const reported = event.event;
      // A second note sent back is reported returned too: that report is its own, not the note in flight's.
      if (reported.kind === 'status' && reported.status === 'returned' && context.strayReturns > 0) return { strayReturns: context.strayReturns - 1 };
      if (!context.note) return {};
      if (reported.kind === 'stacked' && reported.billType === context.note.billType) return { report: { kind: 'stacked' as const, counter: reported.counter } };
      if (reported.kind === 'status' && reported.status === 'returned') return { report: { kind: 'returned' as const } };
      return {};
    }),
    refusedNotice: assign(({ context, event }) => {
      if (context.note) return {};
      const status = statusOf(event);
      if (status && refusals.includes(status)) return { notice: 'note-refused' as const };
      if (status === 'returned') return { notice: 'note-returned' as const };
      return {};
    }),
    requestClose: assign({ closeRequested: true }),
    holdBack: assign(({ context, event }) => (event.type === 'bill.event' ? { held: [...context.held, event.event] } : {})),
    /** The note is closed: what came after its report is told again, then `replayed` says where to go. */
    replayHeld: enqueueActions(({ context, enqueue }) => {
      for (const event of context.held) enqueue.raise({ type: 'bill.event', event });
      enqueue.assign({ held: [] });
      enqueue.raise({ type: 'replayed' });
    }),
    /** The exception just recorded named the note in flight: it is settled by staff, not by the flow. */
    settledByException: assign(({ context }) => (context.note ? { note: null, report: null } : {})),
    /** A pulse acceptor's second note: taken, not credited, an exception for staff (`raiseTaken`). */
    strayInDoubt: assign(({ context, event }) => ({ inDoubt: context.inDoubt + strayOf({ context, event }).value })),
    /** Records money taken and not credited (pulse): a note-unknown exception with the card and the amount. Provided by `cashLogic`. */
    raiseTaken: (_, _params: TakenMoney) => {},
    /** Tells the validator to give a stray note back (ccTalk). Provided by `cashLogic`. */
    returnStray: (_, _params: StrayNote) => {},
  },
  delays: {
    routeReport: ({ context }) => context.delays.routeReport,
  },
  guards: {
    hasNote: ({ context }) => context.note !== null,
    /** The validator has said where the note in flight went: what it says next is about the next note. */
    reportedNoteInFlight: ({ context }) => context.note !== null && context.report !== null,
    strayEscrow: ({ context, event }) => event.type === 'bill.event' && event.event.kind === 'escrow' && context.note !== null && event.event.counter !== context.note.counter,
    /** The device takes a note before it reports it (a pulse acceptor): nothing can be given back. Provided by `cashLogic`. */
    takenOnEscrow: () => false,
    /** The note fits under the cap and the visit is still open. */
    takeIt: ({ context }) => context.note !== null && !context.closeRequested && noteFits(context.balance, context.note.value, context.cap),
    stackedReported: ({ context }) => context.report?.kind === 'stacked',
    returnedReported: ({ context }) => context.report?.kind === 'returned',
    closeRequested: ({ context }) => context.closeRequested,
    routeFailed: ({ event }) => {
      const error = (event as { error?: unknown }).error;
      return error instanceof StepFailed && error.kind === 'route_failed';
    },
    unsafeJam: ({ event }) => statusOf(event) === 'jam-transport-unsafe',
    safeJam: ({ event }) => statusOf(event) === 'jam-transport-safe',
    closingStatus: ({ event }) => {
      const status = statusOf(event);
      return status !== null && closures[status] !== undefined;
    },
    noteJournaled: ({ context }) => context.note?.journalId != null,
    noFault: ({ context }) => context.fault === null,
    hasException: ({ context }) => context.exception !== null,
  },
}).createMachine({
  id: 'cash',
  context: ({ input }) => ({
    topUpId: input.topUpId,
    cardNumber: input.cardNumber,
    cap: input.cap,
    accepted: input.accepted ?? defaultAcceptedNotes,
    allOrNothing: input.allOrNothing ?? false,
    delays: { ...defaultCashDelays, ...input.delays },
    balance: input.balance,
    counter: null,
    inserted: 0,
    returned: 0,
    inDoubt: 0,
    note: null,
    report: null,
    strayReturns: 0,
    held: [],
    notice: null,
    closeRequested: false,
    phase: 'insert',
    fault: null,
    exception: null,
  }),
  initial: 'enabling',
  on: {
    'bill.event': [
      // The next note may reach escrow while the last one is still being credited: it waits its turn.
      { guard: 'reportedNoteInFlight', actions: 'holdBack' },
      // Money may have been taken and the kiosk cannot say whose: staff settle it.
      {
        guard: and(['noFault', 'unsafeJam']),
        target: '.faulting',
        actions: assign(({ context }) => ({
          fault: 'cash-fault' as const,
          notice: 'note-jammed' as const,
          inDoubt: context.inDoubt + (context.note?.value ?? 0),
          exception: { kind: 'note-unsafe-jam' as const, details: { billType: context.note?.billType ?? null } },
        })),
      },
      {
        // Stuck in transport, not taken: but it is inside the kiosk, not in the citizen's hand. Staff
        // hand it back (or find it stacked): in doubt until they settle it, its row closed by the exception.
        guard: and(['noFault', 'safeJam']),
        target: '.faulting',
        actions: assign(({ context }) => ({
          fault: 'cash-fault' as const,
          notice: 'note-jammed' as const,
          inDoubt: context.inDoubt + (context.note?.value ?? 0),
          exception: context.note ? { kind: 'note-unknown' as const, details: { status: 'jam-transport-safe' } } : null,
        })),
      },
      {
        guard: and(['noFault', 'closingStatus']),
        target: '.faulting',
        actions: assign(({ context, event }) => {
          const status = statusOf(event);
          // A note in flight when the stacker went: its fate is not known.
          return {
            fault: (status && closures[status]) ?? 'cash-fault',
            inDoubt: context.inDoubt + (context.note?.value ?? 0),
            exception: context.note ? { kind: 'note-unknown' as const, details: { status: status ?? null } } : null,
          };
        }),
      },
      // A second note while one is in flight is never dropped: a pulse acceptor has taken it (staff
      // settle it), a ccTalk validator is told to give it back.
      {
        guard: and(['strayEscrow', 'takenOnEscrow']),
        actions: ['strayInDoubt', { type: 'raiseTaken', params: (args) => ({ cardNumber: args.context.cardNumber, amount: strayOf(args).value, details: { reason: 'a second note while one was in flight' } }) }],
      },
      { guard: 'strayEscrow', actions: [assign(({ context }) => ({ strayReturns: context.strayReturns + 1 })), { type: 'returnStray', params: strayOf }] },
      { actions: ['holdEscrow', 'noteReport', 'refusedNotice', 'tellParent'] },
    ],
    'bill.break': {
      guard: 'noFault',
      target: '.faulting',
      actions: assign(({ context, event }) => ({
        fault: 'cash-events-lost' as const,
        inDoubt: context.inDoubt + (context.note?.value ?? 0),
        exception: {
          kind: event.what.kind === 'restarted' ? ('validator-restarted' as const) : ('events-lost' as const),
          details: { lastCounter: event.what.lastCounter, counter: event.what.kind === 'events-lost' ? event.what.counter : 0 },
        },
      })),
    },
    // Never credited on a guess: what may have been taken beyond the certain amount is for a supervisor.
    'bill.uncertain': {
      actions: [
        assign(({ context, event }) => ({ inDoubt: context.inDoubt + event.amount })),
        { type: 'raiseTaken', params: ({ context, event }) => ({ cardNumber: context.cardNumber, amount: event.amount, details: { reason: 'ambiguous pulses', ...event.details } }) },
      ],
    },
    'bill.disconnected': {
      guard: 'noFault',
      target: '.faulting',
      actions: assign(({ context }) => ({
        fault: 'cash-fault' as const,
        inDoubt: context.inDoubt + (context.note?.value ?? 0),
        exception: context.note ? { kind: 'note-unknown' as const, details: { reason: 'validator disconnected' } } : null,
      })),
    },
    close: { actions: ['requestClose', 'tellParent'] },
  },
  states: {
    /** Tells the validator the notes that still fit (after every credit: the cap comes closer). */
    enabling: {
      entry: [assign({ phase: 'insert' as const }), 'tellParent'],
      invoke: {
        src: 'enable',
        // None once the visit is closing (a note held back was still to be given back).
        input: ({ context }) => ({ notes: context.closeRequested ? [] : notesNow(context), accepted: context.accepted }),
        onDone: 'waiting',
        onError: { target: 'faulting', actions: [{ type: 'failed', params: ({ event }) => ({ step: 'enable', error: event.error }) }, assign({ fault: 'cash-fault' })] },
      },
    },
    waiting: {
      // Passed through on the way out (a note handled after the close was asked): the screen keeps saying closing.
      entry: [assign({ phase: ({ context }) => (context.closeRequested ? ('closing' as const) : ('insert' as const)) }), 'tellParent'],
      always: [{ guard: 'hasNote', target: 'journaling' }, { guard: 'closeRequested', target: 'closing' }],
    },
    /** In escrow: journaled before anything is sent, so a restart finds it. */
    journaling: {
      entry: [assign({ phase: 'checking' as const }), 'tellParent'],
      invoke: {
        src: 'journal',
        input: ({ context }) => ({ topUpId: context.topUpId, cardNumber: context.cardNumber, note: context.note! }),
        onDone: { target: 'deciding', actions: assign({ note: ({ context, event }) => ({ ...context.note!, journalId: event.output.journalId }) }) },
        // Not journaled: it must not be stacked. Back to the citizen.
        onError: { target: 'returning', actions: { type: 'failed', params: ({ event }) => ({ step: 'journal', error: event.error }) } },
      },
    },
    deciding: {
      always: [
        { guard: 'returnedReported', target: 'closingReturned', actions: assign({ notice: 'note-returned' }) },
        { guard: 'takeIt', target: 'stacking' },
        { guard: 'closeRequested', target: 'returning' },
        { target: 'returning', actions: assign({ notice: 'note-over-cap' }) },
      ],
    },
    stacking: {
      entry: [assign({ phase: 'stacking' as const }), 'tellParent'],
      invoke: {
        src: 'stack',
        input: ({ context }) => ({ journalId: context.note!.journalId! }),
        onDone: 'awaitingReport',
        onError: [
          // The validator could not move it (stacker full or away, a jam): it is still in escrow, so back to the citizen.
          { guard: 'routeFailed', target: 'returning', actions: { type: 'failed', params: ({ event }) => ({ step: 'stack', error: event.error }) } },
          // Escrow empty (timed out) or no answer: the validator's report says where the note went.
          { target: 'awaitingReport', actions: { type: 'failed', params: ({ event }) => ({ step: 'stack', error: event.error }) } },
        ],
      },
    },
    awaitingReport: {
      always: [
        { guard: 'stackedReported', target: 'crediting' },
        { guard: 'returnedReported', target: 'closingReturned', actions: assign({ notice: 'note-returned' }) },
      ],
      after: {
        routeReport: {
          target: 'faulting',
          actions: assign(({ context }) => noteInDoubt(context, 'no report after route')),
        },
      },
    },
    crediting: {
      entry: [assign({ phase: 'stacking' as const }), 'tellParent'],
      invoke: {
        src: 'credit',
        input: ({ context }) => ({ journalId: context.note!.journalId!, stackedCounter: context.report?.kind === 'stacked' ? context.report.counter : 0, cap: context.cap }),
        onDone: {
          target: 'credited',
          actions: assign(({ context, event }) => ({
            balance: event.output.balance,
            counter: event.output.counter,
            inserted: context.inserted + (context.note?.value ?? 0),
            note: null,
            report: null,
          })),
        },
        // Stacked and not credited: staff must settle it.
        onError: {
          target: 'faulting',
          actions: [
            { type: 'failed', params: ({ event }) => ({ step: 'credit', error: event.error }) },
            assign(({ context }) => noteInDoubt(context, 'stacked, credit failed')),
          ],
        },
      },
    },
    credited: {
      entry: 'replayHeld',
      on: { replayed: [{ guard: and(['closeRequested', not('hasNote')]), target: 'closing' }, { target: 'enabling' }] },
    },
    returning: {
      entry: [assign({ phase: ({ context }) => (context.closeRequested ? ('closing' as const) : ('checking' as const)) }), 'tellParent'],
      invoke: {
        src: 'sendBack',
        onDone: 'awaitingReturn',
        onError: { target: 'awaitingReturn', actions: { type: 'failed', params: ({ event }) => ({ step: 'return', error: event.error }) } },
      },
    },
    awaitingReturn: {
      always: [
        { guard: 'returnedReported', target: 'closingReturned' },
        // Stacked although sent back: it was taken, so it is credited (journaled) or in doubt.
        { guard: and(['stackedReported', 'noteJournaled']), target: 'crediting' },
      ],
      after: {
        routeReport: {
          target: 'faulting',
          actions: assign(({ context }) => noteInDoubt(context, 'no report after return')),
        },
      },
    },
    closingReturned: {
      invoke: {
        src: 'closeReturned',
        input: ({ context }) => ({ journalId: context.note?.journalId ?? null, reason: context.notice ?? 'returned' }),
        onDone: { target: 'returned', actions: assign(({ context }) => ({ returned: context.returned + (context.note?.value ?? 0), note: null, report: null })) },
        onError: {
          target: 'returned',
          actions: [{ type: 'failed', params: ({ event }) => ({ step: 'closeReturned', error: event.error }) }, assign(({ context }) => ({ returned: context.returned + (context.note?.value ?? 0), note: null, report: null }))],
        },
      },
    },
    returned: {
      entry: 'replayHeld',
      on: { replayed: 'waiting' },
    },
    /** The visit is over: no note is taken any more. */
    closing: {
      entry: [assign({ phase: 'closing' as const }), 'tellParent'],
      invoke: {
        src: 'inhibit',
        // A note reported while closing is never dropped: journaled, then given back (a pulse note, taken, credited).
        onDone: [{ guard: 'hasNote', target: 'journaling' }, { target: 'closed' }],
        onError: [
          { guard: 'hasNote', target: 'journaling', actions: { type: 'failed', params: ({ event }) => ({ step: 'inhibit', error: event.error }) } },
          { target: 'closed', actions: { type: 'failed', params: ({ event }) => ({ step: 'inhibit', error: event.error }) } },
        ],
      },
    },
    /** The validator closes the kiosk: the exception (if any) is recorded, then every note inhibited. */
    faulting: {
      entry: [assign({ phase: 'closing' as const }), 'tellParent'],
      initial: 'choosing',
      states: {
        choosing: {
          always: [{ guard: 'hasException', target: 'recording' }, { target: 'inhibiting' }],
        },
        recording: {
          invoke: {
            src: 'raise',
            input: ({ context }) => ({
              kind: context.exception!.kind,
              cardNumber: context.cardNumber,
              journalId: context.note?.journalId ?? null,
              amount: context.note?.value ?? null,
              details: context.exception!.details,
            }),
            // The exception settles the note it names (counted in doubt): it is no longer in flight.
            onDone: { target: 'inhibiting', actions: 'settledByException' },
            onError: { target: 'inhibiting', actions: [{ type: 'failed', params: ({ event }) => ({ step: 'raise', error: event.error }) }, 'settledByException'] },
          },
        },
        inhibiting: {
          invoke: {
            src: 'inhibit',
            // A note held and not settled (reported as the fault came, or after): journaled and given back, never dropped.
            onDone: [{ guard: 'hasNote', target: '#cash.journaling', actions: 'requestClose' }, { target: '#cash.closed' }],
            onError: [
              { guard: 'hasNote', target: '#cash.journaling', actions: [{ type: 'failed', params: ({ event }) => ({ step: 'inhibit', error: event.error }) }, 'requestClose'] },
              { target: '#cash.closed', actions: { type: 'failed', params: ({ event }) => ({ step: 'inhibit', error: event.error }) } },
            ],
          },
        },
      },
    },
    closed: { type: 'final' },
  },
  output: ({ context }) => ({
    inserted: context.inserted,
    balance: context.balance,
    counter: context.counter,
    returned: context.returned,
    inDoubt: context.inDoubt,
    fault: context.fault,
  }),
});

export type CashSnapshot = SnapshotFrom<typeof cashMachine>;

export interface CashDeps {
  /** The ccTalk validator, or the pulse acceptor seen as one (`pulse-acceptor.ts`: its notes are taken before they are reported). */
  readonly validator: BillValidator;
  readonly device?: CashDeviceKind;
  readonly wallet: Pick<WalletTable, 'journalEscrow' | 'markRouting' | 'creditStacked' | 'closeReturned' | 'raiseException'>;
  readonly failed?: (step: string, error: unknown) => void;
}

const orThrow = async <T>(step: string, result: Promise<{ ok: true; value: T } | { ok: false; error: unknown }>): Promise<T> => {
  const done = await result;
  if (!done.ok) throw new StepFailed(step, done.error);
  return done.value;
};

/** The cash machine with the validator and the wallet behind its actors. */
export function cashLogic(deps: CashDeps) {
  const { validator, wallet } = deps;
  return cashMachine.provide({
    actors: {
      enable: fromPromise<void, { notes: readonly number[]; accepted: readonly number[] }>(async ({ input }) => {
        // A pulse acceptor cannot refuse one denomination: it is opened only when every accepted note fits.
        const allOrNothing = deps.device === 'pulse' && input.accepted.some((note) => !input.notes.includes(note));
        if (input.notes.length === 0 || allOrNothing) {
          await orThrow('inhibit', validator.inhibitAll(true));
          return;
        }
        await orThrow('accept', validator.accept(input.notes));
        await orThrow('uninhibit', validator.inhibitAll(false));
      }),
      inhibit: fromPromise<void, void>(async () => {
        await orThrow('inhibit', validator.inhibitAll(true));
      }),
      journal: fromPromise(async ({ input }) => {
        crashPoint('top-up:escrow-reported');
        const journaled = await orThrow('journalEscrow', wallet.journalEscrow({
          topUpId: input.topUpId,
          cardNumber: input.cardNumber,
          device: deps.device ?? 'cctalk',
          billType: deps.device === 'pulse' ? null : input.note.billType,
          amount: input.note.value,
          escrowCounter: deps.device === 'pulse' ? null : input.note.counter,
        }));
        crashPoint('top-up:journaled');
        return journaled;
      }),
      stack: fromPromise<void, { journalId: string }>(async ({ input }) => {
        await orThrow('markRouting', wallet.markRouting(input.journalId));
        await orThrow('route', validator.route('stack'));
        crashPoint('top-up:route-sent');
      }),
      sendBack: fromPromise<void, void>(async () => {
        await orThrow('route', validator.route('return'));
      }),
      credit: fromPromise(async ({ input }) => {
        crashPoint('top-up:stacked-reported');
        const credited = await orThrow('creditStacked', wallet.creditStacked(input));
        crashPoint('top-up:credited');
        return credited;
      }),
      closeReturned: fromPromise<void, { journalId: string | null; reason: string }>(async ({ input }) => {
        if (input.journalId === null) return;
        const closed = await wallet.closeReturned(input.journalId, input.reason);
        if (!closed.ok && closed.error.kind !== 'already_closed') throw new Error(`closeReturned: ${closed.error.kind}`);
      }),
      raise: fromPromise(async ({ input }) => {
        await wallet.raiseException(input);
      }),
    },
    guards: {
      takenOnEscrow: () => deps.device === 'pulse',
    },
    actions: {
      failed: (_, { step, error }) => deps.failed?.(step, error),
      raiseTaken: (_, taken) => {
        wallet
          .raiseException({ kind: 'note-unknown', cardNumber: taken.cardNumber, journalId: null, amount: taken.amount > 0 ? taken.amount : null, details: { ...taken.details, device: deps.device ?? 'cctalk' } })
          .catch((error: unknown) => deps.failed?.('raise', error));
      },
      returnStray: () => {
        validator
          .route('return')
          .then((routed) => {
            if (!routed.ok) deps.failed?.('return a second note', new StepFailed('route', routed.error));
          })
          .catch((error: unknown) => deps.failed?.('return a second note', error));
      },
    },
  });
}
