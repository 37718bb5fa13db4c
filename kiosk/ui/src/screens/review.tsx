import type { Bilingual, KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { sendCommand, withToken } from '../api';
import { BilingualText, useT } from '../i18n';

/**
 * The controller marks a comparison it could not make `verdict: 'unavailable'` with a bilingual
 * `reason` (no face in one of the photos): shown instead of the generic mismatch text.
 */
function unavailableReason(faceMatch: object): Bilingual | null {
  if (!('verdict' in faceMatch) || faceMatch.verdict !== 'unavailable' || !('reason' in faceMatch)) return null;
  const reason = faceMatch.reason;
  if (typeof reason !== 'object' || reason === null || !('zh' in reason) || !('en' in reason)) return null;
  return typeof reason.zh === 'string' && typeof reason.en === 'string' ? { zh: reason.zh, en: reason.en } : null;
}

export function ReviewScreen({ snapshot }: { snapshot: KioskSnapshot }) {
  const t = useT();
  const { form, fee } = snapshot.application;
  const { faceMatch } = snapshot.photo;
  const unavailable = faceMatch ? unavailableReason(faceMatch) : null;
  return (
    <section className="review">
      <h2>{t('reviewTitle')}</h2>
      {snapshot.previewUrl ? (
        <img className="card-preview" src={withToken(snapshot.previewUrl)} alt={t('reviewTitle')} width={508} height={324} />
      ) : (
        <p className="notice" role="status">{t('steprendering')}…</p>
      )}
      {faceMatch && (
        <p
          className={faceMatch.match ? 'notice ok' : 'notice warn'}
          role={faceMatch.match ? 'status' : 'alert'}
          data-testid="face-match"
          data-match={faceMatch.match}
          data-verdict={unavailable ? 'unavailable' : faceMatch.match ? 'match' : 'mismatch'}
        >
          {unavailable ? <BilingualText text={unavailable} /> : faceMatch.match ? t('faceMatches') : t('faceMismatch')}
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
      <div className="actions">
        <button type="button" className="secondary" onClick={() => sendCommand({ type: 'back' })}>{t('back')}</button>
        <button type="button" className="secondary" onClick={() => sendCommand({ type: 'cancel' })}>{t('cancel')}</button>
        <button type="button" className="primary" disabled={!snapshot.previewUrl} onClick={() => sendCommand({ type: 'confirm-print' })}>
          {t('reviewPrint')}
        </button>
      </div>
    </section>
  );
}
