import type { z } from 'zod';
import {
  periodFiguresSchema, reportSessionListSchema, sessionFiguresSchema, type PeriodFigures, type ReportSessionList, type SessionFigures,
} from '../../../../shared/contract/report-figures';
import { kioskToken, withToken } from '../api';

/**
 * The supervisor's figures from /api/reports/ (kiosk/controller/api/report-routes.ts), read with the
 * contract's schemas like every answer from the controller. A refusal or an unreadable answer is an
 * error: the screen says the figures could not be read.
 */
async function getJson<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
  const response = await fetch(path, { headers: { authorization: `Bearer ${kioskToken()}` }, cache: 'no-store' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return schema.parse(await response.json());
}

export const fetchSessions = (): Promise<ReportSessionList> => getJson('api/reports/sessions', reportSessionListSchema);
export const fetchSessionFigures = (sessionId: string): Promise<SessionFigures> => getJson(`api/reports/${encodeURIComponent(sessionId)}/figures`, sessionFiguresSchema);

export const fetchPeriodFigures = (from: string, to: string): Promise<PeriodFigures> =>
  getJson(`api/reports/period?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`, periodFiguresSchema);

/** A session's report file to download: a plain link (the token in it, as a link cannot send a header). */
export const reportDownloadUrl = (sessionId: string, kind: 'pdf' | 'csv'): string => withToken(`api/reports/${encodeURIComponent(sessionId)}/report.${kind}`);
