import { assertNever } from '../../../../shared/result';
import type { CommandReply, OperatorRole } from '../../../../shared/contract/kiosk-api';
import { translate, type Locale, type MessageKey } from '../../../../shared/i18n/messages';

/** A refused command as the controller sent it: its code says what to tell people, its reason is for staff. */
export type RefusedReply = Extract<CommandReply, { accepted: false }>;

/** What the notice says: the sentence in the screen's language, and the controller's words when that sentence is only generic. */
export interface RefusalText {
  readonly text: string;
  readonly detail: string | null;
}

/** "Your role (…) may not do this", the role named in the screen's language: said on a refusal, and before it (home). */
export function roleRefusalText(locale: Locale, role: OperatorRole): string {
  return translate(locale, 'refusalRole').replace('{role}', translate(locale, `role${role}`));
}

export function refusalText(refusal: RefusedReply, locale: Locale): RefusalText {
  const say = (key: MessageKey): RefusalText => ({ text: translate(locale, key), detail: null });
  const otherwise: RefusalText = { text: translate(locale, 'refusalOther'), detail: refusal.reason || null };
  switch (refusal.code) {
    case 'role':
      if (!refusal.role) return otherwise;
      return { text: roleRefusalText(locale, refusal.role), detail: null };
    case 'wrong-screen':
      return say('refusalWrongScreen');
    case 'sign-in-first':
      return say('refusalSignInFirst');
    case 'token':
      return say('connectionTokenRefused');
    case 'out-of-service':
      return say('refusalOutOfService');
    case 'invalid-input':
      // Which field, in the controller's words: staff can tell the technician.
      return { text: translate(locale, 'refusalInvalidInput'), detail: refusal.reason };
    case 'technician-only':
      return say('refusalTechnicianOnly');
    case 'door-open':
      return say('refusalDoorOpen');
    case 'tap-card-to-void':
      return say('refusalTapCardToVoid');
    case 'ask-staff':
      return say('selfServiceContactDesk');
    case 'job-of-another-operator':
      return say('refusalJobOfAnotherOperator');
    case 'disk-full':
      // How full, in the controller's words: staff can tell the technician.
      return { text: translate(locale, 'refusalDiskFull'), detail: refusal.reason };
    case 'no-session':
      return say('refusalNoSession');
    case 'session-open':
      return say('refusalSessionOpen');
    case 'no-blanks':
      return say('refusalNoBlanks');
    case 'no-ribbon':
      return say('refusalNoRibbon');
    case 'count-note-required':
      return say('refusalCountNoteRequired');
    case 'cards-in-queue':
      return say('refusalCardsInQueue');
    case 'fee-unsettled':
      return say('refusalFeeUnsettled');
    case 'fee-wallet-short':
      return say('refusalFeeWalletShort');
    case 'other':
      return otherwise;
    default:
      return assertNever(refusal.code);
  }
}
