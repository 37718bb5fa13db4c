import type { Immutable } from '../../../../shared/contract/immutable';
import type { TopUpDoneView } from '../../../../shared/contract/top-up';
import type { Send } from './send';
import { useT } from '../i18n';
import { OtherLanguages } from './other-languages';
import { ReceiptQr } from './receipt-qr';
import { fill, ntd, receiptTime } from './words';

/**
 * Done: the receipt on screen (and whether it was printed), its signed QR code, and where the new
 * balance is — on the chip, or safe in the account until the next tap writes it.
 */
export function TopUpDone({ done, showSeconds, send }: { done: Immutable<TopUpDoneView>; showSeconds: number; send: Send }) {
  const t = useT();
  const { receipt } = done;
  const mirrorKey = `topUpDoneMirror${done.mirror}`;
  return (
    <section className="self-service top-up-done" data-self-service="top-up-done" data-mirror={done.mirror}>
      <h2>{t('topUpDoneTitle')}</h2>
      <div className="done-board">
      <div className="done-words">
        {/* A status in large type, not a paragraph (as a <p> it reads as an unmarked heading). */}
        <div className={done.mirror === 'pending' ? 'notice info big' : 'tap-here'} role="status" data-testid="mirror-state">{t.key(mirrorKey)}</div>
        <OtherLanguages messageKey={mirrorKey} />
        <p className="hint">{fill(t('topUpDoneClears'), { seconds: showSeconds })}</p>
        <div className="actions">
          <button type="button" className="primary huge" data-action="dismiss-card" onClick={() => send({ type: 'dismiss-card' })}>{t('selfServiceDone')}</button>
        </div>
      </div>
      <div className="receipt" data-testid="receipt">
        <h3>{t('receiptTitle')}</h3>
        <dl className="summary">
          <dt>{t('receiptAmount')}</dt>
          <dd className="big-number receipt-figure" data-testid="receipt-amount">{ntd(receipt.amount)}</dd>
          <dt>{t('receiptBalance')}</dt>
          <dd className="receipt-figure" data-testid="receipt-balance">{ntd(receipt.balance)}</dd>
          <dt>{t('receiptTime')}</dt>
          <dd className="receipt-figure" data-testid="receipt-time">{receiptTime(receipt.at)}</dd>
          <dt>{t('receiptCard')}</dt>
          <dd className="receipt-figure" data-testid="receipt-last4">•••• {receipt.last4}</dd>
          <dt>{t('receiptJournal')}</dt>
          <dd className="receipt-journal" data-testid="receipt-journal">{receipt.journalId}</dd>
        </dl>
        <ReceiptQr text={receipt.qr} label={t('receiptQr')} />
        <p className="receipt-printed" data-testid="receipt-printed" data-printed={receipt.printed}>{t.key(`receipt${receipt.printed}`)}</p>
      </div>
      </div>
      <div className="clears-in" style={{ animationDuration: `${showSeconds}s` }} aria-hidden="true" />
    </section>
  );
}
