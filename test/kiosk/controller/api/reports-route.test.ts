import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApiServer, type ApiServer } from '../../../../kiosk/controller/api/server';
import { reportService } from '../../../../kiosk/controller/reports/report-service';
import type { KioskSnapshot } from '../../../../shared/contract/kiosk-api';
import { periodFiguresSchema, reportSessionListSchema, sessionFiguresSchema } from '../../../../shared/contract/report-figures';
import { seededStore, sessionId, site } from '../reports/seeded-store';
import type { TempStore } from '../store/temp-store';

const token = 'launch-token-0123456789';
const uiDir = join(import.meta.dirname, '../../../../kiosk/ui/dist');

function get(port: number, path: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; body: Buffer; headers: Record<string, string | string[] | undefined> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}

let seed: TempStore;
let server: ApiServer;
let supervisor = true;
const auth = { authorization: `Bearer ${token}` };

beforeAll(async () => {
  if (!existsSync(join(uiDir, 'report.html'))) throw new Error('the UI is not built: npx vite build --config kiosk/ui/vite.config.ts');
  seed = await seededStore();
  server = await startApiServer({
    port: 0,
    token,
    uiDir,
    log: () => {},
    handlers: {
      snapshot: () => ({}) as unknown as KioskSnapshot,
      command: async () => ({ accepted: true }),
      preview: () => null,
      health: () => ({}),
      reports: reportService(seed.store, { dataDir: seed.dir, uiDir, mayView: () => supervisor }),
    },
  });
}, 60_000);
afterAll(async () => {
  await server.close();
  await seed.cleanup();
});

describe('the report routes under /api/reports/', () => {
  it('need the launch token, and a signed-in supervisor', async () => {
    expect((await get(server.port, `/api/reports/${sessionId}/figures`)).status).toBe(401);
    supervisor = false;
    const refused = await get(server.port, `/api/reports/${sessionId}/figures`, auth);
    supervisor = true;
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body.toString())).toMatchObject({ code: 'role' });
    expect((await get(server.port, `/api/reports/${sessionId}/report.pdf`, {})).status).toBe(401);
  });

  it('list the sessions and give a session’s figures as JSON for the screen', async () => {
    const list = await get(server.port, '/api/reports/sessions', auth);
    expect(reportSessionListSchema.parse(JSON.parse(list.body.toString()))).toEqual([
      { id: sessionId, site, mode: 'transit-station', openedAt: '2026-03-01T01:00:00Z', closedAt: '2026-03-01T03:00:00Z' },
    ]);
    const figures = await get(server.port, `/api/reports/${sessionId}/figures`, auth);
    expect(figures.status).toBe(200);
    expect(sessionFiguresSchema.parse(JSON.parse(figures.body.toString())).cards.issued).toBe(3);
    expect((await get(server.port, '/api/reports/01950000-0000-7000-8000-00000000dead/figures', auth)).status).toBe(404);
    expect((await get(server.port, '/api/reports/..%2F..%2Fkiosk.key/report.csv', auth)).status).toBe(404);
  });

  it('give a period’s figures, refusing dates that are not', async () => {
    const period = await get(server.port, '/api/reports/period?from=2026-03-01&to=2026-03-01', auth);
    expect(periodFiguresSchema.parse(JSON.parse(period.body.toString())).cards.issued).toBe(5);
    expect((await get(server.port, '/api/reports/period?from=2026-03-01&to=yesterday', auth)).status).toBe(400);
  });

  it('download the PDF (written under the data directory at the first ask) and the CSV, with the token in the link', async () => {
    const pdf = await get(server.port, `/api/reports/${sessionId}/report.pdf?token=${token}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.headers['content-disposition']).toBe(`attachment; filename="session-${sessionId}.pdf"`);
    expect(pdf.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const file = join(seed.dir, 'reports', `${sessionId}.pdf`);
    expect(existsSync(file)).toBe(true);
    expect(execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' })).toContain(site);
    const csv = await get(server.port, `/api/reports/${sessionId}/report.csv?token=${token}`);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.toString('utf8')).toContain('cards,issued,3');
  });

  it('serve a closed session’s report as written, not printed again', async () => {
    const file = join(seed.dir, 'reports', `${sessionId}.csv`);
    writeFileSync(file, 'as written at the close');
    const csv = await get(server.port, `/api/reports/${sessionId}/report.csv`, auth);
    expect(csv.body.toString('utf8')).toBe('as written at the close');
  });
});
