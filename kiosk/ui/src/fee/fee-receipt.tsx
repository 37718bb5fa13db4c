import type { FeeView } from '../../../../shared/contract/fee';
import { useT } from '../i18n';
import { ReceiptQr } from '../self-service/receipt-qr';

/**
 * A paid fee's signed receipt on the done view (issue 16): its number and a QR code of the signed text,
 * which `kioskctl receipt verify` checks (the same text is printed where a receipt printer exists).
 * A waiver says why; a free card or a fee without a receipt shows nothing more here.
 */
export function FeeReceiptView({ fee }: { fee: FeeView | null }) {
  const t = useT();
  if (!fee || fee.amount === 0) return null;
  if (fee.method === 'waived') {
    return <p className="fee-done" data-testid="fee-done-waived">{t('feeDoneWaived').replace('{reason}', fee.waiverReason ? t.key(`feeWaiver${fee.waiverReason}`) : '')}</p>;
  }
  if (!fee.receipt || !fee.receiptId) return null;
  return (
    <section className="fee-receipt" data-testid="fee-receipt" data-receipt={fee.receipt} aria-label={t('feeReceiptTitle')}>
      <h4>{t('feeReceiptTitle')}</h4>
      <ReceiptQr text={fee.receipt} label={t('feeReceiptScan')} />
      <p className="hint">{t('feeReceiptScan')}</p>
      <p className="fee-receipt-id">{t('feeReceiptId')} <code>{fee.receiptId}</code></p>
    </section>
  );
}
