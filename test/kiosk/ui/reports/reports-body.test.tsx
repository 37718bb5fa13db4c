import { renderToStaticMarkup } from 'react-dom/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresOfSession } from '../../../../kiosk/controller/reports/from-store';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import { ReportsBody, type Loaded } from '../../../../kiosk/ui/src/reports/reports-body';
import type { ReportSessionList, SessionFigures } from '../../../../shared/contract/report-figures';
import type { Locale } from '../../../../shared/i18n/messages';
import { seededStore, sessionId, site } from '../../controller/reports/seeded-store';
import type { TempStore } from '../../controller/store/temp-store';

let seed: TempStore;
let figures: SessionFigures;
const sessions: ReportSessionList = [{ id: sessionId, site, mode: 'transit-station', openedAt: '2026-03-01T01:00:00Z', closedAt: '2026-03-01T03:00:00Z' }];

beforeAll(async () => {
  seed = await seededStore();
  const found = await figuresOfSession(seed.store, sessionId);
  if (!found) throw new Error('no seeded session');
  figures = found;
});
afterAll(() => seed.cleanup());

const shown = (locale: Locale, state: { sessions?: Loaded<ReportSessionList>; figures?: Loaded<SessionFigures> } = {}): string =>
  renderToStaticMarkup(
    <LocaleContext.Provider value={locale}>
      <ReportsBody
        sessions={state.sessions ?? { state: 'ready', value: sessions }}
        chosen={sessionId}
        figures={state.figures ?? { state: 'ready', value: figures }}
        onChoose={() => {}}
        downloadUrl={(id, kind) => `api/reports/${id}/report.${kind}?token=t`}
      />
    </LocaleContext.Provider>,
  ).replaceAll('&#x27;', "'");

/** The text of the element carrying `attribute` (its first one), tags stripped. */
const textOf = (html: string, attribute: string): string => {
  const start = html.indexOf(attribute);
  const tagStart = html.lastIndexOf('<', start);
  const name = /^<(\w+)/.exec(html.slice(tagStart))?.[1] ?? '';
  const end = html.indexOf(`</${name}>`, start);
  return html.slice(html.indexOf('>', start) + 1, end).replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
};

describe('the supervisor’s figures screen', () => {
  it('lists the sessions and offers the chosen one’s PDF and CSV', () => {
    const html = shown('zh-TW');
    expect(html).toContain(`data-report-session="${sessionId}"`);
    expect(html).toContain('aria-pressed="true"');
    expect(html).toContain(`href="api/reports/${sessionId}/report.pdf?token=t"`);
    expect(html).toContain(`href="api/reports/${sessionId}/report.csv?token=t"`);
    expect(html).toContain('下載 PDF 報表');
  });

  it('shows the totals, the stage times and the ledger in the screen’s language', () => {
    const html = shown('en');
    expect(textOf(html, 'data-testid="cards-issued"')).toBe('3 Cards issued');
    expect(textOf(html, 'data-testid="spoiled"')).toBe('4 Blanks spoiled');
    expect(textOf(html, 'data-stage="print"')).toBe('Print 4 60.0 67.5 90.0');
    expect(textOf(html, 'data-ledger-scheme="easycard"')).toBe('EasyCard 10 2 3 0 5 5 -1');
    expect(html).toContain('data-reconciles="true"');
    expect(html).toContain('The ledger reconciles');
    expect(html).toContain('TY-K01-T-0000001');
    const zh = shown('zh-TW');
    expect(textOf(zh, 'data-ledger-scheme="ipass"')).toBe('一卡通 5 1 1 1 2 2 0');
    expect(zh).toContain('帳實相符');
  });

  it('says so while loading, when the figures cannot be read, and when there is no session yet', () => {
    expect(shown('en', { sessions: { state: 'loading' } })).toContain('Loading…');
    expect(shown('en', { figures: { state: 'failed' } })).toContain('The figures could not be read.');
    expect(shown('en', { sessions: { state: 'ready', value: [] } })).toContain('No service session yet.');
  });
});
