import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { applicantStep, ApplicantStageView } from '../../../../kiosk/ui/src/applicant/applicant-stages';
import { LocaleContext } from '../../../../kiosk/ui/src/i18n';
import type { ApplicantView } from '../../../../shared/contract/applicant';
import type { PrintQueueView } from '../../../../shared/contract/kiosk-api';
import { messages } from '../../../../shared/i18n/messages';
import { goodSnapshot } from '../reading/snapshot-fixture';

/** The applicant's window, step by step: what it shows from the applicant view, and only that. */

const queue: PrintQueueView = goodSnapshot.printQueue;
const review: ApplicantView = {
  language: 'vi',
  stage: 'review',
  details: { name: 'CHEN MEI-LING', nameZh: '陳美玲', birthDate: '1956-04-17', cardType: 'senior', idNumber: 'A12*****89', fee: 94 },
  // The card sides' URLs carry the page's token (the e2e test shows them): here, the face is being made.
  preview: null,
  jobId: null,
};
const render = (applicant: ApplicantView, jobs: PrintQueueView = queue): string =>
  renderToStaticMarkup(
    <LocaleContext.Provider value={applicant.language}>
      <ApplicantStageView applicant={applicant} queue={jobs} imageUrl={(path) => path} />
    </LocaleContext.Provider>,
  );

describe("the applicant's window", () => {
  it('shows the review in their language: details, the masked ID, the fee, the card face on its way', () => {
    const html = render(review);
    expect(html).toContain(messages.vi.applicantReviewTitle);
    expect(html).toContain('A12*****89');
    expect(html).toContain(messages.vi.cardsenior);
    expect(html).toContain('NT$ 94');
    expect(html).toContain(messages.vi.applicantPreviewWait);
    expect(html).toContain('data-prompt="applicant-review"');
  });

  it("follows only their card in the queue, not another applicant's", () => {
    const theirs = { ...review, stage: 'card' as const, details: null, preview: null, jobId: 'job-1' };
    const html = render(theirs);
    expect(applicantStep(theirs, queue)).toBe('card');
    expect(html).toContain(messages.vi.applicantCardPrinting);
    // Nothing of the job that is for staff: its initials, its ticket.
    expect(html).not.toContain('N.T.H.');
    expect(html).not.toContain('#1');
    const ready: PrintQueueView = { ...queue, jobs: queue.jobs.map((job) => ({ ...job, stage: 'ready' as const })) };
    expect(applicantStep(theirs, ready)).toBe('take-card');
    expect(render(theirs, ready)).toContain(messages.vi.applicantReadyTitle);
    // Their card gone from the queue (taken): the welcome, never another job.
    expect(applicantStep({ ...theirs, jobId: 'job-9' }, queue)).toBe('welcome');
  });
});
