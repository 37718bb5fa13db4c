import type { KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { withToken } from '../api';
import { command } from '../command';
import { MessageText, useT } from '../i18n';
import { CardFaceStatus } from './card-face-status';

/**
 * The review in one glance (1280 × 800 with the print queue beside it): the card face on the left, what
 * the operator confirms on the right (the face match, the card's type, scheme and fee, and below them
 * the fee panel that settles it), Back, Cancel and Print always in view.
 */
export function ReviewScreen({ snapshot }: { snapshot: KioskSnapshot }) {
  const t = useT();
  const { form, fee } = snapshot.application;
  const { faceMatch } = snapshot.photo;
  // A comparison that could not be made says why instead of the generic mismatch text.
  const unavailable = faceMatch?.verdict === 'unavailable' ? faceMatch.reason : null;
  return (
    <section className="review one-glance-review">
      <h2>{t('reviewTitle')}</h2>
      <div className="review-body">
        <div className="review-face">
          {snapshot.previewUrl ? (
            <img className="card-preview" src={withToken(snapshot.previewUrl)} alt={t('reviewTitle')} width={508} height={324} />
          ) : (
            <CardFaceStatus rendering={snapshot.rendering} error={snapshot.error} onRetry={() => command({ type: 'retry' })} />
          )}
        </div>
        <div className="review-side">
          {faceMatch && (
            <p
              className={faceMatch.match ? 'notice ok' : 'notice warn'}
              role={faceMatch.match ? 'status' : 'alert'}
              data-testid="face-match"
              data-match={faceMatch.match}
              data-verdict={faceMatch.verdict}
            >
              {unavailable ? <MessageText message={unavailable} /> : faceMatch.match ? t('faceMatches') : t('faceMismatch')}
            </p>
          )}
          <dl className="summary">
            <dt>{t('fieldCardType')}</dt>
            <dd>{t.key(`card${form.cardType}`)}</dd>
            <dt>{t('fieldScheme')}</dt>
            <dd>{t.key(`scheme${form.scheme}`)}</dd>
            <dt>{t('fee')}</dt>
            <dd>{fee > 0 ? `NT$${fee}` : t('free')}</dd>
          </dl>
          {/* The fee branch's panel (how the fee is settled) goes here, one line: the column has room for it. */}
        </div>
      </div>
      <div className="actions sticky-actions">
        <button type="button" className="secondary" data-action="back" onClick={() => command({ type: 'back' })}>{t('back')}</button>
        <button type="button" className="secondary" data-action="cancel" disabled={snapshot.rendering} onClick={() => command({ type: 'cancel' })}>{t('cancel')}</button>
        <button type="button" className="primary" data-action="print" disabled={!snapshot.previewUrl} onClick={() => command({ type: 'confirm-print' })}>
          {t('reviewPrint')}
        </button>
      </div>
    </section>
  );
}
