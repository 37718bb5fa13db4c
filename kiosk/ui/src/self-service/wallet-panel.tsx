import type { HistoryLine, PointsView, WalletCardView } from '../../../../shared/contract/top-up';
import type { Immutable } from '../../../../shared/contract/immutable';
import type { Send } from './send';
import { useT } from '../i18n';
import { fill, lastDayOf, ntd } from './words';

type Wallet = Immutable<WalletCardView>;

/**
 * The card's money as the ledger keeps it: the balance large, the credit still on its way to the chip
 * in plain words, then how much it may take, or why it cannot be topped up.
 */
export function WalletMoney({ wallet }: { wallet: Wallet }) {
  const t = useT();
  return (
    <div className="wallet-money" data-testid="wallet">
      <div className="wallet-balance">
        <p className="label">{t('walletBalance')}</p>
        <p className="balance big-number" data-testid="card-balance">{ntd(wallet.balance)}</p>
      </div>
      {wallet.mirror === 'pending' && wallet.pendingAmount > 0 && (
        <p className="notice info" role="status" data-testid="pending-credit">{fill(t('walletPending'), { amount: ntd(wallet.pendingAmount) })}</p>
      )}
      {wallet.mirror === 'brought-forward' && <p className="notice info" role="status" data-testid="brought-forward">{t('walletBroughtForward')}</p>}
      <TopUpWords wallet={wallet} />
    </div>
  );
}

/** Beside the money: the welfare points (apart: they are not money) and the last 10 transactions. */
export function WalletSide({ wallet }: { wallet: Wallet }) {
  return (
    <div className="wallet-side">
      {wallet.points && <Points points={wallet.points} />}
      <History lines={wallet.history} />
    </div>
  );
}

/** Why this card cannot be topped up here now, or how much it may take. */
function TopUpWords({ wallet }: { wallet: Wallet }) {
  const t = useT();
  const offer = wallet.topUp;
  if (!offer.available) {
    return (
      <p className="notice warn big" role="alert" data-testid="top-up-refused" data-refusal={offer.reason}>
        {fill(t.key(`walletRefusal${offer.reason}`), { cap: ntd(wallet.cap) })}
      </p>
    );
  }
  return <p className="room" data-testid="top-up-room">{fill(t('walletTopUpRoom'), { room: ntd(offer.room), cap: ntd(wallet.cap) })}</p>;
}

/** The big Top up button, beside Done: only when the card may be topped up now. */
export function TopUpButton({ wallet, send }: { wallet: Wallet; send: Send }) {
  const t = useT();
  if (!wallet.topUp.available) return null;
  return (
    <button type="button" className="primary huge" data-action="top-up-start" onClick={() => send({ type: 'top-up-start' })}>
      {t('walletTopUp')}
    </button>
  );
}

function Points({ points }: { points: Immutable<PointsView> }) {
  const t = useT();
  return (
    <div className="points" data-testid="points">
      {/* A label and its figure (a figure in a <p> reads as a heading that is not marked as one). */}
      <dl className="points-figure">
        <dt className="label">{t('walletPoints')}</dt>
        <dd className="big-number points-balance" data-testid="points-balance">
          {points.balance.toLocaleString('en-US')} <span className="unit">{t('walletPointsUnit')}</span>
        </dd>
      </dl>
      {points.loadedNow && <p className="notice info" role="status" data-testid="points-loaded">{fill(t('walletPointsLoadedNow'), { points: points.monthly.toLocaleString('en-US') })}</p>}
      <p className="hint" data-testid="points-lapse">{fill(t('walletPointsLapse'), { day: lastDayOf(points.month) })}</p>
      <p className="hint">{t('walletPointsApart')} · {fill(t('walletPointsMonthly'), { points: points.monthly.toLocaleString('en-US') })}</p>
    </div>
  );
}

/** Money kinds in NT$, points kinds in points; what left the card with a minus sign. */
function amountText(line: Immutable<HistoryLine>, pointsUnit: string): string {
  const sign = line.amount < 0 ? '−' : '+';
  const size = Math.abs(line.amount);
  return line.kind === 'points-load' || line.kind === 'points-lapse' ? `${sign}${size.toLocaleString('en-US')} ${pointsUnit}` : `${sign}${ntd(size)}`;
}

function History({ lines }: { lines: readonly Immutable<HistoryLine>[] }) {
  const t = useT();
  return (
    <div className="history">
      <h3>{t('walletHistory')}</h3>
      {lines.length === 0 ? (
        <p className="hint" data-testid="history-empty">{t('walletHistoryEmpty')}</p>
      ) : (
        <table data-testid="history">
          <thead>
            <tr>
              <th scope="col">{t('walletHistoryDay')}</th>
              <th scope="col">{t('walletHistoryKind')}</th>
              <th scope="col">{t('walletHistoryAmount')}</th>
              <th scope="col">{t('walletHistoryKiosk')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((line, index) => (
              <tr key={index} data-kind={line.kind}>
                <td>{line.day}</td>
                <td>{t.key(`walletKind${line.kind}`)}</td>
                <td className={line.amount < 0 ? 'amount out' : 'amount in'}>{amountText(line, t('walletPointsUnit'))}</td>
                <td>{line.kioskId}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
