import type { BatchRowStatus } from '../../../shared/contract/batch';
import { assertNever } from '../../../shared/result';
import type { JobStep } from '../store/jobs';

/** The latest card job a batch row started, as the journal has it. */
export interface RowJob {
  readonly step: JobStep;
  readonly open: boolean;
}

/**
 * Where a row stands, read from its latest card job (the journal is the truth, nothing is copied):
 * an issued card wins, then a job under way; a row whose card was spoiled or abandoned is waiting again,
 * or waits for its second visit when one was marked. `onScreen`: its application is at the counter now
 * (the job, if any, is the review's, not yet confirmed into the queue).
 */
export function batchRowStatus(job: RowJob | null, secondVisit: boolean, onScreen: boolean): BatchRowStatus {
  if (job) {
    switch (job.step) {
      case 'committed':
      case 'ejected':
      case 'taken':
        return 'issued';
      case 'begun':
      case 'card-number-allocated':
        if (job.open) return onScreen ? 'in-progress' : 'queued';
        break;
      case 'printing':
      case 'printed':
      case 'encoding':
      case 'encoded':
      case 'verified':
        if (job.open) return 'printing';
        break;
      case 'spoiled':
      case 'abandoned':
        break;
      default:
        return assertNever(job.step);
    }
  }
  if (onScreen) return 'in-progress';
  return secondVisit ? 'second-visit' : 'waiting';
}
