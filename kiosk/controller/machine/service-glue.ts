import { createActor, fromPromise, waitFor, type ActorRefFrom } from 'xstate';
import type { KioskBoard } from '../../../firmware/board';
import type { SelfServiceClosure } from '../../../shared/contract/kiosk-api';
import type { CashClosure } from '../../../shared/contract/top-up';
import { message, type Message } from '../../../shared/contract/messages';
import { refused } from '../../../shared/contract/kiosk-api';
import type { LogSink } from '../../../shared/log';
import type { CommandReply } from '../api/server';
import type { AuditInput } from '../store/audit';
import type { Store } from '../store/store';
import { serviceClosure, serviceMachine, tamperCause, tamperClearRefusal, type DoorReading, type TamperCause } from './service-machine';

/**
 * The service region wired to the I/O board and the audit log: the board's events go in as events,
 * the audit rows are written by the machine's actors, and the controller's `outOfService` and
 * `clearTamper` options are read off the machine. The unattended screen's closure is not read: the
 * machine tells the counter region as its causes change.
 */
export interface KioskService {
  readonly actor: ServiceRegionRef;
  /** Why the kiosk takes no new applications (the enclosure alarm), or null. */
  outOfService(): Message | null;
  /** Why the unattended screen is closed, or null: what the machine last told the counter region. */
  closure(): SelfServiceClosure | null;
  tamperLatched(): boolean;
  /** A technician's reset of the tamper latch (permission already checked by the caller). */
  clearTamper(operatorId: string): Promise<CommandReply>;
  stop(): void;
}

export interface KioskServiceOptions {
  readonly board: KioskBoard;
  readonly latched: TamperCause | null;
  readonly unattended: boolean;
  /** A cash cause the restart settlement left (the kiosk stays closed until staff look). */
  readonly cash?: CashClosure | null;
  readonly store: Pick<Store, 'appendAudit'>;
  /** Writes an audit row from a device event; a failure is logged there, never thrown. */
  readonly audit: (input: AuditInput) => Promise<void>;
  /** The latch is released: the board's status follows. */
  readonly onReleased: () => void;
  readonly log: LogSink;
}

const alarmMessages: Record<TamperCause, Message> = {
  'door-opened': message('service.door-opened'),
  'board-lost': message('service.board-lost'),
};

/** The latch a restart keeps: the last tamper row in the audit log, when it was a detection. */
export async function latchFromAudit(store: Pick<Store, 'readAudit'>): Promise<TamperCause | null> {
  const [last] = await store.readAudit({ eventIds: ['tamper-detected', 'tamper-cleared'], newest: true, limit: 1 });
  if (last?.eventId !== 'tamper-detected') return null;
  return last.details['cause'] === 'board-lost' ? 'board-lost' : 'door-opened';
}

/** The service region as the kiosk's root machine runs it: the machine with its audit work and the board, and its input. */
export function serviceRegion(options: KioskServiceOptions) {
  const { board, log } = options;
  const logic = serviceMachine.provide({
    actors: {
      recordTamperDetected: fromPromise<void, { cause: TamperCause }>(({ input }) =>
        options.audit({ eventId: 'tamper-detected', operatorId: null, disposition: 'failure', details: { latched: true, cause: input.cause } })),
      recordTamperCleared: fromPromise<void, { operatorId: string }>(async ({ input }) => {
        await options.store.appendAudit({ eventId: 'tamper-cleared', operatorId: input.operatorId, disposition: 'success' });
      }),
    },
    actions: {
      tamperReleased: () => {
        // The board keeps its own latch for its lamp and cash inhibit (fail-secure on the device).
        const cleared = board.clearTamper();
        if (!cleared.ok) log({ eventId: 'board-tamper-clear-failed', disposition: 'failure', message: `the board kept its latch: ${cleared.error.kind}` });
        options.onReleased();
      },
      auditFailed: (_, { eventId, error }) =>
        log({ eventId: 'store-audit-failed', disposition: 'failure', message: `audit row ${eventId} not written: ${error instanceof Error ? error.message : String(error)}` }),
    },
  });
  return { logic, input: { latched: options.latched, unattended: options.unattended, cash: options.cash ?? null } };
}

export type ServiceRegionRef = ActorRefFrom<ReturnType<typeof serviceRegion>['logic']>;

/** The service region on an actor of its own (tests of the region alone). */
export function startKioskService(options: KioskServiceOptions): KioskService {
  const region = serviceRegion(options);
  const actor = createActor(region.logic, { input: region.input });
  actor.start();
  return { ...bindKioskService(actor, options), stop: () => actor.stop() };
}

/** The service's interface over the service region's actor (the root machine's child, or its own). */
export function bindKioskService(actor: ServiceRegionRef, options: Pick<KioskServiceOptions, 'board'>): KioskService {
  const { board } = options;
  const latched = (): TamperCause | null => tamperCause(actor.getSnapshot().context);
  return {
    actor,
    outOfService: () => {
      const cause = latched();
      return cause ? alarmMessages[cause] : null;
    },
    closure: () => serviceClosure(actor.getSnapshot()),
    tamperLatched: () => latched() !== null,
    async clearTamper(operatorId) {
      const door: DoorReading = board.doorOpen === undefined ? 'unknown' : board.doorOpen ? 'open' : 'shut';
      const clear = { type: 'tamper.clear', operatorId, door } as const;
      const refusal = tamperClearRefusal(clear);
      if (refusal === 'door-open') return refused('door-open', 'shut the door first');
      if (refusal === 'door-unknown') return refused('other', 'the door state is unknown (is the I/O board connected?)');
      actor.send(clear);
      const settled = await waitFor(actor, (snapshot) => !snapshot.matches({ outOfService: 'clearingTamper' }));
      if (tamperCause(settled.context)) return refused('other', 'the clear was not recorded: the kiosk stays out of service, try again');
      return { accepted: true };
    },
    /** The actor is its owner's to stop. */
    stop: () => {},
  };
}
