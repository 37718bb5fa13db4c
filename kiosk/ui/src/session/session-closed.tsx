import { transitSchemes } from '../../../../shared/domain/card-types';
import { useT } from '../i18n';
import { CountComparison } from './count-comparison';
import type { ClosingSession } from './session-commands';
import { fill } from './stock-words';

/**
 * After the close: the count against the ledger, whether a discrepancy was booked, and the session's
 * report — its links for a supervisor (the report routes are theirs); an operator who closed with a
 * supervisor's approval is told where the supervisor finds it.
 */
export function SessionClosed({ closed, reportUrl, mayDownload, onDismiss }: { closed: ClosingSession; reportUrl: (kind: 'pdf' | 'csv') => string; mayDownload: boolean; onDismiss: () => void }) {
  const t = useT();
  const balanced = transitSchemes.every((scheme) => closed.counted[scheme] === closed.ledger[scheme]);
  return (
    <section className="session-closed" data-testid="session-closed" data-session-id={closed.sessionId} data-balanced={balanced}>
      <h2>{fill(t('sessionClosedTitle'), { site: closed.site })}</h2>
      <CountComparison lines={transitSchemes.map((scheme) => ({ scheme, ledger: closed.ledger[scheme], counted: closed.counted[scheme] }))} />
      <p>{balanced ? t('sessionClosedBalanced') : t('sessionClosedDiscrepancy')}</p>
      <div className="session-submit">
        {mayDownload ? (
          <>
            <a className="button-link" data-testid="session-report" href={reportUrl('pdf')} target="_blank" rel="noreferrer">{t('sessionClosedReport')}</a>
            <a className="button-link secondary" data-testid="session-report-csv" href={reportUrl('csv')} download>{t('sessionClosedReportCsv')}</a>
          </>
        ) : (
          <p data-testid="session-report-supervisor">{t('sessionClosedReportSupervisor')}</p>
        )}
        <button type="button" className="secondary" onClick={onDismiss}>{t('close')}</button>
      </div>
    </section>
  );
}
