import { diskFullErrorKind, type KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { translate, type Locale } from '../../../../shared/i18n/messages';

type StepError = NonNullable<KioskSnapshot['error']>;

/**
 * A card step's error (a card job's, or the review's) the screen words itself, in its own language (the controller's English beneath,
 * for the technician); null for the errors shown in the controller's two languages.
 */
export function stepErrorText(error: StepError, locale: Locale, where: 'job' | 'review' = 'job'): { readonly text: string; readonly detail: string } | null {
  // On the review no card exists yet: nothing to cancel into the reject box.
  if (error.kind === diskFullErrorKind) return { text: translate(locale, where === 'review' ? 'reviewDiskFull' : 'issuanceDiskFull'), detail: error.message.en };
  return null;
}
