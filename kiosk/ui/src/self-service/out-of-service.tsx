import type { Immutable } from '../../../../shared/contract/immutable';
import type { SelfServiceClosure } from '../../../../shared/contract/kiosk-api';
import type { MoneyNotice } from '../../../../shared/contract/top-up';
import { useT } from '../i18n';
import { OtherLanguages } from './other-languages';
import { fill, ntd } from './words';

/** Closed: why, in words, and — when someone's money was in play — exactly what happened to it. */
export function OutOfService({ reason, money }: { reason: SelfServiceClosure; money: Immutable<MoneyNotice> | undefined }) {
  const t = useT();
  return (
    <section className={money ? 'self-service closed with-money' : 'self-service closed'} data-self-service="out-of-service">
      <h2>{t('selfServiceClosedTitle')}</h2>
      <p className="out-of-service" role="alert" data-closure={reason}>{t.key(`selfServiceClosure${reason}`)}</p>
      <OtherLanguages messageKey={`selfServiceClosure${reason}`} />
      {money && <YourMoney money={money} />}
    </section>
  );
}

function YourMoney({ money }: { money: Immutable<MoneyNotice> }) {
  const t = useT();
  const lines: { key: string; kind: string; values: Record<string, string> }[] = [];
  if (money.credited > 0) lines.push({ key: 'moneyCredited', kind: 'credited', values: { amount: ntd(money.credited), last4: money.last4 } });
  if (money.returned > 0) lines.push({ key: 'moneyReturned', kind: 'returned', values: { amount: ntd(money.returned) } });
  if (money.inDoubt > 0) lines.push({ key: 'moneyInDoubt', kind: 'in-doubt', values: { amount: ntd(money.inDoubt) } });
  if (lines.length === 0) lines.push({ key: 'moneyNone', kind: 'none', values: {} });
  return (
    <div className="your-money" data-testid="money">
      <h3>{t('moneyTitle')}</h3>
      {lines.map((line) => (
        <div key={line.kind} className={line.kind === 'in-doubt' ? 'notice error big' : 'notice info big'} data-money={line.kind}>
          <p>{fill(t.key(line.key), line.values)}</p>
          <OtherLanguages messageKey={line.key} values={line.values} />
        </div>
      ))}
    </div>
  );
}
