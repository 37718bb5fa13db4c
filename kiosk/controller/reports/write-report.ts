import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../../../shared/result';
import type { Store } from '../store/store';
import { figuresCsv } from './csv';
import { figuresOfSession } from './from-store';
import { printSessionPdf, type PdfOptions } from './pdf';

/** Where a session's report files go: `<data dir>/reports/<session id>.pdf|csv`. */
export const reportsDir = (dataDir: string): string => join(dataDir, 'reports');

/** Session ids are UUIDs: anything else never becomes a file name. */
const sessionIdPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isSessionId = (text: string): boolean => sessionIdPattern.test(text);

export function reportFile(dataDir: string, sessionId: string, kind: 'pdf' | 'csv'): string {
  if (!isSessionId(sessionId)) throw new Error('a report file is named by a session id');
  return join(reportsDir(dataDir), `${sessionId}.${kind}`);
}

export interface WriteReportOptions extends PdfOptions {
  readonly dataDir: string;
}

export type WriteReportError =
  | { readonly kind: 'no_such_session' }
  /** The CSV was written; the PDF could not be printed (Chromium missing, UI not built...). */
  | { readonly kind: 'pdf_failed'; readonly message: string; readonly csv: string };

/**
 * A session's report on closing: the CSV of its figures, then the PDF, under `<data dir>/reports/`.
 * Each file appears whole or not at all (written aside, then renamed). Call it after the close has
 * committed; it may be called again (e.g. by a supervisor's download) and rewrites both.
 */
export async function writeSessionReport(
  store: Pick<Store, 'reportRows'>,
  sessionId: string,
  options: WriteReportOptions,
): Promise<Result<{ readonly pdf: string; readonly csv: string }, WriteReportError>> {
  if (!isSessionId(sessionId)) return err({ kind: 'no_such_session' });
  const figures = await figuresOfSession(store, sessionId);
  if (!figures) return err({ kind: 'no_such_session' });
  mkdirSync(reportsDir(options.dataDir), { recursive: true, mode: 0o700 });
  const csv = reportFile(options.dataDir, sessionId, 'csv');
  writeWhole(csv, figuresCsv(figures));
  let pdfBytes: Buffer;
  try {
    pdfBytes = await printSessionPdf(figures, options);
  } catch (error) {
    return err({ kind: 'pdf_failed', message: (error as Error).message, csv });
  }
  const pdf = reportFile(options.dataDir, sessionId, 'pdf');
  writeWhole(pdf, pdfBytes);
  return ok({ pdf, csv });
}

/** Written aside under a name of its own (a close and a download may write at once), then renamed over. */
function writeWhole(file: string, content: string | Buffer): void {
  const aside = `${file}.${randomUUID()}.partial`;
  writeFileSync(aside, content, { mode: 0o600 });
  renameSync(aside, file);
}
