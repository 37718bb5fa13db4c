import type { SelfServiceCardView, SelfServiceView } from '../../../../shared/contract/kiosk-api';
import { locales, translate, type MessageKey } from '../../../../shared/i18n/messages';
import { assertNever } from '../../../../shared/result';
import { command } from '../command';
import { useT } from '../i18n';

/**
 * The unattended kiosk's home, for people who may read slowly or not read Chinese: one big
 * instruction (in the chosen language, the other three beneath it), then the tapped card's own
 * data — never a name or an ID number — in words, not codes.
 */
export function SelfServiceScreen({ view }: { view: SelfServiceView }) {
  const t = useT();
  switch (view.state) {
    case 'ready':
      return (
        <section className="self-service" data-self-service="ready">
          <h2>{t('selfServiceTitle')}</h2>
          <p className="tap-here" role="status">
            <span className="card-icon" aria-hidden="true">▭</span>
            {t('selfServiceTapCard')}
          </p>
          <OtherLanguages messageKey="selfServiceTapCard" />
          <p className="hint">{t('selfServiceWhatYouSee')}</p>
          <p className="reader-arrow" aria-hidden="true">▼</p>
          <p className="staff-hint">{t('selfServiceStaffHint')}</p>
        </section>
      );
    case 'reading':
      return (
        <section className="self-service" data-self-service="reading">
          <p className="tap-here" role="status">{t('selfServiceReading')}</p>
        </section>
      );
    case 'card':
      return <OwnCard card={view.card} showSeconds={view.showSeconds} />;
    case 'problem':
      return (
        <section className="self-service" data-self-service="problem">
          <p className="notice warn big" role="alert" data-problem={view.problem}>{t.key(`selfServiceProblem${view.problem}`)}</p>
          <OtherLanguages messageKey={`selfServiceProblem${view.problem}`} />
          <p className="tap-here">{t('selfServiceTryAgain')}</p>
        </section>
      );
    case 'out-of-service':
      return (
        <section className="self-service closed" data-self-service="out-of-service">
          <h2>{t('selfServiceClosedTitle')}</h2>
          <p className="out-of-service" role="alert" data-closure={view.reason}>{t.key(`selfServiceClosure${view.reason}`)}</p>
          <OtherLanguages messageKey={`selfServiceClosure${view.reason}`} />
        </section>
      );
    case 'top-up':
    case 'top-up-done':
      return null; // FOUNDATION: the top-up screens are being built (issue 15)
    default:
      return assertNever(view);
  }
}

/** The same words, smaller, in the three other languages: for whoever cannot read the first. */
function OtherLanguages({ messageKey }: { messageKey: string }) {
  const t = useT();
  return (
    <ul className="other-languages" aria-hidden="true">
      {locales.filter((locale) => locale !== t.locale).map((locale) => (
        <li key={locale} lang={locale}>{translate(locale, messageKey)}</li>
      ))}
    </ul>
  );
}

function OwnCard({ card, showSeconds }: { card: SelfServiceCardView; showSeconds: number }) {
  const t = useT();
  const blocked = card.status === 'hot-listed' || card.status === 'void';
  const statusKey: MessageKey = `selfServiceStatus${card.status}`;
  return (
    <section className={`self-service own-card ${blocked ? 'blocked' : card.status}`} data-self-service="card" data-status={card.status}>
      <h2>{t('selfServiceYourCard')}</h2>
      <p className="card-status" role="status">{t(statusKey)}</p>
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
        {card.balance !== null && (
          <>
            <dt>{t('balance')}</dt>
            <dd className="balance" data-testid="card-balance">NT$ {card.balance.toLocaleString('en-US')}</dd>
          </>
        )}
      </dl>
      <p className="hint">{t('selfServicePrivacy').replace('{seconds}', String(showSeconds))}</p>
      <div className="actions">
        <button type="button" className="primary" onClick={() => command({ type: 'dismiss-card' })}>{t('selfServiceDone')}</button>
      </div>
      <div className="clears-in" style={{ animationDuration: `${showSeconds}s` }} aria-hidden="true" />
    </section>
  );
}
