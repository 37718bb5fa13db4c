import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import { CloseSessionForm } from '../../../../kiosk/ui/src/session/close-session-form';
import { OpenSessionForm } from '../../../../kiosk/ui/src/session/open-session-form';
import { SessionClosed } from '../../../../kiosk/ui/src/session/session-closed';
import { startCount } from '../../../../kiosk/ui/src/session/session-commands';
import { StockForm } from '../../../../kiosk/ui/src/session/stock-form';
import type { ServiceSessionView } from '../../../../shared/contract/kiosk-api';
import { locales, messages, type Locale } from '../../../../shared/i18n/messages';
import { goodSnapshot } from '../reading/snapshot-fixture';

const open = goodSnapshot.serviceSession as ServiceSessionView;
const send = () => Promise.resolve({ accepted: true as const });
const shown = (node: ReactNode, locale: Locale = 'en'): string =>
  renderToStaticMarkup(<LocaleContext.Provider value={locale}>{node}</LocaleContext.Provider>).replaceAll('&#x27;', "'");
/** The `name`s of a form's fields, in order. */
const fieldNames = (html: string): string[] => [...html.matchAll(/<(?:input|select|textarea)[^>]*name="([a-z-]+)"/g)].map((match) => match[1]!);
const buttonOf = (html: string, action: string): string => html.match(new RegExp(`<button[^>]*data-action="${action}"[^>]*>`))?.[0] ?? '';

describe('the open-session form', () => {
  it('asks for the site, the kind of site and the blanks per scheme, not the ribbon', () => {
    const html = shown(<OpenSessionForm send={send} needsApproval={false} />);
    expect(html).toContain('data-testid="open-session-form"');
    expect(fieldNames(html)).toEqual(['site', 'mode', 'blanks-easycard', 'blanks-ipass']);
    expect(html).toMatch(/<select name="mode">.*<option value="market">Market<\/option><option value="transit-station">Transit station<\/option><option value="campus">Campus<\/option><option value="nursing-home">Nursing home<\/option><option value="office-counter">Office counter<\/option><\/select>/);
    expect(html).toContain('Blanks loaded: EasyCard 悠遊卡');
    expect(html).toContain('Blanks loaded: iPASS 一卡通');
    expect(html).toContain('inputMode="numeric"');
    // Nothing typed yet: nothing to send.
    expect(buttonOf(html, 'open-session')).toContain('disabled');
    expect(html).not.toContain(messages.en.sessionApprovalNote);
  });

  it('lets a filled form be sent, and tells an operator that a supervisor approves', () => {
    const html = shown(<OpenSessionForm send={send} needsApproval initial={{ site: '中壢轉運站', mode: 'transit-station', blanks: { easycard: '10', ipass: '5' } }} />);
    expect(buttonOf(html, 'open-session')).not.toContain('disabled');
    expect(html).toContain(messages.en.sessionApprovalNote);
  });

  it('speaks each of the 4 languages', () => {
    for (const locale of locales) {
      const html = shown(<OpenSessionForm send={send} needsApproval={false} />, locale);
      expect(html).toContain(messages[locale].openSessionTitle);
      expect(html).toContain(messages[locale].openSessionSubmit);
    }
  });
});

describe('the close-session form', () => {
  const form = (fields: Partial<Parameters<typeof CloseSessionForm>[0]> = {}, locale: Locale = 'en'): string =>
    shown(<CloseSessionForm session={open} send={send} needsApproval={false} atHome onClosing={() => {}} {...fields} />, locale);

  it('asks for the count per scheme and a note, and shows none of the ledger\'s numbers (a blind count)', () => {
    const html = form();
    expect(html).toContain('data-testid="close-session-form" data-count-mismatch="false"');
    expect(fieldNames(html)).toEqual(['counted-easycard', 'counted-ipass', 'note']);
    expect(html).not.toContain('count-comparison');
    expect(html).not.toContain(messages.en.closeSessionLedger);
    // No figure of the session in the form's text: the ledger has 6 EasyCard and 3 iPASS in hand.
    expect(html.replace(/<[^>]*>/g, ' ')).not.toMatch(/[0-9]/);
    expect(buttonOf(html, 'close-session')).toContain('disabled');
    expect(buttonOf(form({ initial: { ...startCount, counted: { easycard: '6', ipass: '2' } } }), 'close-session')).not.toContain('disabled');
  });

  it('once the count differs, shows the ledger beside the count per scheme and needs the note', () => {
    const html = form({ initial: { counted: { easycard: '6', ipass: '2' }, note: '', mismatch: true } });
    expect(html).toContain('data-count-mismatch="true"');
    expect(html).toContain('<div class="count-mismatch" role="alert">');
    expect(html).toContain('<tr data-comparison-scheme="easycard"><th scope="row">EasyCard 悠遊卡</th><td>6</td><td>6</td><td>0</td></tr>');
    expect(html).toContain('<tr data-comparison-scheme="ipass"><th scope="row">iPASS 一卡通</th><td>3</td><td>2</td><td class="differs">−1</td></tr>');
    expect(html).toMatch(/<textarea name="note"[^>]*required=""/);
    expect(buttonOf(html, 'close-session')).toContain('disabled');
    expect(buttonOf(form({ initial: { counted: { easycard: '6', ipass: '2' }, note: 'one bent', mismatch: true } }), 'close-session')).not.toContain('disabled');
  });

  it('needs no note once a recount agrees with the ledger (the browser must not block that submit)', () => {
    const html = form({ initial: { counted: { easycard: '6', ipass: '3' }, note: '', mismatch: true } });
    expect(html).toContain('data-count-mismatch="true"');
    expect(html).toMatch(/<textarea name="note"[^>]*>/);
    expect(html).not.toMatch(/<textarea name="note"[^>]*required=""/);
    expect(buttonOf(html, 'close-session')).not.toContain('disabled');
  });

  it('waits for the applicant on screen to be done', () => {
    const html = form({ atHome: false, initial: { ...startCount, counted: { easycard: '6', ipass: '3' } } });
    expect(html).toContain(messages.en.closeSessionFinishApplicant);
    expect(buttonOf(html, 'close-session')).toContain('disabled');
  });

  it('speaks each of the 4 languages', () => {
    for (const locale of locales) {
      const html = form({ initial: { counted: { easycard: '6', ipass: '2' }, note: '', mismatch: true } }, locale);
      expect(html).toContain(messages[locale].closeSessionHint);
      expect(html).toContain(messages[locale].closeSessionMismatch);
      expect(html).toContain(messages[locale].closeSessionNote);
    }
  });
});

describe('after the close', () => {
  it('shows the count against the ledger, whether a discrepancy was booked, and the report', () => {
    const closed = { sessionId: 'session-1', site: '中壢轉運站', counted: { easycard: 6, ipass: 2 }, ledger: { easycard: 6, ipass: 3 } };
    const html = shown(<SessionClosed closed={closed} reportUrl={(kind) => `api/reports/session-1/report.${kind}?token=t`} mayDownload onDismiss={() => {}} />);
    expect(html).toContain('data-testid="session-closed" data-session-id="session-1" data-balanced="false"');
    expect(html).toContain('Session closed: 中壢轉運站');
    expect(html).toContain(messages.en.sessionClosedDiscrepancy);
    expect(html).toContain('<tr data-comparison-scheme="ipass"><th scope="row">iPASS 一卡通</th><td>3</td><td>2</td><td class="differs">−1</td></tr>');
    expect(html).toContain('data-testid="session-report" href="api/reports/session-1/report.pdf?token=t"');
    expect(html).toContain('data-testid="session-report-csv" href="api/reports/session-1/report.csv?token=t" download=""');
    expect(html).not.toContain('session-report-supervisor');
    const balanced = shown(<SessionClosed closed={{ ...closed, counted: closed.ledger }} reportUrl={() => "r"} mayDownload onDismiss={() => {}} />, 'vi');
    expect(balanced).toContain('data-balanced="true"');
    expect(balanced).toContain(messages.vi.sessionClosedBalanced);
  });

  it("tells an operator who closed with a supervisor's approval where the supervisor finds the report (the routes are theirs)", () => {
    const closed = { sessionId: 'session-1', site: '中壢轉運站', counted: { easycard: 6, ipass: 3 }, ledger: { easycard: 6, ipass: 3 } };
    const html = shown(<SessionClosed closed={closed} reportUrl={() => 'r'} mayDownload={false} onDismiss={() => {}} />);
    expect(html).not.toContain('data-testid="session-report"');
    expect(html).toContain(`<p data-testid="session-report-supervisor">${messages.en.sessionClosedReportSupervisor}</p>`);
  });
});

describe('the blanks form', () => {
  it('loads or returns blanks of the chosen scheme', () => {
    const html = shown(<StockForm send={send} needsApproval onDone={() => {}} />, 'id');
    expect(html).toContain('<button type="button" aria-pressed="true" data-scheme="easycard">EasyCard (悠遊卡)</button>');
    expect(html).toContain('<button type="button" aria-pressed="false" data-scheme="ipass">iPASS (一卡通)</button>');
    expect(buttonOf(html, 'load-blanks')).toContain('disabled');
    expect(buttonOf(html, 'return-blanks')).toContain('disabled');
    expect(html).toContain(messages.id.stockLoad);
    expect(html).toContain(messages.id.sessionApprovalNote);
  });
});
