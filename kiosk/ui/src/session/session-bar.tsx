import type { ServiceSessionView } from '../../../../shared/contract/kiosk-api';
import { transitSchemes } from '../../../../shared/domain/card-types';
import { useT } from '../i18n';
import { fill, modeName, schemeName, warningIsUrgent, warningText } from './stock-words';

/** What the bar's buttons open: the blanks (load, return) or the closing count. */
export type SessionDeskView = 'stock' | 'close';

/**
 * The service session on every staffed screen, one row under the header: where, the blanks free per
 * scheme (in hand beside), the ribbon's cards, and what will run out before the next applicant. While
 * the blanks are being counted for the close, their numbers and warnings are hidden: the count is blind.
 */
export function SessionBar({ session, counting, onOpenDesk }: { session: ServiceSessionView | null; counting: boolean; onOpenDesk: ((view: SessionDeskView) => void) | null }) {
  const t = useT();
  if (!session) {
    return (
      <section className="session-bar none" data-testid="service-session" data-session-open="false" aria-label={t('sessionBarTitle')}>
        <p className="session-none">{t('sessionNone')}</p>
      </section>
    );
  }
  const urgent = session.warnings.some(warningIsUrgent);
  return (
    <section className={urgent ? 'session-bar urgent' : 'session-bar'} data-testid="service-session" data-session-open="true" aria-label={t('sessionBarTitle')}>
      <div className="session-row">
        <p className="session-where">
          <strong>{session.site}</strong>
          <small>{modeName(t.locale, session.mode)}</small>
        </p>
        {transitSchemes.map((scheme) => {
          const stock = session.stock[scheme];
          return (
            <p key={scheme} className="stock-figure" data-stock-scheme={scheme}>
              <span className="stock-name">{schemeName(t.locale, scheme)}</span>
              {counting ? (
                <span className="stock-counting">{t('stockCounting')}</span>
              ) : (
                <span className="stock-numbers">
                  <strong data-stock-free={stock.free}>{stock.free}</strong> {t('stockFreeLabel')}
                  <small data-stock-in-hand={stock.inHand}>{fill(t('stockInHand'), { n: stock.inHand })}</small>
                </span>
              )}
            </p>
          );
        })}
        <p className="stock-figure" data-stock-ribbon={session.ribbon.cardsFree ?? 'unknown'}>
          <span className="stock-name">{t('stockRibbon')}</span>
          <span className="stock-numbers">
            {session.ribbon.cardsFree === null ? t('stockRibbonUnread') : fill(t('stockRibbonCards'), { n: session.ribbon.cardsFree })}
          </span>
        </p>
        {/* A live region always there (not a list with a role): a warning is read out when it appears, before the next applicant. */}
        <div className="stock-warnings" role="status">
          {/* A blanks-low warning says how many are left: none while counting. */}
          {!counting && session.warnings.map((warning) => (
              <p
                key={`${warning.kind}-${'scheme' in warning ? warning.scheme : 'ribbon'}`}
                className={warningIsUrgent(warning) ? 'stock-warning urgent' : 'stock-warning'}
                data-testid="stock-warning"
                data-warning-kind={warning.kind}
                {...('scheme' in warning ? { 'data-warning-scheme': warning.scheme } : {})}
              >
                <span aria-hidden="true">⚠</span> {warningText(t.locale, warning)}
              </p>
          ))}
        </div>
        {onOpenDesk && (
          <div className="session-actions">
            <button type="button" data-action="session-stock" onClick={() => onOpenDesk('stock')}>{t('sessionManage')}</button>
            <button type="button" data-action="session-close" onClick={() => onOpenDesk('close')}>{t('closeSessionTitle')}</button>
          </div>
        )}
      </div>
    </section>
  );
}
