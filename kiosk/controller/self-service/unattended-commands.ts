import type { KioskCommand } from '../../../shared/contract/kiosk-api';
import { assertNever } from '../../../shared/result';
import { permission, type Action } from '../auth/permissions';

/**
 * What a command from the screen asks, in the permission table's terms: `citizen` commands are
 * anybody's (look at one's own card, staff sign-in); every other command is an action of the table.
 * Signed-in staff are checked against their role's column; the unattended kiosk (self-service mode,
 * nobody signed in) against the `self-service` column AND whether this kiosk offers that flow unattended.
 */
export type CommandAction = { readonly kind: 'citizen' } | { readonly kind: 'action'; readonly action: Action };

export function commandAction(command: KioskCommand): CommandAction {
  switch (command.type) {
    case 'dismiss-card':
    case 'enter-pin':
    case 'cancel-pin':
    case 'sign-out':
      return { kind: 'citizen' };
    case 'start-application':
    case 'update-application':
    case 'submit-application':
    case 'capture-photo':
    case 'preview-photo':
    case 'retake-photo':
    case 'confirm-print':
    case 'retry':
    case 'back':
    case 'cancel':
    case 'finish':
    case 'camera':
      return { kind: 'action', action: 'issue-card' };
    case 'override-photo':
      return { kind: 'action', action: 'override-photo' };
    case 'void-card':
      return { kind: 'action', action: 'void-card' };
    case 'close-card-check':
    case 'keep-alive':
      return { kind: 'action', action: 'view-cardholder' };
    case 'clear-tamper':
      return { kind: 'action', action: 'change-devices' };
    case 'take-over-job':
      return { kind: 'action', action: 'take-over-job' };
    default:
      return assertNever(command);
  }
}

/**
 * Flows the unattended kiosk runs. The table allows self-service to issue, but issuing needs a
 * person to check the original ID document and the applicant (domain: documents at the counter),
 * so applications are made with staff; top-up comes with the cash flow.
 */
export const offeredUnattended: ReadonlySet<Action> = new Set<Action>([]);

/** Null when the unattended kiosk takes the command, else why not (for the reply and the log). */
export function unattendedRefusal(command: KioskCommand): string | null {
  const asked = commandAction(command);
  if (asked.kind === 'citizen') return null;
  if (permission('self-service', asked.action) !== 'allow') return `not available at the self-service kiosk (${asked.action}): ask the staff at the service desk`;
  if (!offeredUnattended.has(asked.action)) return `${asked.action} is not offered unattended: ask the staff at the service desk`;
  return null;
}
