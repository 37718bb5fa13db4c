import type { StepErrorView } from '../../../../shared/contract/kiosk-api';
import { StepErrorMessage } from '../commands/step-error-message';
import { useT } from '../i18n';

/**
 * The review's card face while there is no preview: being made, or not made and why, with Retry
 * (`onRetry` makes it again). Nothing once the preview is there.
 */
export function CardFaceStatus({ rendering, error, onRetry }: { rendering: boolean; error: StepErrorView | null; onRetry: () => void }) {
  const t = useT();
  return (
    <>
      {rendering && <p className="notice" role="status" data-testid="rendering">{t('reviewRendering')}</p>}
      {error && (
        <div className="notice error review-error" role="alert" data-error-kind={error.kind}>
          <strong>{t('reviewFaceFailed')}</strong>
          <p><StepErrorMessage error={error} where="review" /></p>
          <button type="button" className="primary" onClick={onRetry}>{t('retry')}</button>
        </div>
      )}
    </>
  );
}
