import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { formatCardNumber } from '../../../../kiosk/controller/card-face/svg';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import { DoneView } from '../../../../kiosk/ui/src/queue/done-view';
import { JobProgress } from '../../../../kiosk/ui/src/queue/job-progress';
import { PrintQueuePanel } from '../../../../kiosk/ui/src/queue/print-queue';
import type { JobProgressView, JobSummaryView } from '../../../../shared/contract/job-progress';
import type { JobView } from '../../../../shared/contract/kiosk-api';
import { message } from '../../../../shared/contract/messages';
import { locales, messages, type Locale } from '../../../../shared/i18n/messages';

/**
 * Issue 16: the queue's progress (the step under way, a bar, the seconds left, a tick per step done) and
 * the done view (a success mark, the number as printed, type, scheme, expiry, chip verified, the fee), in
 * the screen's language or in a language passed to them (the applicant's screen).
 */

const printing: JobProgressView = {
  step: 'encode',
  fraction: 0.62,
  secondsLeft: 9,
  steps: [
    { step: 'insert', state: 'done' },
    { step: 'print-front', state: 'done' },
    { step: 'print-back', state: 'done' },
    { step: 'encode', state: 'active' },
    { step: 'verify', state: 'pending' },
    { step: 'record', state: 'pending' },
    { step: 'eject', state: 'pending' },
  ],
};
const summary: JobSummaryView = {
  cardType: 'senior', scheme: 'ipass', expiry: '2036-12-07', chipVerified: true,
  fee: { amount: 94, method: null, waiverReason: null, receiptId: null },
};

const inLocale = (node: React.ReactNode, locale: Locale = 'en'): string =>
  renderToStaticMarkup(<LocaleContext.Provider value={locale}>{node}</LocaleContext.Provider>).replaceAll('&#x27;', "'");
const text = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('a card job\'s progress', () => {
  it('says the step under way and the seconds left, with a bar and a tick for each step done', () => {
    const html = inLocale(<JobProgress progress={printing} stage="encoding" />);
    expect(text(html)).toContain(`${messages.en.progressStepencode} About 9 s left`);
    expect(html).toContain('role="progressbar"');
    expect(html).toContain('aria-valuenow="62"');
    expect(html).toContain('style="width:62%"');
    const ticks = [...html.matchAll(/data-step="([\w-]+)" data-state="done"[^>]*><span class="job-step-mark" aria-hidden="true">✓/g)].map((m) => m[1]);
    expect(ticks).toEqual(['insert', 'print-front', 'print-back']);
    // Encoding and the chip's check are steps of their own.
    expect(html).toMatch(/data-step="encode" data-state="active"/);
    expect(html).toMatch(/data-step="verify" data-state="pending"/);
  });

  it('shows where a failed job stopped, without a running bar', () => {
    const failed: JobProgressView = { ...printing, steps: printing.steps.map((s) => (s.step === 'encode' ? { ...s, state: 'failed' } : s)) };
    const html = inLocale(<JobProgress progress={failed} stage="failed" />);
    expect(html).not.toContain('role="progressbar"');
    expect(html).toMatch(/data-step="encode" data-state="failed"/);
    expect(text(html)).toContain(messages.en.progressStepFailed);
  });

  it('speaks every language it is given, whatever the screen\'s', () => {
    for (const locale of locales) {
      const html = inLocale(<JobProgress progress={printing} stage="encoding" locale={locale} />, 'zh-TW');
      expect(text(html)).toContain(messages[locale].progressStepverify);
      expect(text(html)).toContain(messages[locale].progressSecondsLeft.replace('{s}', '9'));
    }
  });
});

describe('the done view', () => {
  it('shows the success mark, the number as the card face prints it, type, scheme, expiry, chip verified and the fee', () => {
    const html = inLocale(<DoneView cardNumber="3300011000000014" summary={summary} />);
    expect(html).toContain('class="done-mark"');
    expect(html).toContain(`data-testid="job-card-number">${formatCardNumber('3300011000000014')}</dd>`);
    expect(text(html)).toContain('3300 0110 0000 0014');
    expect(html).toContain(`data-testid="done-card-type">${messages.en.cardsenior}<`);
    expect(html).toContain(`data-testid="done-scheme">${messages.en.schemeipass}<`);
    expect(html).toContain('<time dateTime="2036-12-07">2036-12-07</time>');
    expect(html).toMatch(/data-testid="done-chip" data-verified="true">.*Chip verified/);
    expect(html).toContain('data-testid="done-fee">NT$94<');
  });

  it('says "free" for a fee of 0, and how a fee was paid once it is recorded', () => {
    expect(inLocale(<DoneView cardNumber="1" summary={{ ...summary, fee: { ...summary.fee!, amount: 0 } }} />)).toContain(`data-testid="done-fee">${messages.en.doneFeeFree}<`);
    expect(inLocale(<DoneView cardNumber="1" summary={{ ...summary, fee: { ...summary.fee!, method: 'cash' } }} />)).toContain('data-testid="done-fee">NT$94 · paid in cash<');
    expect(inLocale(<DoneView cardNumber="1" summary={{ ...summary, chipVerified: false }} />)).toMatch(/data-verified="false">.*Chip not verified/);
  });

  it('in the applicant\'s language when given one', () => {
    const html = inLocale(<DoneView cardNumber="3300011000000014" summary={summary} locale="vi" />, 'zh-TW');
    expect(text(html)).toContain(messages.vi.doneTitle);
    expect(text(html)).toContain(messages.vi.doneChipVerified);
    expect(text(html)).toContain('94 Đài tệ');
  });
});

describe('in the print queue', () => {
  const job = (fields: Partial<JobView>): JobView => ({
    jobId: 'job-1', ticket: 1, initials: 'N.T.H.', stage: 'printing', completed: [], stageSeconds: 3, cardType: 'senior',
    cardNumber: '3300011000000014', uid: null, error: null, mine: true, mayTakeOver: false, progress: printing, summary: null, ...fields,
  });
  const queue = (fields: Partial<JobView>) => inLocale(<PrintQueuePanel queue={{ paused: false, jobs: [job(fields)] }} send={() => {}} />);

  it('a printing job shows its progress; a ready one its done view; another operator\'s ready card nothing of the applicant', () => {
    expect(queue({})).toContain('data-testid="job-progress"');
    const ready = queue({ stage: 'ready', summary, progress: { ...printing, step: null, fraction: 1, secondsLeft: 0 } });
    expect(ready).toContain('data-testid="done-view"');
    expect(ready).not.toContain('data-testid="job-progress"');
    const theirs = queue({ stage: 'ready', mine: false, initials: null, cardNumber: null, summary: null });
    expect(theirs).not.toContain('done-view');
  });

  it('a jammed job shows the printer\'s words where it stopped', () => {
    const html = queue({ stage: 'failed', error: { kind: 'printer_jam', message: message('printer.jam'), canRetry: true }, progress: { ...printing, step: 'print-front', steps: printing.steps.map((s) => (s.step === 'print-front' ? { ...s, state: 'failed' } : s)) } });
    expect(html).toMatch(/data-step="print-front" data-state="failed"/);
  });
});
