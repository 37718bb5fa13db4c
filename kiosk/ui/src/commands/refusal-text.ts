import { assertNever } from '../../../../shared/result';
import type { OperatorRole } from '../../../../shared/contract/kiosk-api';
import { translate, type Locale, type MessageKey } from '../../../../shared/i18n/messages';

/**
 * The controller's refusals are English sentences for staff (kiosk-controller.ts, the request
 * guard, the API's schema check). The ones a person meets at the counter are recognised and said
 * in the screen's language; any other is shown as "could not be done" with the controller's own
 * words beneath, so nothing is hidden.
 */
export type Refusal =
  | { readonly kind: 'role'; readonly role: OperatorRole }
  | { readonly kind: 'wrong-screen' }
  | { readonly kind: 'sign-in-first' }
  | { readonly kind: 'token' }
  | { readonly kind: 'out-of-service' }
  | { readonly kind: 'invalid-input' }
  | { readonly kind: 'technician-only' }
  | { readonly kind: 'door-open' }
  | { readonly kind: 'tap-card-to-void' }
  | { readonly kind: 'other' };

const rolePattern = /^a (operator|supervisor|technician) may not /;

export function classifyRefusal(reason: string): Refusal {
  const role = rolePattern.exec(reason)?.[1];
  if (role === 'operator' || role === 'supervisor' || role === 'technician') return { kind: 'role', role };
  if (/is not possible on the .* screen now$/.test(reason)) return { kind: 'wrong-screen' };
  if (reason.startsWith('sign in first')) return { kind: 'sign-in-first' };
  if (reason.startsWith('missing or wrong kiosk token')) return { kind: 'token' };
  if (reason.startsWith('out of service')) return { kind: 'out-of-service' };
  if (reason.startsWith('invalid command:')) return { kind: 'invalid-input' };
  if (reason.startsWith('only a technician can put the kiosk back in service')) return { kind: 'technician-only' };
  if (reason === 'shut the door first') return { kind: 'door-open' };
  if (reason.startsWith('tap the card to void')) return { kind: 'tap-card-to-void' };
  return { kind: 'other' };
}

/** What the notice says: the sentence in the screen's language, and the controller's words when that sentence is only generic. */
export interface RefusalText {
  readonly text: string;
  readonly detail: string | null;
}

export function refusalText(reason: string, locale: Locale): RefusalText {
  const refusal = classifyRefusal(reason);
  const say = (key: MessageKey): RefusalText => ({ text: translate(locale, key), detail: null });
  switch (refusal.kind) {
    case 'role':
      return { text: translate(locale, 'refusalRole').replace('{role}', translate(locale, `role${refusal.role}`)), detail: null };
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
      return { text: translate(locale, 'refusalInvalidInput'), detail: reason };
    case 'technician-only':
      return say('refusalTechnicianOnly');
    case 'door-open':
      return say('refusalDoorOpen');
    case 'tap-card-to-void':
      return say('refusalTapCardToVoid');
    case 'other':
      return { text: translate(locale, 'refusalOther'), detail: reason || null };
    default:
      return assertNever(refusal);
  }
}
