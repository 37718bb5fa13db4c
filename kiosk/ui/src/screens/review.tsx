import type { KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { sendCommand, withToken } from '../api';
import { useT } from '../i18n';

export function ReviewScreen({ snapshot }: { snapshot: KioskSnapshot }) {
  const t = useT();
  const { form, fee } = snapshot.application;
  return (
    <section className="review">
      <h2>{t('reviewTitle')}</h2>
      {snapshot.previewUrl ? (
        <img className="card-preview" src={withToken(snapshot.previewUrl)} alt={t('reviewTitle')} width={508} height={324} />
      ) : (
        <p className="notice" role="status">{t('steprendering')}…</p>
      )}
      {snapshot.photo.faceMatch && (
        <p
          className={snapshot.photo.faceMatch.match ? 'notice ok' : 'notice warn'}
          role={snapshot.photo.faceMatch.match ? 'status' : 'alert'}
          data-testid="face-match"
          data-match={snapshot.photo.faceMatch.match}
        >
          {snapshot.photo.faceMatch.match ? t('faceMatches') : t('faceMismatch')}
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
