import { useState } from 'react';
import { voidReasons, type CardCheckView, type VoidReason } from '../../../../shared/contract/kiosk-api';
import { command } from '../command';
import { MessageText, useT } from '../i18n';

/** A card tapped on the counter reader: genuine or not, whether it is still in use, and voiding it. */
/** The controller sends a card check only to staff who may see it (never a technician); voiding asks a supervisor of an operator. */
export function CardCheckPanel({ card }: { card: CardCheckView }) {
  const t = useT();
  const canVoid = card.verified && card.status === 'active';
  return (
    <aside className={`card-check ${card.verified ? card.status : 'invalid'}`} aria-label={t('cardCheckTitle')} data-testid="card-check">
      <h2>{t('cardCheckTitle')}</h2>
      {card.verified ? (
        <>
          <p className="card-status" role="status" data-status={card.status}>{t(`status${card.status}`)}</p>
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
          {card.notice && <p className="notice" role="status" data-testid="card-check-notice"><MessageText message={card.notice} /></p>}
          {canVoid && <VoidCard cardNumber={card.cardNumber} key={card.cardNumber} />}
        </>
      ) : (
        <p className="notice error" role="alert"><MessageText message={card.problem} /></p>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => command({ type: 'close-card-check' })}>{t('close')}</button>
      </div>
    </aside>
  );
}

/** Two steps so a stray touch voids nothing: open, pick a reason, confirm (a supervisor approves for an operator). */
function VoidCard({ cardNumber }: { cardNumber: string }) {
  const t = useT();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<VoidReason | null>(null);
  if (!open) {
    return (
      <div className="actions">
        <button type="button" className="danger" onClick={() => setOpen(true)}>{t('voidCard')}</button>
      </div>
    );
  }
  return (
    <fieldset className="void-card">
      <legend>{t('voidChooseReason')}</legend>
      {voidReasons.map((code) => (
        <label key={code}>
          <input type="radio" name="void-reason" value={code} checked={reason === code} onChange={() => setReason(code)} />
          {t.key(`voidReason${code}`)}
        </label>
      ))}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => setOpen(false)}>{t('cancel')}</button>
        <button type="button" className="danger" disabled={!reason} onClick={() => reason && command({ type: 'void-card', cardNumber, reason })}>
          {t('voidConfirm')}
        </button>
      </div>
    </fieldset>
  );
}
