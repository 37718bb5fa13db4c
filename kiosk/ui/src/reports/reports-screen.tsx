import { useEffect, useState } from 'react';
import type { PeriodFigures, ReportSessionList, SessionFigures } from '../../../../shared/contract/report-figures';
import { useT } from '../i18n';
import { PeriodReport } from './period-report';
import { ReportsBody, type Loaded } from './reports-body';
import { fetchPeriodFigures, fetchSessionFigures, fetchSessions, reportDownloadUrl } from './reports-api';
import { screenLayout } from './session-report';
import './reports-screen.css';

/**
 * The supervisor's figures (opened from the header, `#reports`): the sessions, newest first; the chosen
 * one's charts in large type, readable at arm's length; its PDF report and CSV to download.
 */
export function ReportsScreen({ onClose }: { onClose: () => void }) {
  const t = useT();
  const [sessions, setSessions] = useState<Loaded<ReportSessionList>>({ state: 'loading' });
  const [chosen, setChosen] = useState<string | null>(null);
  const [figures, setFigures] = useState<Loaded<SessionFigures>>({ state: 'loading' });
  const [view, setView] = useState<'sessions' | 'period'>('sessions');

  useEffect(() => {
    fetchSessions().then(
      (list) => {
        setSessions({ state: 'ready', value: list });
        setChosen((current) => current ?? list[0]?.id ?? null);
      },
      () => setSessions({ state: 'failed' }),
    );
  }, []);
  useEffect(() => {
    if (!chosen) return;
    setFigures({ state: 'loading' });
    fetchSessionFigures(chosen).then(
      (value) => setFigures({ state: 'ready', value }),
      () => setFigures({ state: 'failed' }),
    );
  }, [chosen]);

  return (
    <section className="reports-screen" data-testid="reports-screen" role="dialog" aria-label={t('reportScreenTitle')}>
      <header className="reports-bar">
        <h2>{t('reportScreenTitle')}</h2>
        <nav className="reports-views">
          <button type="button" aria-pressed={view === 'sessions'} data-action="report-sessions" onClick={() => setView('sessions')}>
            {t('reportSessions')}
          </button>
          <button type="button" aria-pressed={view === 'period'} data-action="report-period" onClick={() => setView('period')}>
            {t('reportPeriodTitle')}
          </button>
        </nav>
        <button type="button" className="reports-close" data-action="close-reports" onClick={onClose}>
          {t('close')}
        </button>
      </header>
      {view === 'sessions' ? (
        <ReportsBody sessions={sessions} chosen={chosen} figures={figures} onChoose={setChosen} downloadUrl={reportDownloadUrl} />
      ) : (
        <PeriodPanel />
      )}
    </section>
  );
}

/** `YYYY-MM-DD` in Taiwan time, `daysBack` days ago. */
function taiwanDay(daysBack = 0): string {
  return new Date(Date.now() + 8 * 3_600_000 - daysBack * 86_400_000).toISOString().slice(0, 10);
}

/** A period's figures: the last 30 days by default, any days the supervisor picks. */
function PeriodPanel() {
  const t = useT();
  const [from, setFrom] = useState(() => taiwanDay(29));
  const [to, setTo] = useState(() => taiwanDay());
  const [figures, setFigures] = useState<Loaded<PeriodFigures>>({ state: 'loading' });
  const load = (): void => {
    setFigures({ state: 'loading' });
    fetchPeriodFigures(from, to).then(
      (value) => setFigures({ state: 'ready', value }),
      () => setFigures({ state: 'failed' }),
    );
  };
  // The first load; later ones when the supervisor asks (Show).
  useEffect(load, []);
  return (
    <div className="reports-period">
      <form
        className="reports-period-form"
        onSubmit={(event) => {
          event.preventDefault();
          load();
        }}
      >
        <input type="date" name="from" value={from} onChange={(event) => setFrom(event.target.value)} aria-label="from" />
        <span>–</span>
        <input type="date" name="to" value={to} onChange={(event) => setTo(event.target.value)} aria-label="to" />
        <button type="submit" data-action="show-period">
          {t('reportPeriodTitle')}
        </button>
      </form>
      {figures.state === 'loading' && <p className="reports-status">{t('reportLoading')}</p>}
      {figures.state === 'failed' && (
        <p className="reports-status" role="alert">
          {t('reportLoadFailed')}
        </p>
      )}
      {figures.state === 'ready' && <PeriodReport figures={figures.value} label={t.key} layout={screenLayout} />}
    </div>
  );
}
