import type { AnyStateMachine } from 'xstate';
import { issuanceMachine } from './issuance/issuance-machine';

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
    name: 'issuance',
    about:
      'The staffed issuance flow for one applicant: application, photo, review, then print, encode, commit and hand over, with a failed job parked while its operator is away.',
    machine: issuanceMachine,
  },
];
