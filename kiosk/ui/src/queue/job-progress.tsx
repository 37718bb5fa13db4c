import type { JobProgressView } from '../../../../shared/contract/job-progress';
import type { JobStage } from '../../../../shared/contract/kiosk-api';
import type { Locale } from '../../../../shared/i18n/messages';
import { useCountdown } from './seconds-left';
import { useWordsIn } from './words';

/** Stages whose card is moving: the bar and the seconds run between snapshots. */
const runningStages: ReadonlySet<JobStage> = new Set(['printing', 'encoding', 'committing', 'ejecting']);

/**
 * A card job's progress: the step under way, a bar, the seconds left, and every step with a tick once
 * done (encoding and the chip's check are steps of their own). Reusable: the applicant's screen passes
 * the applicant's `locale`; without it the words follow the screen's language.
 */
export function JobProgress({ progress, stage, locale }: { progress: JobProgressView; stage: JobStage; locale?: Locale }) {
  const { say } = useWordsIn(locale);
  const running = runningStages.has(stage);
  const { seconds, fraction } = useCountdown(progress.secondsLeft, progress.fraction, running);
  const percent = Math.round(fraction * 100);
  return (
    <div className="job-progress" data-testid="job-progress" data-step={progress.step ?? ''}>
      {running && (
        <>
          <p className="job-progress-now">
            <span className="job-progress-step">{progress.step ? say(`progressStep${progress.step}`) : say('progressWaiting')}</span>
            <span className="job-progress-left" data-testid="job-seconds-left" data-seconds={seconds}>
              {seconds > 1 ? say('progressSecondsLeft', { s: seconds }) : say('progressAlmostDone')}
            </span>
          </p>
          <div className="job-progress-bar" role="progressbar" aria-label={say('progressLabel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
            <div className="job-progress-fill" style={{ width: `${percent}%` }} />
          </div>
        </>
      )}
      <StepList progress={progress} say={say} />
    </div>
  );
}

function StepList({ progress, say }: { progress: JobProgressView; say: ReturnType<typeof useWordsIn>['say'] }) {
  return (
    <ol className="job-steps" aria-label={say('progressLabel')}>
      {progress.steps.map(({ step, state }) => (
        <li key={step} className={`job-step ${state}`} data-step={step} data-state={state} aria-current={state === 'active' ? 'step' : undefined}>
          <span className="job-step-mark" aria-hidden="true">{stepMark[state]}</span>
          <span>{say(`progressStep${step}`)}</span>
          {state === 'done' && <span className="visually-hidden"> — {say('progressStepDone')}</span>}
          {state === 'failed' && <span className="job-step-failed"> — {say('progressStepFailed')}</span>}
        </li>
      ))}
    </ol>
  );
}

/** A tick once done, a dot under way, an ✕ where it stopped; pending steps show an empty ring. */
const stepMark: Readonly<Record<JobProgressView['steps'][number]['state'], string>> = { done: '✓', active: '●', failed: '✕', pending: '○' };
