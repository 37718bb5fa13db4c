import type { ReactNode } from 'react';
import type { ApplicantView } from '../../../../shared/contract/applicant';
import type { JobStage, JobView, PrintQueueView } from '../../../../shared/contract/kiosk-api';
import type { MessageKey } from '../../../../shared/i18n/messages';
import { withToken } from '../api';
import { useT } from '../i18n';

/**
 * One screen per place in the applicant's visit, each with one instruction in large type. The
 * `data-prompt` id names the instruction (the spoken prompts are keyed by it).
 */
export function ApplicantStageView({ applicant, queue }: { applicant: ApplicantView; queue: PrintQueueView }) {
  switch (applicant.stage) {
    case 'welcome':
      return <Instruction prompt="applicant-welcome" title="applicantWelcomeTitle" hint="applicantWelcomeHint" />;
    case 'application':
      return <Instruction prompt="applicant-application" title="applicantApplicationTitle" hint="applicantApplicationHint" />;
    case 'photo':
      return <Instruction prompt="applicant-photo" title="applicantPhotoTitle" hint="applicantPhotoHint" camera />;
    case 'review':
      return <Review applicant={applicant} />;
    case 'card': {
      const job = queue.jobs.find((entry) => entry.jobId === applicant.jobId);
      return job ? <YourCard job={job} /> : <Instruction prompt="applicant-welcome" title="applicantWelcomeTitle" hint="applicantWelcomeHint" />;
    }
    default: {
      const unknown: never = applicant.stage;
      return <p>{String(unknown)}</p>;
    }
  }
}

function Instruction({ prompt, title, hint, camera = false }: { prompt: string; title: MessageKey; hint: MessageKey; camera?: boolean }) {
  const t = useT();
  return (
    <section className={camera ? 'applicant-instruction camera' : 'applicant-instruction'} data-prompt={prompt}>
      {camera && <span className="applicant-camera-mark" aria-hidden="true">◉</span>}
      <h1>{t(title)}</h1>
      <p>{t(hint)}</p>
    </section>
  );
}

function Review({ applicant }: { applicant: ApplicantView }) {
  const t = useT();
  const details = applicant.details;
  return (
    <section className="applicant-review" data-prompt="applicant-review">
      <h1>{t('applicantReviewTitle')}</h1>
      <p className="applicant-hint">{t('applicantReviewHint')}</p>
      <div className="applicant-review-body">
        {details && (
          <dl className="applicant-details" data-testid="applicant-details">
            <Detail label={t('applicantName')} field="name">
              {details.nameZh && <span lang="zh-TW">{details.nameZh}</span>}
              {details.name && <span lang="en">{details.name}</span>}
            </Detail>
            <Detail label={t('applicantBirthDate')} field="birthDate">{details.birthDate}</Detail>
            <Detail label={t('applicantCardType')} field="cardType">{details.cardType ? t.key(`card${details.cardType}`) : ''}</Detail>
            <Detail label={t('applicantIdNumber')} field="idNumber">{details.idNumber}</Detail>
            <Detail label={t('applicantFee')} field="fee">{details.fee === 0 ? t('applicantFeeNone') : `NT$ ${details.fee}`}</Detail>
          </dl>
        )}
        <div className="applicant-card-sides">
          {applicant.preview ? (
            <>
              <figure>
                <img src={withToken(applicant.preview.front)} alt={t('applicantCardFront')} width={508} height={324} data-side="front" />
                <figcaption>{t('applicantCardFront')}</figcaption>
              </figure>
              <figure>
                <img src={withToken(applicant.preview.back)} alt={t('applicantCardBack')} width={508} height={324} data-side="back" />
                <figcaption>{t('applicantCardBack')}</figcaption>
              </figure>
            </>
          ) : (
            <p className="applicant-hint" role="status">{t('applicantPreviewWait')}</p>
          )}
        </div>
      </div>
    </section>
  );
}

function Detail({ label, field, children }: { label: string; field: string; children: ReactNode }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd data-field={field}>{children}</dd>
    </div>
  );
}

/** Where the applicant's card stands, in their words: the queue's stages without the staff's details. */
const stageWords: Readonly<Record<JobStage, MessageKey>> = {
  queued: 'applicantCardQueued',
  printing: 'applicantCardPrinting',
  encoding: 'applicantCardEncoding',
  committing: 'applicantCardSaving',
  ejecting: 'applicantCardEjecting',
  ready: 'applicantReadyHint',
  failed: 'applicantCardProblem',
  parked: 'applicantCardProblem',
  closing: 'applicantCardProblem',
};

function YourCard({ job }: { job: JobView }) {
  const t = useT();
  if (job.stage === 'ready') {
    return (
      <section className="applicant-instruction ready" data-prompt="applicant-take-card" data-testid="applicant-take-card">
        <span className="applicant-ready-mark" aria-hidden="true">✓</span>
        <h1>{t('applicantReadyTitle')}</h1>
        <p>{t('applicantReadyHint')}</p>
      </section>
    );
  }
  return (
    <section className="applicant-instruction" data-prompt="applicant-card" data-testid="applicant-card-progress" data-job-stage={job.stage}>
      <h1>{t('applicantCardTitle')}</h1>
      <p role="status">{t(stageWords[job.stage])}</p>
    </section>
  );
}
