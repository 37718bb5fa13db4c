import { useEffect } from 'react';
import { createRoot } from 'react-dom/client';
import { reportFiguresSchema, type SessionFigures } from '../../../../shared/contract/report-figures';
import { translate } from '../../../../shared/i18n/messages';
import { printLayout, SessionReport } from './session-report';
import './report-print.css';

/**
 * The printed report (report.html): the controller's PDF writer opens this page in headless Chromium with
 * the figures set on `window.kioskReport`, waits for `data-report-ready`, and prints it to A4. Chinese
 * first with the English label beside it, as the city's forms are.
 */
declare global {
  interface Window {
    kioskReport?: unknown;
  }
}

const bilingual = (key: string): string => {
  const zh = translate('zh-TW', key);
  const en = translate('en', key);
  return zh === en ? zh : `${zh} ${en}`;
};

function PrintedReport({ figures }: { figures: SessionFigures }) {
  useEffect(() => {
    // After the first paint with the charts laid out: the writer may print now.
    requestAnimationFrame(() => requestAnimationFrame(() => document.documentElement.setAttribute('data-report-ready', 'true')));
  }, []);
  return <SessionReport figures={figures} label={bilingual} layout={printLayout} />;
}

const parsed = reportFiguresSchema.safeParse(window.kioskReport);
const root = createRoot(document.getElementById('root')!);
if (parsed.success && parsed.data.kind === 'session') {
  root.render(<PrintedReport figures={parsed.data} />);
} else {
  // Never prints a half-read report: the writer waits for ready and fails on this mark instead.
  document.documentElement.setAttribute('data-report-ready', 'unreadable');
}
