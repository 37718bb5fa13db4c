import { useState } from 'react';
import { feeWaiverReasons, type FeeDueView, type FeeWaiverReason } from '../../../../shared/contract/fee';
import type { KioskCommand } from '../../../../shared/contract/kiosk-api';
import { useT } from '../i18n';

/** Sends a fee command (the screens' `command`; tests pass their own). */
type Send = (command: KioskCommand) => Promise<unknown>;

/**
 * The replacement's fee on the review (issue 16): its amount and cause, and how the operator records
 * it — paid in cash, paid from the replaced card's e-wallet (its balance shown; only when the ledger
 * keeps one that holds the fee), or waived for a reason from the fixed list (a supervisor approves with
 * card and PIN). The print is refused until one is recorded; a choice may be changed until then.
 */
export function FeePanel({ fee, send }: { fee: FeeDueView | null; send: Send }) {
  const t = useT();
  const [waiving, setWaiving] = useState(false);
  const [reason, setReason] = useState<FeeWaiverReason | null>(null);
  if (!fee) return null;
  const money = (amount: number): string => `NT$${amount.toLocaleString('en-US')}`;
  const walletHolds = fee.wallet !== null && fee.wallet.balance >= fee.amount;
  const settled = fee.settled;
  return (
    <section className="fee-panel" data-testid="fee-panel" data-settled={settled?.method ?? 'none'} aria-labelledby="fee-title">
      <h3 id="fee-title">
        {t('feeTitle')} <span className="fee-amount" data-testid="fee-amount">{money(fee.amount)}</span>
      </h3>
      {fee.cause && <p className="fee-cause">{t('feeCauseLine').replace('{cause}', t.key(`cause${fee.cause}`))}</p>}
      <p className="fee-wallet" data-testid="fee-wallet">
        {fee.walletLooking
          ? t('feeWalletLooking')
          : fee.wallet
            ? `${t('feeWalletBalance').replace('{last4}', fee.wallet.last4).replace('{balance}', fee.wallet.balance.toLocaleString('en-US'))}${walletHolds ? '' : ` · ${t('feeWalletShort')}`}`
            : t('feeWalletNone')}
      </p>
      <p className={settled ? 'notice ok fee-status' : 'notice warn fee-status'} role="status" data-testid="fee-status">
        {settled ? settledWords(t, settled, fee.amount) : t('feeChoose')}
      </p>
      <div className="fee-choices" role="group" aria-label={t('feeTitle')}>
        <button type="button" className="secondary" aria-pressed={settled?.method === 'cash'} data-fee="cash" onClick={() => void send({ type: 'settle-fee', method: 'cash' })}>
          {t('feePayCash')}
        </button>
        <button type="button" className="secondary" aria-pressed={settled?.method === 'wallet'} data-fee="wallet" disabled={!walletHolds} onClick={() => void send({ type: 'settle-fee', method: 'wallet' })}>
          {t('feePayWallet')}
        </button>
        <button type="button" className="secondary" aria-pressed={settled?.method === 'waived'} aria-expanded={waiving} data-fee="waive" onClick={() => setWaiving(!waiving)}>
          {t('feeWaive')}
        </button>
      </div>
      {waiving && (
        <fieldset className="fee-waiver">
          <legend>{t('feeWaiverReasonLabel')}</legend>
          {feeWaiverReasons.map((code) => (
            <label key={code} className="fee-reason">
              <input type="radio" name="fee-waiver-reason" value={code} checked={reason === code} onChange={() => setReason(code)} />
              {t.key(`feeWaiver${code}`)}
            </label>
          ))}
          <button
            type="button"
            className="primary"
            data-fee="waive-confirm"
            disabled={reason === null}
            onClick={() => {
              if (reason) void send({ type: 'waive-fee', reason }).then(() => setWaiving(false));
            }}
          >
            {t('feeWaiveConfirm')}
          </button>
        </fieldset>
      )}
    </section>
  );
}

function settledWords(t: ReturnType<typeof useT>, settled: NonNullable<FeeDueView['settled']>, amount: number): string {
  const words = t.key(`feeSettled${settled.method}`).replace('{amount}', amount.toLocaleString('en-US'));
  if (settled.method !== 'waived') return words;
  const reason = settled.waiverReason ? t.key(`feeWaiver${settled.waiverReason}`) : '';
  return `${words.replace('{reason}', reason)}${settled.approved ? ` · ${t('feeApproved')}` : ''}`;
}
