import { existsSync, readFileSync } from 'node:fs';
import type { PeriodFigures, ReportSessionList, SessionFigures } from '../../../shared/contract/report-figures';
import type { Result } from '../../../shared/result';
import type { Store } from '../store/store';
import { figuresOfPeriod, figuresOfSession, type PeriodError } from './from-store';
import { isSessionId, reportFile, writeSessionReport, type WriteReportError, type WriteReportOptions } from './write-report';

/** What the API's report routes (api/report-routes.ts) ask of the controller. */
export interface ReportService {
  /** Whether the person signed in may see figures and download reports now (the permission table's `view-reports`). */
  mayView(): boolean;
  sessions(): Promise<ReportSessionList>;
  figures(sessionId: string): Promise<SessionFigures | null>;
  period(from: string, to: string): Promise<Result<PeriodFigures, PeriodError>>;
  /**
   * A session's report file. A closed session's report is written once (at its close, or at the first
   * download) and then served as it is; an open session's is printed afresh each time (its figures move).
   */
  file(sessionId: string, kind: 'pdf' | 'csv'): Promise<Result<Buffer, WriteReportError>>;
}

const listedSessions = 50;

export function reportService(store: Pick<Store, 'reportRows'>, options: WriteReportOptions & { readonly mayView: () => boolean }): ReportService {
  return {
    mayView: options.mayView,
    sessions: async () => (await store.reportRows.sessions(listedSessions)).map(({ id, site, mode, openedAt, closedAt }) => ({ id, site, mode, openedAt, closedAt })),
    figures: (sessionId) => (isSessionId(sessionId) ? figuresOfSession(store, sessionId) : Promise.resolve(null)),
    period: (from, to) => figuresOfPeriod(store, from, to),
    async file(sessionId, kind) {
      if (!isSessionId(sessionId)) return { ok: false, error: { kind: 'no_such_session' } };
      const session = (await store.reportRows.session(sessionId))?.session;
      if (!session) return { ok: false, error: { kind: 'no_such_session' } };
      const path = reportFile(options.dataDir, sessionId, kind);
      if (session.closedAt === null || !existsSync(path)) {
        const written = await writeSessionReport(store, sessionId, options);
        // The CSV is written even when the PDF could not be printed.
        if (!written.ok && !(kind === 'csv' && written.error.kind === 'pdf_failed')) return written;
      }
      return { ok: true, value: readFileSync(path) };
    },
  };
}
