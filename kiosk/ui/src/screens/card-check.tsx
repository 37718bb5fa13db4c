import type { CardCheckView } from '../../../../shared/contract/kiosk-api';
import { sendCommand } from '../api';
import { BilingualText, useT } from '../i18n';

/** A card tapped on the counter reader: genuine or not, and whether it is still in use. */
export function CardCheckPanel({ card }: { card: CardCheckView }) {
  const t = useT();
  return (
    <aside className={`card-check ${card.verified ? card.status : 'invalid'}`} aria-label={t('cardCheckTitle')} data-testid="card-check">
      <h2>{t('cardCheckTitle')}</h2>
      {card.verified ? (
        <>
          <p className="card-status" role="status" data-status={card.status}>{t.key(`status${card.status}`)}</p>
          <dl className="summary">
            <dt>{t('cardNumber')}</dt>
            <dd>{card.cardNumber}</dd>
            <dt>{t('fieldCardType')}</dt>
            <dd>{t.key(`card${card.cardType}`)}</dd>
            <dt>{t('fieldScheme')}</dt>
            <dd>{t.key(`scheme${card.scheme}`)}</dd>
            <dt>{t('issuedOn')}</dt>
            <dd>{card.issuedOn}</dd>
            <dt>{t('balance')}</dt>
            <dd>NT${card.balance}</dd>
          </dl>
        </>
      ) : (
        <p className="notice error" role="alert"><BilingualText text={card.problem} /></p>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => sendCommand({ type: 'close-card-check' })}>{t('close')}</button>
      </div>
    </aside>
  );
}
