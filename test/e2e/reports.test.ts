import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../hardware/host/child-processes';
import type { RunningKiosk } from '../../kiosk/controller/main';
import { launchChromium, type TestBrowser } from '../helpers/chromium';
import { screenshot, signInAt, startTestKiosk, type TestKiosk } from '../helpers/kiosk';

/**
 * The supervisor's figures in Chromium against a whole kiosk: a closed session is put in its store (plain
 * SQL into the 005 tables, as the session backend would leave it), the supervisor opens the figures from
 * the header, the charts are drawn, and the PDF downloaded from the screen reads back with the totals.
 * An operator sees no link and the routes refuse them.
 */
const sessionId = '01950000-0000-7000-8000-0000000000e2';
const site = '桃園市政府 1 樓';

describe('the supervisor’s figures screen', () => {
  let running: TestKiosk;
  let kiosk: RunningKiosk;
  let browser: TestBrowser;
  let page: Page;

  beforeAll(async () => {
    // Only the seeded session below: the screen opens on the newest one.
    running = await startTestKiosk('reports', { ownUi: true, session: false });
    kiosk = running.kiosk;
    const sql = (text: string, params: (string | number | null)[]) => kiosk.store.audited((tx) => tx.run(text, params));
    await sql(`INSERT INTO service_sessions (id, kiosk_id, site, mode, opened_at, closed_at) VALUES (?, ?, ?, 'office-counter', ?, ?)`, [
      sessionId, kiosk.store.kioskId, site, '2026-03-02T00:30:00Z', '2026-03-02T04:00:00Z',
    ]);
    const movement = (scheme: string, kind: string, quantity: number, reason: string | null, at: string) =>
      sql(`INSERT INTO stock_movements (id, session_id, scheme, kind, quantity, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)`, [randomUUID(), sessionId, scheme, kind, quantity, reason, at]);
    await movement('easycard', 'loaded', 10, 'box', '2026-03-02T00:30:00Z');
    await movement('ipass', 'loaded', 5, 'box', '2026-03-02T00:30:00Z');
    await movement('easycard', 'spoiled', 2, 'jam', '2026-03-02T01:00:00Z');
    await sql(`INSERT INTO session_counts (session_id, scheme, expected, counted) VALUES (?, 'easycard', 8, 8), (?, 'ipass', 5, 5)`, [sessionId, sessionId]);
    browser = await launchChromium();
    page = await browser.context.newPage();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await running?.stop();
  });

  const api = (path: string): Promise<Response> => fetch(new URL(path, kiosk.url), { headers: { authorization: `Bearer ${kiosk.token}` } });

  it('shows an operator no figures, and the routes refuse them', async () => {
    running.reportOnFailure();
    await page.goto(kiosk.urlWithToken);
    await page.locator('[data-session="signed-out"]').waitFor({ timeout: 15_000 });
    await signInAt(kiosk, 'staff', '271828');
    await page.locator('[data-testid="operator-name"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[data-action="open-reports"]').count()).toBe(0);
    expect((await api(`/api/reports/${sessionId}/figures`)).status).toBe(403);
    expect((await api(`/api/reports/${sessionId}/report.pdf`)).status).toBe(403);
    expect(await kiosk.controller.command({ type: 'sign-out' })).toEqual({ accepted: true });
  });

  it('draws a supervisor the session’s charts and hands over its PDF', async () => {
    running.reportOnFailure();
    await signInAt(kiosk, 'supervisor', '314159');
    await page.locator('[data-action="open-reports"]').click({ timeout: 10_000 });
    const screen = page.locator('[data-testid="reports-screen"]');
    await screen.locator(`[data-report-session="${sessionId}"][aria-pressed="true"]`).waitFor({ timeout: 10_000 });
    await screen.locator('[data-testid="session-report"]').waitFor({ timeout: 10_000 });
    // recharts drew its bars: the spoilage chart's jam bar and the ledger's figures.
    await waitFor(async () => (await screen.locator('.recharts-bar-rectangle').count()) > 0, 10_000, 'no chart bars were drawn');
    expect(await screen.locator('svg.recharts-surface').count()).toBeGreaterThanOrEqual(5);
    expect((await screen.locator('[data-testid="spoiled"]').innerText()).replace(/\s+/g, ' ')).toBe('2 損耗空白卡');
    expect((await screen.locator('[data-ledger-scheme="easycard"]').innerText()).replace(/\s+/g, ' ')).toBe('悠遊卡 10 0 2 0 8 8 0');
    await screenshot(page, 'reports-supervisor');

    const [download] = await Promise.all([page.waitForEvent('download'), screen.locator('[data-action="download-report-pdf"]').click()]);
    const saved = join(running.dataDir, 'downloaded.pdf');
    await download.saveAs(saved);
    const text = execFileSync('pdftotext', ['-layout', saved, '-'], { encoding: 'utf8' });
    expect(text).toContain(site);
    expect(text).toMatch(/損耗空白卡 Blanks spoiled/);
    expect(text).toMatch(/悠遊卡 EasyCard\s+10\s+0\s+2\s+0\s+8\s+8\s+0/);
    // And the report stays under the data directory.
    expect(execFileSync('pdfinfo', [join(running.dataDir, 'reports', `${sessionId}.pdf`)], { encoding: 'utf8' })).toContain('A4');

    // A period's figures: the days around the session.
    await screen.locator('[data-action="report-period"]').click();
    await screen.locator('input[name="from"]').fill('2026-03-01');
    await screen.locator('input[name="to"]').fill('2026-03-31');
    await screen.locator('[data-action="show-period"]').click();
    await screen.locator('[data-testid="period-report"][data-period-from="2026-03-01"]').waitFor({ timeout: 10_000 });
    expect((await screen.locator('[data-testid="period-spoiled"]').innerText()).replace(/\s+/g, ' ')).toBe('2 損耗空白卡');
    expect((await screen.locator('[data-testid="period-sessions"]').innerText()).replace(/\s+/g, ' ')).toBe('1 服務場次');
    await screenshot(page, 'reports-period');

    await screen.locator('[data-action="close-reports"]').click();
    await screen.waitFor({ state: 'detached', timeout: 5_000 });
  });
});
