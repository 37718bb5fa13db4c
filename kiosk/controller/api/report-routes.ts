import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ReportService } from '../reports/report-service';

/**
 * The supervisor's figures and report downloads, under /api/reports/ (the launch token is checked before
 * this, as for all of /api/; the role here):
 *   GET /api/reports/sessions                     the sessions, newest first (JSON)
 *   GET /api/reports/period?from=YYYY-MM-DD&to=…  a period's figures (JSON)
 *   GET /api/reports/<session id>/figures         a session's figures (JSON)
 *   GET /api/reports/<session id>/report.pdf|csv  the report files, as downloads
 */
export async function serveReports(
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  reports: ReportService | undefined,
  sendJson: (response: ServerResponse, status: number, body: unknown) => void,
): Promise<void> {
  if (!reports) return sendJson(response, 404, { error: 'no reports on this kiosk' });
  if (request.method !== 'GET') return sendJson(response, 405, { error: 'reports are only read' });
  if (!reports.mayView()) return sendJson(response, 403, { error: 'only a signed-in supervisor may see the figures and reports', code: 'role' });
  const path = url.pathname.slice('/api/reports/'.length);
  if (path === 'sessions') return sendJson(response, 200, await reports.sessions());
  if (path === 'period') {
    const found = await reports.period(url.searchParams.get('from') ?? '', url.searchParams.get('to') ?? '');
    if (!found.ok) return sendJson(response, 400, { error: found.error.kind === 'invalid_date' ? 'from and to are dates YYYY-MM-DD' : 'from is after to', code: 'invalid-input' });
    return sendJson(response, 200, found.value);
  }
  const [sessionId = '', item, ...more] = path.split('/');
  if (more.length > 0) return sendJson(response, 404, { error: 'no such report' });
  if (item === 'figures') {
    const figures = await reports.figures(sessionId);
    return figures ? sendJson(response, 200, figures) : sendJson(response, 404, { error: 'no such session' });
  }
  if (item === 'report.pdf' || item === 'report.csv') {
    const kind = item === 'report.pdf' ? 'pdf' : 'csv';
    const file = await reports.file(sessionId, kind);
    if (!file.ok) {
      return file.error.kind === 'no_such_session'
        ? sendJson(response, 404, { error: 'no such session' })
        : sendJson(response, 503, { error: 'the PDF report could not be printed (see the controller log)' });
    }
    response.writeHead(200, {
      'content-type': kind === 'pdf' ? 'application/pdf' : 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="session-${sessionId}.${kind}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    });
    response.end(file.value);
    return;
  }
  return sendJson(response, 404, { error: 'no such report' });
}
