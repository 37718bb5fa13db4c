import { assertNever } from '../../../shared/result';
import type { OperatorRole } from './roles';

/** Everything a person at the kiosk may try that the permission table decides. */
export const actions = [
  'issue-card', 'replace-card', 'top-up', 'view-cardholder', 'override-photo', 'void-card', 'spoil-card',
  'approve', 'take-over-job', 'open-session', 'close-session', 'adjust-stock', 'accept-batch-problems', 'open-cash-box', 'settle-money-exception', 'change-devices', 'run-diagnostics', 'manage-operators', 'view-audit', 'purge-data', 'backup',
  'view-reports', 'waive-fee',
] as const;
export type Action = (typeof actions)[number];

/** Who acts: a staff role, or the unattended kiosk with nobody signed in. */
export type Actor = OperatorRole | 'self-service';

/** `with-approval`: allowed once a supervisor taps their card and enters their PIN for this one action. */
export type Permission = 'allow' | 'with-approval' | 'deny';

const A = 'allow';
const S = 'with-approval';
const D = 'deny';

/**
 * The permission table. Self-service may only apply and top up its own card; it never sees anybody's
 * record. Technicians look after devices and the store but see no personal data and touch no money.
 */
const table: Readonly<Record<Action, Readonly<Record<Actor, Permission>>>> = {
  //                    operator     supervisor   technician   self-service
  'issue-card':       { operator: A, supervisor: A, technician: D, 'self-service': A },
  'replace-card':     { operator: A, supervisor: A, technician: D, 'self-service': D },
  'top-up':           { operator: A, supervisor: A, technician: D, 'self-service': A },
  'view-cardholder':  { operator: A, supervisor: A, technician: D, 'self-service': D },
  'override-photo':   { operator: S, supervisor: A, technician: D, 'self-service': D },
  'void-card':        { operator: S, supervisor: A, technician: D, 'self-service': D },
  'spoil-card':       { operator: A, supervisor: A, technician: A, 'self-service': D },
  approve:            { operator: D, supervisor: A, technician: D, 'self-service': D },
  // The unfinished card of an operator who signed out: only a supervisor finishes or cancels it for them.
  'take-over-job':    { operator: D, supervisor: A, technician: D, 'self-service': D },
  // A service session and its stock are a supervisor's: an operator asks one to approve (card and PIN).
  'open-session':     { operator: S, supervisor: A, technician: D, 'self-service': D },
  'close-session':    { operator: S, supervisor: A, technician: D, 'self-service': D },
  'adjust-stock':     { operator: S, supervisor: A, technician: D, 'self-service': D },
  // Importing only the clean rows of a list with problems is a supervisor's say-so.
  'accept-batch-problems': { operator: S, supervisor: A, technician: D, 'self-service': D },
  'open-cash-box':    { operator: D, supervisor: A, technician: D, 'self-service': D },
  // A money exception (a jam that may have taken a note, lost validator events, a mirror ahead): a supervisor settles it.
  'settle-money-exception': { operator: D, supervisor: A, technician: D, 'self-service': D },
  'change-devices':   { operator: D, supervisor: D, technician: A, 'self-service': D },
  'run-diagnostics':  { operator: D, supervisor: A, technician: A, 'self-service': D },
  'manage-operators': { operator: D, supervisor: A, technician: D, 'self-service': D },
  'view-audit':       { operator: D, supervisor: A, technician: A, 'self-service': D },
  'purge-data':       { operator: D, supervisor: A, technician: S, 'self-service': D },
  backup:             { operator: D, supervisor: A, technician: A, 'self-service': D },
  // A session's figures and its report (counts and card numbers, no personal data): the supervisor's.
  'view-reports':     { operator: D, supervisor: A, technician: D, 'self-service': D },
  // A replacement's fee waived (a reason from the fixed list): a supervisor's say-so, card and PIN (issue 16).
  'waive-fee':        { operator: S, supervisor: A, technician: D, 'self-service': D },
};

export function permission(actor: Actor, action: Action): Permission {
  return table[action][actor];
}

/** True only when the actor may act alone. */
export function can(actor: Actor, action: Action): boolean {
  const granted = permission(actor, action);
  switch (granted) {
    case 'allow':
      return true;
    case 'with-approval':
    case 'deny':
      return false;
    default:
      return assertNever(granted);
  }
}
