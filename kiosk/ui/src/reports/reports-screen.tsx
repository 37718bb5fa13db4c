import { useEffect, useState } from 'react';
import type { ReportSessionList, SessionFigures } from '../../../../shared/contract/report-figures';
import { useT } from '../i18n';
import { ReportsBody, type Loaded } from './reports-body';
import { fetchSessionFigures, fetchSessions, reportDownloadUrl } from './reports-api';
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
        <button type="button" className="reports-close" data-action="close-reports" onClick={onClose}>
          {t('close')}
        </button>
      </header>
      <ReportsBody sessions={sessions} chosen={chosen} figures={figures} onChoose={setChosen} downloadUrl={reportDownloadUrl} />
    </section>
  );
}
