import { message, type Message } from '../../../shared/contract/messages';
import { assertNever } from '../../../shared/result';
import type { ApprovalError, SignInError } from '../auth/operator-service';

/**
 * What the staff region tells the person at the counter, as message codes: the UI words them in the
 * screen's language (shared/i18n/message-catalogue.ts), logs and refusal reasons keep the English.
 */
export const staffMessages = {
  idleLocked: message('staff.idle-locked'),
  cardsUnreadable: message('staff.cards-unreadable'),
  notAStaffCard: message('staff.not-a-staff-card'),
  unverifiedCard: message('staff.unverified-card'),
  citizenCard: message('staff.citizen-card'),
} as const satisfies Record<string, Message>;

export function signInMessage(error: SignInError): Message {
  switch (error.kind) {
    case 'unknown_card':
      return message('staff.unknown-card');
    case 'disabled':
      return message('staff.card-disabled');
    case 'locked':
      return message('staff.locked', { until: clockTime(error.lockedUntil) });
    case 'wrong_pin':
      return message('staff.wrong-pin', { attemptsLeft: error.attemptsLeft });
    default:
      return assertNever(error);
  }
}

export function approvalMessage(error: ApprovalError): Message {
  switch (error.kind) {
    case 'not_a_supervisor':
      return message('staff.not-a-supervisor');
    case 'same_person':
      return message('staff.same-person');
    default:
      return signInMessage(error);
  }
}

/** `reason`: the refusal's English sentence (the controller's reply), shown as it is. */
export function approvedButFailedMessage(reason: string): Message {
  return message('staff.approved-but-failed', { reason });
}

/** The lock's end as HH:MM on the kiosk's own clock (the screen and the controller share it). */
function clockTime(iso: string): string {
  const date = new Date(iso);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}
