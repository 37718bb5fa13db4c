import type { SelfServiceCardView } from '../../../../shared/contract/kiosk-api';
import type { MessageKey } from '../../../../shared/i18n/messages';
import { useT } from '../i18n';
import type { Send } from './send';
import { TopUpButton, WalletMoney, WalletSide } from './wallet-panel';
import { fill, ntd } from './words';

/**
 * A tapped card: its status, last 4 digits and expiry, then the e-wallet (balance, top-up; beside it
 * points and history). Never a name or an ID number. A card the kiosk keeps no wallet for shows the
 * chip's balance; a blocked card no balance, only why it cannot be topped up.
 */
export function OwnCard({ card, showSeconds, send }: { card: SelfServiceCardView; showSeconds: number; send: Send }) {
  const t = useT();
  const blocked = card.status === 'hot-listed' || card.status === 'void';
  const statusKey: MessageKey = `selfServiceStatus${card.status}`;
  const wallet = blocked ? null : card.wallet;
  const refusal = card.wallet !== null && blocked && !card.wallet.topUp.available ? card.wallet.topUp.reason : null;
  return (
    <section className={`self-service own-card ${blocked ? 'blocked' : card.status}${wallet ? ' with-wallet' : ''}`} data-self-service="card" data-status={card.status}>
      <div className="card-column">
        <div className="card-head">
          <h2>{t('selfServiceYourCard')}</h2>
          <p className="card-status" role="status">{t(statusKey)}</p>
        </div>
        {(blocked || card.expired) && (
          <p className="notice error big" role="alert" data-testid="contact-desk">
            {card.expired && !blocked ? t('selfServiceExpired') : t('selfServiceContactDesk')}
          </p>
        )}
        <dl className="summary">
          <dt>{t('fieldCardType')}</dt>
          <dd>{t.key(`card${card.cardType}`)}</dd>
          <dt>{t('selfServiceCardEnding')}</dt>
          <dd data-testid="card-last4">•••• •••• •••• {card.last4}</dd>
          <dt>{t('selfServiceExpires')}</dt>
          <dd>{card.expiresOn}</dd>
          {card.wallet === null && card.balance !== null && (
            <>
              <dt>{t('balance')}</dt>
              <dd className="balance" data-testid="card-balance">{ntd(card.balance)}</dd>
            </>
          )}
        </dl>
        {wallet && <WalletMoney wallet={wallet} />}
        {refusal && card.wallet && (
          <p className="notice warn big" role="alert" data-testid="top-up-refused" data-refusal={refusal}>
            {fill(t.key(`walletRefusal${refusal}`), { cap: ntd(card.wallet.cap) })}
          </p>
        )}
        <p className="hint">{fill(t('selfServicePrivacy'), { seconds: showSeconds })}</p>
        <div className="actions">
          {wallet && <TopUpButton wallet={wallet} send={send} />}
          <button type="button" className="secondary" data-action="dismiss-card" onClick={() => send({ type: 'dismiss-card' })}>{t('selfServiceDone')}</button>
        </div>
      </div>
      {wallet && <WalletSide wallet={wallet} />}
      <div className="clears-in" style={{ animationDuration: `${showSeconds}s` }} aria-hidden="true" />
    </section>
  );
}
