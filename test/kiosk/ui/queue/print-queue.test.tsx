import { renderToStaticMarkup } from 'react-dom/server';
import { message } from '../../../../shared/contract/messages';
import { describe, expect, it } from 'vitest';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import { groupedCardNumber } from '../../../../kiosk/ui/src/queue/job-words';
import { PrintQueuePanel } from '../../../../kiosk/ui/src/queue/print-queue';
import { jobStages, type JobView, type PrintQueueView } from '../../../../shared/contract/kiosk-api';
import { locales, messages, type Locale } from '../../../../shared/i18n/messages';

const job = (ticket: number, fields: Partial<JobView> = {}): JobView => ({
  jobId: `job-${ticket}`,
  ticket,
  initials: 'N.T.H.',
  stage: 'queued',
  completed: [],
  stageSeconds: 0,
  cardType: 'general',
  cardNumber: null,
  uid: null,
  error: null,
  mine: true,
  mayTakeOver: false,
  progress: { step: null, fraction: 0, secondsLeft: 0, steps: [] },
  summary: null,
  ...fields,
});
const feederEmpty = { kind: 'printer_feeder_empty', message: message('printer.feeder-empty'), canRetry: true };

const shown = (queue: PrintQueueView, locale: Locale = 'en'): string =>
  renderToStaticMarkup(<LocaleContext.Provider value={locale}><PrintQueuePanel queue={queue} send={() => {}} /></LocaleContext.Provider>).replaceAll('&#x27;', "'");

/** The markup of the job with this ticket (one `li` each). */
const jobIn = (html: string, ticket: number): string => {
  const found = html.match(new RegExp(`<li[^>]*data-job-ticket="${ticket}"[^>]*>.*?</li>`));
  if (!found) throw new Error(`no job #${ticket} in ${html}`);
  return found[0];
};
const actionsOf = (html: string): string[] => [...html.matchAll(/data-job-action="([a-z-]+)"/g)].map((match) => match[1]!);

describe('the print queue panel', () => {
  it('shows each job with its ticket and stage, in order, and says plainly when nothing waits', () => {
    const html = shown({ paused: false, jobs: [job(3, { stage: 'printing', stageSeconds: 12 }), job(4), job(5)] });
    expect(html).toContain('data-testid="print-queue" data-paused="false"');
    expect([...html.matchAll(/data-job-ticket="(\d+)" data-job-stage="([a-z]+)"/g)].map((match) => [match[1], match[2]])).toEqual([['3', 'printing'], ['4', 'queued'], ['5', 'queued']]);
    expect(jobIn(html, 3)).toContain('#3');
    expect(jobIn(html, 3)).toContain('N.T.H.');
    expect(jobIn(html, 3)).toContain('12 s');
    expect(jobIn(html, 3)).toContain('Printing');
    // Queued jobs say their place in line: the next to print is first.
    expect(jobIn(html, 4)).toContain('1st in line');
    expect(jobIn(html, 5)).toContain('2nd in line');
    expect(html).not.toContain('role="alert"');
    expect(shown({ paused: false, jobs: [] })).toContain(messages.en.queueEmpty);
  });

  it('says a paused queue in an alert, in every language', () => {
    for (const locale of locales) {
      const html = shown({ paused: true, jobs: [job(1, { stage: 'failed', error: feederEmpty })] }, locale);
      expect(html).toContain('data-paused="true"');
      expect(html).toMatch(new RegExp(`<p class="queue-paused" role="alert">${messages[locale].queuePaused}</p>`));
    }
  });

  it('offers "handed over" for the operator\'s own card at the exit, its number in groups of four', () => {
    const html = shown({ paused: false, jobs: [job(1, { stage: 'ready', cardNumber: '3300011000000014' }), job(2, { stage: 'ready', initials: null, mine: false })] });
    const ready = jobIn(html, 1);
    expect(ready).toContain('data-testid="job-card-number">3300 0110 0000 0014</dd>');
    expect(ready).toContain(messages.en.jobStageready);
    expect(actionsOf(ready)).toEqual(['finish']);
    // Another operator's card: no number to see, nothing to press.
    expect(jobIn(html, 2)).not.toContain('job-card-number');
    expect(actionsOf(jobIn(html, 2))).toEqual([]);
  });

  it('shows a failed job\'s error, with Retry and Cancel card for its own operator only', () => {
    const html = shown({ paused: true, jobs: [job(1, { stage: 'failed', error: feederEmpty }), job(2, { stage: 'failed', error: { ...feederEmpty, canRetry: false } }), job(3, { stage: 'failed', error: feederEmpty, mine: false, initials: null })] });
    const failed = jobIn(html, 1);
    expect(failed).toContain('role="alert" data-error-kind="printer_feeder_empty"');
    expect(failed).toContain('load cards, then press Retry');
    expect(actionsOf(failed).sort()).toEqual(['cancel', 'retry']);
    // Retrying cannot help: only cancelling is offered.
    expect(actionsOf(jobIn(html, 2))).toEqual(['cancel']);
    expect(actionsOf(jobIn(html, 3))).toEqual([]);
    expect(jobIn(html, 3)).toContain(messages.en.refusalJobOfAnotherOperator);
  });

  it('offers a parked job to a supervisor who may take it over, and to nobody else', () => {
    const html = shown({ paused: true, jobs: [job(1, { stage: 'parked', initials: null, mine: false, mayTakeOver: true }), job(2, { stage: 'parked', initials: null, mine: false })] });
    expect(jobIn(html, 1)).toContain(messages.en.jobStageparked);
    expect(actionsOf(jobIn(html, 1))).toEqual(['take-over']);
    expect(actionsOf(jobIn(html, 2))).toEqual([]);
  });

  it('words every stage in all four languages', () => {
    for (const locale of locales) {
      const html = shown({ paused: false, jobs: jobStages.map((stage, index) => job(index + 1, { stage })) }, locale);
      jobStages.forEach((stage, index) => {
        const words = messages[locale][`jobStage${stage}`].replace('{n}', locale === 'en' ? '1st' : '1');
        expect(jobIn(html, index + 1), `${locale} ${stage}`).toContain(`<p class="job-stage">${words}</p>`);
      });
    }
  });

  it('groups card numbers in fours', () => {
    expect(groupedCardNumber('3300011000000014')).toBe('3300 0110 0000 0014');
    expect(groupedCardNumber('123456')).toBe('1234 56');
  });
});
