import type { ReportSessionList, SessionFigures } from '../../../../shared/contract/report-figures';
import { useT } from '../i18n';
import { localTime, screenLayout, SessionReport } from './session-report';

export type Loaded<T> = { readonly state: 'loading' } | { readonly state: 'failed' } | { readonly state: 'ready'; readonly value: T };

/** The screen's content for what has loaded: pure, so the tests render it without a controller. */
export function ReportsBody({
  sessions,
  chosen,
  figures,
  onChoose,
  downloadUrl,
}: {
  sessions: Loaded<ReportSessionList>;
  chosen: string | null;
  figures: Loaded<SessionFigures>;
  onChoose: (sessionId: string) => void;
  downloadUrl: (sessionId: string, kind: 'pdf' | 'csv') => string;
}) {
  const t = useT();
  if (sessions.state === 'loading') return <p className="reports-status">{t('reportLoading')}</p>;
  if (sessions.state === 'failed') return <p className="reports-status" role="alert">{t('reportLoadFailed')}</p>;
  if (sessions.value.length === 0) return <p className="reports-status">{t('reportNoSessions')}</p>;
  return (
    <div className="reports-body">
      <nav className="reports-sessions" aria-label={t('reportSessions')}>
        {sessions.value.map((session) => (
          <button
            key={session.id}
            type="button"
            aria-pressed={session.id === chosen}
            data-report-session={session.id}
            onClick={() => onChoose(session.id)}
          >
            <strong>{session.site}</strong>
            <small>
              {localTime(session.openedAt)} · {t.key(`reportMode${session.mode}`)}
              {session.closedAt === null && ` · ${t('reportStillOpen')}`}
            </small>
          </button>
        ))}
      </nav>
      <div className="reports-figures">
        {chosen && (
          <p className="reports-downloads">
            <a className="button" href={downloadUrl(chosen, 'pdf')} download data-action="download-report-pdf">
              {t('reportDownloadPdf')}
            </a>
            <a className="button" href={downloadUrl(chosen, 'csv')} download data-action="download-report-csv">
              {t('reportDownloadCsv')}
            </a>
          </p>
        )}
        {figures.state === 'loading' && <p className="reports-status">{t('reportLoading')}</p>}
        {figures.state === 'failed' && (
          <p className="reports-status" role="alert">
            {t('reportLoadFailed')}
          </p>
        )}
        {figures.state === 'ready' && <SessionReport figures={figures.value} label={t.key} layout={screenLayout} />}
      </div>
    </div>
  );
}
