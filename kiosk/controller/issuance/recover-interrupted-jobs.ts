import { deriveChipKeys } from '../../../hardware/card-record/keys';
import { nextCard } from '../../../hardware/nfc/next-card';
import type { CitizenCardStation } from '../../../hardware/card-record/types';
import type { CardPrinter } from '../../../hardware/printer/types';
import type { LogSink } from '../../../shared/log';
import type { IssuanceJob, JobStep } from '../store/jobs';
import type { Store } from '../store/store';

/**
 * After a crash or a power cut, the journal says how far each unfinished card got. None of them is
 * finished silently: a card that may exist (printing started) goes to the reject box and is
 * recorded as spoiled, so a half-made card is never handed out and never issued twice; a job
 * that had not reached the printer is abandoned. The applicant's next attempt starts afresh.
 *
 * A card already recorded as issued (`committed`) but never ejected is looked for at the printer's
 * contactless station: when it reads back as that very card it is ejected to the applicant; anything
 * else (no card, another card, a card that cannot be read) goes to the reject box and the issued card
 * is voided, so a card nobody handed over can never be used — unless it is already in the exit slot,
 * ejected just before the crash could journal it. A card already ejected is taken once the exit slot
 * reads empty.
 */
export interface RecoveredJob {
  readonly jobId: string;
  readonly step: JobStep;
  readonly outcome: 'spoiled' | 'abandoned' | 'ejected' | 'voided' | 'taken' | 'in-output';
  /** Whether a card was found in the printer and sent to the reject box. */
  readonly cardRejected: boolean;
}

/** The card a committed job issued, as its journal recorded it after the chip was written. */
export interface ExpectedCard {
  readonly cardNumber: string;
  readonly uid: string;
}

export interface RecoveryOptions {
  /** Whether the card at the contactless station is this one (chip read back); without it nothing can be verified. */
  readonly verifyCardAtStation?: (expected: ExpectedCard) => Promise<boolean>;
}

/** The reason recorded with a card voided because a crash left it undelivered. */
export const crashRecoveryReason = 'crash-recovery';

/** Journal steps after which a card may be in the printer (printing started, not yet committed). */
export const cardMayExist: ReadonlySet<JobStep> = new Set(['printing', 'printed', 'encoding', 'encoded', 'verified']);

export async function recoverInterruptedJobs(store: Store, printer: CardPrinter, log: LogSink, options: RecoveryOptions = {}): Promise<RecoveredJob[]> {
  const pending = await store.pendingJobs();
  const recovered: RecoveredJob[] = [];
  // A card in the exit slot with no ejected job waiting to be taken can only be a committed job's own (see recoverCommitted).
  const exitSlotOwned = pending.some((job) => job.step === 'ejected');
  for (const job of pending) recovered.push(await recoverJob(job, store, printer, log, { ...options, exitSlotOwned }));
  return recovered;
}

interface JobRecoveryOptions extends RecoveryOptions {
  /** Whether a job already journaled as ejected still waits for its card to be taken from the exit slot. */
  readonly exitSlotOwned: boolean;
}

async function recoverJob(job: IssuanceJob, store: Store, printer: CardPrinter, log: LogSink, options: JobRecoveryOptions): Promise<RecoveredJob> {
  if (job.step === 'committed') return recoverCommitted(job, store, printer, log, options);
  if (job.step === 'ejected') return recoverEjected(job, store, printer);
  if (!cardMayExist.has(job.step)) {
    await store.markJobStep(job.jobId, 'abandoned', { reason: 'interrupted', disposition: 'failure' });
    return { jobId: job.jobId, step: job.step, outcome: 'abandoned', cardRejected: false };
  }
  let cardRejected = false;
  const status = await printer.status();
  const cardFound = status.ok && status.value.card !== 'none' && status.value.card !== 'unknown';
  if (cardFound) cardRejected = (await printer.rejectCard()).ok;
  // A card found is the job's blank (taken before the crash, maybe before the journal saw it): spoiled for crash recovery.
  await store.markJobStep(job.jobId, 'spoiled', { reason: `interrupted-at-${job.step}`, disposition: 'failure', ...(cardFound ? { blank: 'in-printer' as const } : {}) });
  log({
    eventId: 'issuance-job-recovered',
    disposition: 'failure',
    message: `job interrupted at ${job.step}: card spoiled${cardRejected ? ' and sent to the reject box' : ''}`,
    jobId: job.jobId,
  });
  return { jobId: job.jobId, step: job.step, outcome: 'spoiled', cardRejected };
}

/** Issued and recorded, never ejected: hand it over only if it is provably that card. */
async function recoverCommitted(job: IssuanceJob, store: Store, printer: CardPrinter, log: LogSink, options: JobRecoveryOptions): Promise<RecoveredJob> {
  const expected = expectedCard(job);
  const status = await printer.status();
  const where = status.ok ? status.value.card : 'unknown';
  // Killed between the eject and its journal entry: the card left the station for the exit slot. A card
  // there that no ejected job claims is this one, on its way to the applicant: journaled as ejected, it is
  // closed as taken when the slot empties. (An empty slot proves nothing: the card may be lost, so it is voided.)
  if (where === 'none' && status.ok && status.value.output === 'card' && !options.exitSlotOwned) {
    await store.markJobStep(job.jobId, 'ejected', { reason: crashRecoveryReason });
    log({ eventId: 'issuance-job-recovered', disposition: 'success', message: 'issued card found in the exit slot after a restart: left for the applicant', jobId: job.jobId });
    return { jobId: job.jobId, step: job.step, outcome: 'in-output', cardRejected: false };
  }
  if (where === 'contactless-station' && expected && options.verifyCardAtStation && (await options.verifyCardAtStation(expected))) {
    const ejected = await printer.ejectCard();
    if (ejected.ok) {
      await store.markJobStep(job.jobId, 'ejected', { reason: crashRecoveryReason });
      log({ eventId: 'issuance-job-recovered', disposition: 'success', message: 'issued card found at the printer after a restart: ejected to the applicant', jobId: job.jobId });
      return { jobId: job.jobId, step: job.step, outcome: 'ejected', cardRejected: false };
    }
  }
  const cardRejected = where !== 'none' && where !== 'unknown' ? (await printer.rejectCard()).ok : false;
  const voided = await store.voidUndeliveredCard(job.jobId, crashRecoveryReason);
  log({
    eventId: 'issuance-job-recovered',
    disposition: 'failure',
    message: `issued card not handed over (${where === 'contactless-station' ? 'not verified' : `card ${where}`}): voided${cardRejected ? ' and sent to the reject box' : ''}${voided.ok ? '' : ` (void refused: ${voided.error.kind})`}`,
    jobId: job.jobId,
  });
  return { jobId: job.jobId, step: job.step, outcome: 'voided', cardRejected };
}

/** Ejected before the crash: taken if the exit slot is empty now, else still waiting there. */
async function recoverEjected(job: IssuanceJob, store: Store, printer: CardPrinter): Promise<RecoveredJob> {
  const status = await printer.status();
  if (status.ok && status.value.output === 'empty') {
    await store.markCardsTaken();
    return { jobId: job.jobId, step: job.step, outcome: 'taken', cardRejected: false };
  }
  return { jobId: job.jobId, step: job.step, outcome: 'in-output', cardRejected: false };
}

function expectedCard(job: IssuanceJob): ExpectedCard | null {
  const { cardNumber, uid } = job.context;
  return typeof cardNumber === 'string' && typeof uid === 'string' ? { cardNumber, uid } : null;
}

/**
 * Reads the chip at the printer's contactless station with the keys of the card we issued: true only
 * when it is that chip (same UID) and its record carries that card number.
 */
export async function cardAtStationIs(encoder: CitizenCardStation, chipMasterKey: Uint8Array, expected: ExpectedCard, arrivalTimeoutMs: number): Promise<boolean> {
  const tap = encoder.currentCard() ?? (await nextCard(encoder, arrivalTimeoutMs));
  if (!tap || tap.uid.toUpperCase() !== expected.uid.toUpperCase()) return false;
  const read = await encoder.readRecord(deriveChipKeys(chipMasterKey, Buffer.from(tap.uid, 'hex')));
  return read.ok && read.value.record.cardNumber === expected.cardNumber;
}
