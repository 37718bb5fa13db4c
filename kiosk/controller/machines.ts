import type { AnyStateMachine } from 'xstate';
import { cardJobMachine } from './issuance/card-job-machine';
import { issuanceMachine } from './issuance/issuance-machine';
import { counterMachine } from './machine/counter-machine';
import { kioskMachine } from './machine/kiosk-machine';
import { serviceMachine } from './machine/service-machine';
import { sessionMachine } from './machine/session-machine';
import { staffMachine } from './machine/staff-machine';
import { cashMachine } from './top-up/cash-machine';

/** A machine whose diagram `npm run machines` writes to `docs/machines/<name>.md`. */
export interface DocumentedMachine {
  /** Kebab-case: the diagram's file name. */
  readonly name: string;
  /** One sentence on what the machine is, the diagram's caption. */
  readonly about: string;
  readonly machine: AnyStateMachine;
}

/** Every state machine of the controller: add a new one here and run `npm run machines`. */
export const documentedMachines: readonly DocumentedMachine[] = [
  {
    name: 'kiosk',
    about:
      'The kiosk: one root machine whose parallel regions run the others: the service, the staff at the counter, the counter reader (self-service look-ups only when unattended) and the applicant flow with its card jobs.',
    machine: kioskMachine,
  },
  {
    name: 'issuance',
    about:
      'The staffed issuance flow: one applicant at a time through application, photo and review, and the print queue that gives the printer to one confirmed card job at a time.',
    machine: issuanceMachine,
  },
  {
    name: 'card-job',
    about:
      'One confirmed card: queued until the printer is granted, then print, encode, commit and eject, ready at the exit until taken; a failed step keeps the printer until retried or cancelled, and is parked while its operator is away.',
    machine: cardJobMachine,
  },
  {
    name: 'service',
    about: 'Whether the kiosk is in service, and why not: a latched tamper alarm (the door opened, or the board lost while unattended) until a technician clears it with the door shut, or the bill validator (a fault, the stacker, lost events).',
    machine: serviceMachine,
  },
  {
    name: 'staff',
    about: 'Who is at the kiosk: staff sign in with card and PIN, a supervisor approves an action on the spot, and the session locks itself after named idle delays.',
    machine: staffMachine,
  },
  {
    name: 'service-session',
    about: 'The service session: none open, or open with its stock ledger summed; opening, loading or returning blanks and closing are store work, and the stock is read again whenever the print queue moves.',
    machine: sessionMachine,
  },
  {
    name: 'counter',
    about: "The counter reader of the unattended kiosk: a citizen's own card read with its wallet, shown for a named time or until it is lifted, a top-up visit that finishes with what was credited whatever ends it, its receipt, a kind problem message, or nothing while staff serve or the kiosk is out of service.",
    machine: counterMachine,
  },
  {
    name: 'cash',
    about: "One top-up visit's notes through the ccTalk validator: journaled in escrow, stacked only if it fits under the cap and the visit is open, credited once on the stacked report or closed unpaid on the return; an unsafe jam, lost events or no report is an exception for staff and closes the kiosk.",
    machine: cashMachine,
  },
];
