import { setup, type AnyActorLogic, type InputFrom } from 'xstate';
import { issuanceMachine } from '../issuance/issuance-machine';
import { counterMachine, counterSystemId, type CounterInput } from './counter-machine';
import { closureOf, initialCauses, serviceMachine } from './service-machine';
import { sessionMachine } from './session-machine';
import { staffMachine } from './staff-machine';

/**
 * The kiosk: one root machine, started once by the composition root, whose parallel regions run what
 * is independent — the service (in or out of service, and why), the staff at the counter (sign-in,
 * idle lock, a supervisor's approval), the counter reader's self-service look-ups (unattended mode
 * only) and the applicant flow with its print queue of card jobs. Each region is a machine of its
 * own, invoked here with a `systemId`, so the adapters that feed devices into it and read views out
 * of it (`bindStaffSession`, `bindKioskService`, `bindSelfService`, the kiosk controller) find it in
 * the one actor system: one clock for every named delay, one place where the kiosk's state lives.
 * The regions tell each other what they must know by events through that system (the staff and
 * service regions tell the counter region when staff arrive or leave and when the kiosk closes).
 */
export interface KioskMachineInput {
  readonly staff: InputFrom<typeof staffMachine>;
  readonly service: InputFrom<typeof serviceMachine>;
  /** The self-service look-ups; null at a staffed kiosk (the counter reader is the staff's). */
  readonly counter: InputFrom<typeof counterMachine> | null;
  readonly issuance: InputFrom<typeof issuanceMachine>;
}

/** The system ids the adapters look the regions up by. */
export const kioskRegions = { staff: 'staff', service: 'service', counter: counterSystemId, issuance: 'issuance', serviceSession: 'serviceSession' } as const;

/**
 * The counter region is invoked (once, as the root starts) after its siblings have entered their
 * first states, so it would miss anything they told it then: it starts from their facts instead —
 * closed for the service region's causes at start, and nobody at the counter (the staff region
 * starts signed out).
 */
function counterInputAtStart(context: KioskMachineInput): CounterInput {
  return { ...context.counter, closure: closureOf(initialCauses(context.service)), staffPresent: false };
}

export const kioskMachine = setup({
  types: {
    context: {} as KioskMachineInput,
    input: {} as KioskMachineInput,
  },
  actors: {
    // The composition root provides each region with its device and store work (`kioskMachine.provide`).
    staff: staffMachine as AnyActorLogic,
    service: serviceMachine as AnyActorLogic,
    counter: counterMachine as AnyActorLogic,
    issuance: issuanceMachine as AnyActorLogic,
    serviceSession: sessionMachine as AnyActorLogic,
  },
  guards: {
    unattended: ({ context }) => context.counter !== null,
  },
}).createMachine({
  id: 'kiosk',
  type: 'parallel',
  context: ({ input }) => input,
  states: {
    service: {
      invoke: { src: 'service', id: kioskRegions.service, systemId: kioskRegions.service, input: ({ context }: { context: KioskMachineInput }) => context.service },
    },
    staff: {
      invoke: { src: 'staff', id: kioskRegions.staff, systemId: kioskRegions.staff, input: ({ context }: { context: KioskMachineInput }) => context.staff },
    },
    counterReader: {
      initial: 'choosing',
      states: {
        choosing: {
          always: [{ guard: 'unattended', target: 'selfService' }, { target: 'staffed' }],
        },
        /** Unattended: citizens look at their own card here. */
        selfService: {
          invoke: { src: 'counter', id: kioskRegions.counter, systemId: kioskRegions.counter, input: ({ context }: { context: KioskMachineInput }) => counterInputAtStart(context) },
        },
        /** Staffed: the counter reader serves staff sign-in and card checks only. */
        staffed: {},
      },
    },
    /** The service session (issue 14): no card is made without one open; its stock ledger's summary. */
    serviceSession: {
      invoke: { src: 'serviceSession', id: kioskRegions.serviceSession, systemId: kioskRegions.serviceSession },
    },
    applicant: {
      invoke: { src: 'issuance', id: kioskRegions.issuance, systemId: kioskRegions.issuance, input: ({ context }: { context: KioskMachineInput }) => context.issuance },
    },
  },
});
