import { assign, emit, fromPromise, setup, type ActorRefFrom, type SnapshotFrom } from 'xstate';
import type { CommandReply } from '../../../shared/contract/kiosk-api';
import { refused } from '../../../shared/contract/kiosk-api';
import type { TransitScheme } from '../../../shared/domain/card-types';
import type { BlankCount, SessionMode, SessionStock } from '../../../shared/domain/service-session';
import type { Result } from '../../../shared/result';
import type { ClosedSession, ServiceSessionRecord, SessionError } from '../store/sessions';

/**
 * The service session as flow state: none open, or open with its stock ledger summed. Opening,
 * loading or returning blanks and closing are store work (invoked actors); the session and its stock
 * are loaded from the store at start, so a restart finds the session it left. The stock is read again
 * whenever the print queue moves (`refresh`): the ledger itself is written by the card jobs' steps.
 */
export interface OpenSession {
  readonly session: ServiceSessionRecord;
  readonly stock: SessionStock;
}

/** The region's store work a reply answers: opening, loading or returning blanks, closing. */
export type SessionCommand = 'open' | 'adjust' | 'close';

export type SessionEvent =
  | { type: 'open'; site: string; mode: SessionMode; blanks: BlankCount; operatorId: string | null }
  | { type: 'adjust'; kind: 'load' | 'return'; scheme: TransitScheme; count: number; operatorId: string | null }
  | { type: 'close'; counted: BlankCount; note: string | null; operatorId: string | null }
  /** The ledger may have moved (a card job changed): read the stock again. */
  | { type: 'refresh' };

export type SessionEmitted = { type: 'replied'; command: SessionCommand; outcome: { ok: true; reply: CommandReply } | { ok: false; error: unknown } };

export interface SessionContext {
  current: OpenSession | null;
  /** The session closed last on this run and its closing book (for the report and the "closed" screen). */
  lastClosed: ClosedSession | null;
  /** A refresh asked for while one was under way: read again once it is done. */
  stale: boolean;
}

export interface AdjustInput {
  readonly kind: 'load' | 'return';
  readonly sessionId: string;
  readonly scheme: TransitScheme;
  readonly count: number;
  readonly operatorId: string | null;
}

const notProvided = (name: string) =>
  fromPromise<never, unknown>(async () => {
    throw new Error(`the ${name} actor was not provided by the composition root`);
  });

/** The store's refusal in the contract's words. */
export function sessionRefusal(error: SessionError): CommandReply {
  switch (error.kind) {
    case 'session_open':
      return refused('session-open', 'a service session is already open: close it first');
    case 'session_not_open':
      return refused('no-session', 'no service session is open');
    case 'jobs_open':
      return refused('cards-in-queue', `${error.jobs} card job(s) of this session are not finished: the session closes once the queue is empty`);
    case 'note_required': {
      const { easycard, ipass } = error.book.schemes;
      return refused('count-note-required', `the count differs from the ledger (EasyCard expected ${easycard.expected}, counted ${easycard.counted}; iPASS expected ${ipass.expected}, counted ${ipass.counted}): a note is required`);
    }
    case 'not_in_hand':
      return refused('other', `only ${error.inHand} ${error.scheme} blank(s) are in hand`);
    case 'invalid_count':
      return refused('invalid-input', `the ${error.scheme} count must be a whole number, 0 or more`);
    default:
      throw new Error(`unknown session error ${String(error satisfies never)}`);
  }
}

const accepted = { ok: true, reply: { accepted: true } } as const;
const replied = (command: SessionCommand, outcome: SessionEmitted['outcome']): SessionEmitted => ({ type: 'replied', command, outcome });
const outcomeOf = <T>(result: Result<T, SessionError>): SessionEmitted['outcome'] => (result.ok ? accepted : { ok: true, reply: sessionRefusal(result.error) });

export const sessionMachine = setup({
  types: {
    context: {} as SessionContext,
    events: {} as SessionEvent,
    emitted: {} as SessionEmitted,
  },
  actors: {
    loadSession: notProvided('loadSession') as unknown as ReturnType<typeof fromPromise<OpenSession | null>>,
    openSession: notProvided('openSession') as unknown as ReturnType<
      typeof fromPromise<Result<OpenSession, SessionError>, { site: string; mode: SessionMode; blanks: BlankCount; operatorId: string | null }>
    >,
    adjustStock: notProvided('adjustStock') as unknown as ReturnType<typeof fromPromise<Result<SessionStock, SessionError>, AdjustInput>>,
    closeSession: notProvided('closeSession') as unknown as ReturnType<
      typeof fromPromise<Result<ClosedSession, SessionError>, { sessionId: string; counted: BlankCount; note: string | null; operatorId: string | null }>
    >,
    loadStock: notProvided('loadStock') as unknown as ReturnType<typeof fromPromise<SessionStock, { sessionId: string }>>,
  },
  guards: {
    stale: ({ context }) => context.stale,
  },
}).createMachine({
  id: 'serviceSession',
  context: { current: null, lastClosed: null, stale: false },
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'loadSession',
        onDone: [
          { guard: ({ event }) => event.output !== null, target: 'open', actions: assign({ current: ({ event }) => event.output }) },
          { target: 'none' },
        ],
        // Without the store no session can be known: no card is made until it answers.
        onError: 'none',
      },
    },
    none: {
      on: {
        open: 'opening',
        adjust: { actions: emit(replied('adjust', { ok: true, reply: refused('no-session', 'no service session is open') })) },
        close: { actions: emit(replied('close', { ok: true, reply: refused('no-session', 'no service session is open') })) },
      },
    },
    opening: {
      invoke: {
        src: 'openSession',
        input: ({ event }) => {
          if (event.type !== 'open') throw new Error(`opening on ${event.type}`);
          return { site: event.site, mode: event.mode, blanks: event.blanks, operatorId: event.operatorId };
        },
        onDone: [
          {
            guard: ({ event }) => event.output.ok,
            target: 'open',
            actions: [assign({ current: ({ event }) => (event.output.ok ? event.output.value : null) }), emit(replied('open', accepted))],
          },
          // Opened meanwhile elsewhere (another process on the store): load what is open.
          { target: 'loading', actions: emit(({ event }) => replied('open', outcomeOf(event.output))) },
        ],
        onError: { target: 'none', actions: emit(({ event }) => replied('open', { ok: false, error: event.error })) },
      },
    },
    open: {
      initial: 'idle',
      on: {
        open: { actions: emit(replied('open', { ok: true, reply: refused('session-open', 'a service session is already open: close it first') })) },
      },
      states: {
        idle: {
          always: { guard: 'stale', target: 'refreshing' },
          on: {
            refresh: 'refreshing',
            adjust: 'adjusting',
            close: 'closing',
          },
        },
        refreshing: {
          entry: assign({ stale: false }),
          on: { refresh: { actions: assign({ stale: true }) } },
          invoke: {
            src: 'loadStock',
            input: ({ context }) => ({ sessionId: sessionOf(context).session.id }),
            onDone: { target: 'idle', actions: assign({ current: ({ context, event }) => ({ session: sessionOf(context).session, stock: event.output }) }) },
            onError: 'idle',
          },
        },
        adjusting: {
          on: { refresh: { actions: assign({ stale: true }) } },
          invoke: {
            src: 'adjustStock',
            input: ({ context, event }) => {
              if (event.type !== 'adjust') throw new Error(`adjusting on ${event.type}`);
              return { kind: event.kind, sessionId: sessionOf(context).session.id, scheme: event.scheme, count: event.count, operatorId: event.operatorId };
            },
            onDone: {
              target: 'idle',
              actions: [
                assign({ current: ({ context, event }) => (event.output.ok ? { session: sessionOf(context).session, stock: event.output.value } : context.current) }),
                emit(({ event }) => replied('adjust', outcomeOf(event.output))),
              ],
            },
            onError: { target: 'idle', actions: emit(({ event }) => replied('adjust', { ok: false, error: event.error })) },
          },
        },
        closing: {
          on: { refresh: { actions: assign({ stale: true }) } },
          invoke: {
            src: 'closeSession',
            input: ({ context, event }) => {
              if (event.type !== 'close') throw new Error(`closing on ${event.type}`);
              return { sessionId: sessionOf(context).session.id, counted: event.counted, note: event.note, operatorId: event.operatorId };
            },
            onDone: [
              {
                guard: ({ event }) => event.output.ok,
                target: '#serviceSession.none',
                actions: [
                  assign({ current: null, stale: false, lastClosed: ({ event }) => (event.output.ok ? event.output.value : null) }),
                  emit(replied('close', accepted)),
                ],
              },
              { target: 'idle', actions: emit(({ event }) => replied('close', outcomeOf(event.output))) },
            ],
            onError: { target: 'idle', actions: emit(({ event }) => replied('close', { ok: false, error: event.error })) },
          },
        },
      },
    },
  },
});

function sessionOf(context: SessionContext): OpenSession {
  if (!context.current) throw new Error('no open session in the open state');
  return context.current;
}

export type SessionRegionRef = ActorRefFrom<typeof sessionMachine>;
export type SessionRegionSnapshot = SnapshotFrom<typeof sessionMachine>;

/** Which command the region is busy with (its store work under way), or null. */
export function sessionBusyWith(snapshot: SessionRegionSnapshot): SessionCommand | null {
  if (snapshot.matches('opening')) return 'open';
  if (snapshot.matches({ open: 'adjusting' })) return 'adjust';
  if (snapshot.matches({ open: 'closing' })) return 'close';
  return null;
}
