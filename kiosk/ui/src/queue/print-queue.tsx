import type { JobView, KioskCommand, PrintQueueView } from '../../../../shared/contract/kiosk-api';
import { StepErrorMessage } from '../commands/step-error-message';
import { MessageText, useT } from '../i18n';
import { DoneView } from './done-view';
import { JobProgress } from './job-progress';
import { stageWords } from './job-words';
import { useStageSeconds } from './stage-seconds';

/**
 * The print queue beside every staffed screen: each confirmed card with its ticket, where it stands
 * and for how long, and what the counter can do about it (hand it over, retry, cancel, take over).
 * Read at arm's length at a busy counter: big type, one card per job. `send` sends a job's command.
 */
export function PrintQueuePanel({ queue, send }: { queue: PrintQueueView; send: Send }) {
  const t = useT();
  return (
    <aside className="print-queue" data-testid="print-queue" data-paused={queue.paused} aria-label={t('queueTitle')}>
      <h2>{t('queueTitle')}</h2>
      {queue.paused && <p className="queue-paused" role="alert">{t('queuePaused')}</p>}
      {queue.jobs.length === 0 ? (
        <p className="queue-empty">{t('queueEmpty')}</p>
      ) : (
        <ol className="jobs" aria-live="polite">
          {queue.jobs.map((job) => <JobCard key={job.jobId} job={job} jobs={queue.jobs} send={send} />)}
        </ol>
      )}
    </aside>
  );
}

type Send = (command: KioskCommand) => unknown;

/** Stages that show the card's steps: under way, and stopped (where it stopped). */
const showsProgress: ReadonlySet<JobView['stage']> = new Set(['printing', 'encoding', 'committing', 'ejecting', 'failed', 'parked']);

function JobCard({ job, jobs, send }: { job: JobView; jobs: readonly JobView[]; send: Send }) {
  const t = useT();
  const seconds = useStageSeconds(job.stage, job.stageSeconds);
  const { jobId } = job;
  return (
    <li className={`job ${job.stage}`} data-job-ticket={job.ticket} data-job-stage={job.stage}>
      <div className="job-head">
        <strong className="job-ticket">#{job.ticket}</strong>
        {job.initials && <span className="job-initials">{job.initials}</span>}
        <span className="job-seconds">{t('jobSeconds').replace('{s}', String(seconds))}</span>
      </div>
      <p className="job-stage">{stageWords(t.locale, job, jobs)}</p>
      {showsProgress.has(job.stage) && <JobProgress progress={job.progress} stage={job.stage} />}
      {job.stage === 'ready' && (job.cardNumber || job.summary) && <DoneView cardNumber={job.cardNumber} summary={job.summary} />}
      {job.stage === 'ready' && job.error && <p className="notice warn"><MessageText message={job.error.message} /></p>}
      {job.stage === 'ready' && job.mine && (
        <div className="job-actions">
          <button type="button" className="primary" data-job-action="finish" onClick={() => send({ type: 'finish', jobId })}>{t('jobHandedOver')}</button>
        </div>
      )}
      {job.stage === 'failed' && <FailedJob job={job} send={send} />}
      {job.stage === 'parked' && (
        <>
          {job.error && <p className="job-error"><StepErrorMessage error={job.error} /></p>}
          <p className="job-hint">{t('jobParkedHint')}</p>
          {job.mayTakeOver && (
            <div className="job-actions">
              <button type="button" className="primary" data-job-action="take-over" onClick={() => send({ type: 'take-over-job', jobId })}>{t('jobTakeOver')}</button>
            </div>
          )}
        </>
      )}
    </li>
  );
}

/** A failed job: why, and — for its own operator — Retry (when it can help) and Cancel card. */
function FailedJob({ job, send }: { job: JobView; send: Send }) {
  const t = useT();
  const { jobId, error } = job;
  return (
    <>
      {error && (
        <p className="job-error notice error" role="alert" data-error-kind={error.kind}>
          <StepErrorMessage error={error} />
        </p>
      )}
      {job.mine ? (
        <div className="job-actions">
          <button type="button" className="secondary" data-job-action="cancel" onClick={() => send({ type: 'cancel-job', jobId })}>{t('jobCancel')}</button>
          {error?.canRetry && (
            <button type="button" className="primary" data-job-action="retry" onClick={() => send({ type: 'retry', jobId })}>{t('retry')}</button>
          )}
        </div>
      ) : (
        <p className="job-hint">{t('refusalJobOfAnotherOperator')}</p>
      )}
    </>
  );
}
