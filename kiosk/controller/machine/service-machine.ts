import { and, assign, fromPromise, not, or, setup, stateIn, type SnapshotFrom } from 'xstate';
import type { SelfServiceClosure } from '../../../shared/contract/kiosk-api';
import type { CashClosure } from '../../../shared/contract/top-up';
import { tellCounter } from './counter-machine';

/**
 * The service region of the kiosk: in service, or out of service and why. The I/O board reports its
 * connection and the door (the pin reading stays device glue); the decisions are here. Opening the
 * door latches the kiosk out of service; an unattended kiosk latches too when the board is lost (the
 * door went unwatched). Shutting the door is not enough: a technician clears the latch, only with the
 * door shut, and only once the clear is in the audit log. The latch outlives a restart: the
 * composition root reads it from the audit log and passes it as input. Every change of its causes is
 * told to the counter region (unattended only), which closes or reopens the self-service look-ups.
 */

/** Why the enclosure alarm is latched: the door was opened, or the board was lost while nobody watched. */
export type TamperCause = 'door-opened' | 'board-lost';

/**
 * Why the kiosk is out of service, what a technician must fix first named first. `printer-fault` and
 * `stock-out` are reserved for the printer's region, which does not close the kiosk yet.
 */
export type ServiceCause = 'board-away' | TamperCause | CashClosure | 'printer-fault' | 'stock-out';

const causeOrder: readonly ServiceCause[] = ['board-away', 'door-opened', 'board-lost', 'cash-events-lost', 'cash-fault', 'stacker-removed', 'stacker-full', 'printer-fault', 'stock-out'];
const cashCauses: readonly CashClosure[] = ['cash-events-lost', 'cash-fault', 'stacker-removed', 'stacker-full'];

/** The door as the board last reported it; unknown while the board is away. */
export type DoorReading = 'open' | 'shut' | 'unknown';

export interface ServiceInput {
  /** The latch found in the audit log at start (the last tamper row was a detection), or null. */
  readonly latched: TamperCause | null;
  /** Unattended (self-service): closed while the board is away, and latched when it was lost. */
  readonly unattended: boolean;
  /** The restart settlement left a note in doubt (cash journal, `top-up/settle-journal.ts`): closed until staff look. */
  readonly cash?: CashClosure | null;
}

export type ServiceEvent =
  | { type: 'board.connected' }
  | { type: 'board.lost' }
  | { type: 'door.opened' }
  /** A technician puts the kiosk back in service; `door` is the board's pin reading now. */
  | { type: 'tamper.clear'; operatorId: string; door: DoorReading }
  /** The bill validator closes the kiosk (a fault, the stacker, lost events): the acceptor is inhibited. */
  | { type: 'cash.fault'; cause: CashClosure }
  /** These cash causes are over (the stacker is back, a restart settled the journal). */
  | { type: 'cash.clear'; causes: readonly CashClosure[] };

export interface ServiceContext {
  readonly unattended: boolean;
  /** Ordered by `causeOrder`; at most one tamper cause (the latest alarm). */
  readonly causes: readonly ServiceCause[];
  /** The technician whose clear is being recorded. */
  readonly clearedBy: string | null;
}

const withCause = (causes: readonly ServiceCause[], cause: ServiceCause): ServiceCause[] =>
  causeOrder.filter((known) => known === cause || causes.includes(known));
const without = (causes: readonly ServiceCause[], ...gone: readonly ServiceCause[]): ServiceCause[] =>
  causes.filter((cause) => !gone.includes(cause));

/** The causes the region starts with: unattended, the board counts as away until it has connected. */
export function initialCauses(input: ServiceInput): ServiceCause[] {
  return causeOrder.filter((cause) => (cause === 'board-away' && input.unattended) || cause === input.latched || cause === input.cash);
}

/**
 * What the unattended screen says when closed: the board's absence first, it is what must be fixed
 * first. The printer's causes do not close the self-service look-ups.
 */
export function closureOf(causes: readonly ServiceCause[]): SelfServiceClosure | null {
  if (causes.includes('board-away')) return 'board-disconnected';
  if (causes.includes('door-opened') || causes.includes('board-lost')) return 'tamper';
  return cashCauses.find((cause) => causes.includes(cause)) ?? null;
}

export function tamperCause(context: ServiceContext): TamperCause | null {
  if (context.causes.includes('door-opened')) return 'door-opened';
  if (context.causes.includes('board-lost')) return 'board-lost';
  return null;
}

export const serviceMachine = setup({
  types: {
    context: {} as ServiceContext,
    events: {} as ServiceEvent,
    input: {} as ServiceInput,
  },
  actors: {
    /** Writes the `tamper-detected` audit row; implemented by the composition root. */
    recordTamperDetected: fromPromise<void, { cause: TamperCause }>(async () => {
      throw new Error('recordTamperDetected is not provided');
    }),
    /** Writes the `tamper-cleared` audit row: the latch is released only once it is recorded. */
    recordTamperCleared: fromPromise<void, { operatorId: string }>(async () => {
      throw new Error('recordTamperCleared is not provided');
    }),
  },
  actions: {
    /** The latch is released: the board's lamp and cash inhibit follow (provided by the composition root). */
    tamperReleased: () => {},
    /** An audit write failed: said loudly by whoever provides it. */
    auditFailed: (_, _params: { eventId: string; error: unknown }) => {},
    /** The causes changed: the counter region (unattended only) closes or reopens with them. */
    tellCounter: tellCounter<ServiceContext, ServiceEvent>((context) => {
      const closure = closureOf(context.causes);
      return closure ? { type: 'service.out', reason: closure } : { type: 'service.in' };
    }),
  },
  guards: {
    closed: ({ context }) => context.causes.length > 0,
    latched: ({ context }) => tamperCause(context) !== null,
    unattended: ({ context }) => context.unattended,
    doorShut: ({ event }) => event.type === 'tamper.clear' && event.door === 'shut',
  },
}).createMachine({
  id: 'service',
  context: ({ input }) => ({
    unattended: input.unattended,
    causes: initialCauses(input),
    clearedBy: null,
  }),
  initial: 'inService',
  on: {
    'board.connected': { actions: [assign({ causes: ({ context }) => without(context.causes, 'board-away') }), 'tellCounter'] },
    'board.lost': [
      {
        // Nobody watched the door meanwhile: latch (an alarm already latched keeps its cause; one being
        // cleared is not cleared after all, as the door went unwatched during the clear).
        guard: and(['unattended', or([not('latched'), stateIn({ outOfService: 'clearingTamper' })])]),
        target: '.outOfService.recordingAlarm',
        actions: [assign({ causes: ({ context }) => withCause(withCause(context.causes, 'board-away'), 'board-lost') }), 'tellCounter'],
      },
      { guard: 'unattended', actions: [assign({ causes: ({ context }) => withCause(context.causes, 'board-away') }), 'tellCounter'] },
    ],
    'cash.fault': { actions: [assign({ causes: ({ context, event }) => withCause(context.causes, event.cause) }), 'tellCounter'] },
    'cash.clear': { actions: [assign({ causes: ({ context, event }) => without(context.causes, ...event.causes) }), 'tellCounter'] },
    // Every opening is recorded; the latest alarm names the cause.
    'door.opened': {
      target: '.outOfService.recordingAlarm',
      actions: [assign({ causes: ({ context }) => withCause(without(context.causes, 'board-lost'), 'door-opened') }), 'tellCounter'],
    },
  },
  states: {
    inService: {
      always: { guard: 'closed', target: 'outOfService' },
    },
    outOfService: {
      always: { guard: not('closed'), target: 'inService' },
      initial: 'closed',
      states: {
        closed: {
          on: {
            // Not while an alarm is being recorded: its row must come before the clear's.
            'tamper.clear': { guard: and(['doorShut', 'latched']), target: 'clearingTamper', actions: assign({ clearedBy: ({ event }) => event.operatorId }) },
          },
        },
        recordingAlarm: {
          invoke: {
            src: 'recordTamperDetected',
            input: ({ context }) => ({ cause: tamperCause(context) ?? 'door-opened' }),
            onDone: 'closed',
            onError: { target: 'closed', actions: { type: 'auditFailed', params: ({ event }) => ({ eventId: 'tamper-detected', error: event.error }) } },
          },
        },
        clearingTamper: {
          invoke: {
            src: 'recordTamperCleared',
            input: ({ context }) => ({ operatorId: context.clearedBy ?? '' }),
            onDone: {
              target: 'closed',
              actions: [assign({ causes: ({ context }) => without(context.causes, 'door-opened', 'board-lost'), clearedBy: null }), 'tamperReleased', 'tellCounter'],
            },
            // Not recorded, not released: a restart would latch again, so it stays latched now.
            onError: {
              target: 'closed',
              actions: [assign({ clearedBy: null }), { type: 'auditFailed', params: ({ event }) => ({ eventId: 'tamper-cleared', error: event.error }) }],
            },
          },
        },
      },
    },
  },
});

export type ServiceSnapshot = SnapshotFrom<typeof serviceMachine>;

/** What the unattended screen says when closed, or null. */
export function serviceClosure(snapshot: ServiceSnapshot): SelfServiceClosure | null {
  return closureOf(snapshot.context.causes);
}

/** Why a technician's clear is refused now (null: it is accepted). */
export function tamperClearRefusal(event: Extract<ServiceEvent, { type: 'tamper.clear' }>): 'door-open' | 'door-unknown' | null {
  if (event.door === 'open') return 'door-open';
  if (event.door === 'unknown') return 'door-unknown';
  return null;
}
