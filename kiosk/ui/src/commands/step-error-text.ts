import { diskFullErrorKind, type KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { translate, type Locale } from '../../../../shared/i18n/messages';

type StepError = NonNullable<KioskSnapshot['error']>;

/**
 * A step error the screen words differently from the controller's message where it stands: on the
 * review a full disk stopped the card before it was made, so there is nothing to cancel into the
 * reject box. The controller's detail goes beneath, for the technician. Null: the message as it is.
 */
export function stepErrorText(error: StepError, locale: Locale, where: 'job' | 'review' = 'job'): { readonly text: string; readonly detail: string } | null {
  if (where === 'review' && error.kind === diskFullErrorKind) return { text: translate(locale, 'reviewDiskFull'), detail: String(error.message.params['detail'] ?? '') };
  return null;
}
