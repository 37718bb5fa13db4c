import type { StepErrorView } from '../../../../shared/contract/kiosk-api';
import { MessageText, useT } from '../i18n';
import { stepErrorText } from './step-error-text';

/** A card step's error: in the screen's own words where it has them, else the controller's message in the screen's language. */
export function StepErrorMessage({ error, where = 'job' }: { error: StepErrorView; where?: 'job' | 'review' }) {
  const t = useT();
  const own = stepErrorText(error, t.locale, where);
  if (!own) return <MessageText message={error.message} />;
  return <span>{own.text}<small className="second-language">{own.detail}</small></span>;
}
