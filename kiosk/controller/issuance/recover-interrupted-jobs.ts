import type { CardPrinter } from '../../../hardware/printer/types';
import type { LogSink } from '../../../shared/log';
import type { IssuanceJob, JobStep } from '../store/jobs';
import type { Store } from '../store/store';

/**
 * After a crash or a power cut, the journal says how far each unfinished card got. None of them is
 * finished silently: a card that may exist (printing started) goes to the reject box and is
 * recorded as spoiled, so a half-made card is never handed out and never issued twice; a job
 * that had not reached the printer is abandoned. The applicant's next attempt starts afresh.
 */
export interface RecoveredJob {
  readonly jobId: string;
  readonly step: JobStep;
  readonly outcome: 'spoiled' | 'abandoned';
  /** Whether a card was found in the printer and sent to the reject box. */
  readonly cardRejected: boolean;
}

/** Journal steps after which a card may be in the printer (printing started, not yet closed). */
export const cardMayExist: ReadonlySet<JobStep> = new Set(['printing', 'printed', 'encoding', 'encoded', 'verified']);

export async function recoverInterruptedJobs(store: Store, printer: CardPrinter, log: LogSink): Promise<RecoveredJob[]> {
  const pending = await store.pendingJobs();
  const recovered: RecoveredJob[] = [];
  for (const job of pending) recovered.push(await recoverJob(job, store, printer, log));
  return recovered;
}

async function recoverJob(job: IssuanceJob, store: Store, printer: CardPrinter, log: LogSink): Promise<RecoveredJob> {
  if (!cardMayExist.has(job.step)) {
    await store.markJobStep(job.jobId, 'abandoned', { reason: 'interrupted', disposition: 'failure' });
    return { jobId: job.jobId, step: job.step, outcome: 'abandoned', cardRejected: false };
  }
  let cardRejected = false;
  const status = await printer.status();
  if (status.ok && status.value.card !== 'none' && status.value.card !== 'unknown') {
    cardRejected = (await printer.rejectCard()).ok;
  }
  await store.markJobStep(job.jobId, 'spoiled', { reason: `interrupted-at-${job.step}`, disposition: 'failure' });
  log({
    eventId: 'issuance-job-recovered',
    disposition: 'failure',
    message: `job interrupted at ${job.step}: card spoiled${cardRejected ? ' and sent to the reject box' : ''}`,
    jobId: job.jobId,
  });
  return { jobId: job.jobId, step: job.step, outcome: 'spoiled', cardRejected };
}
