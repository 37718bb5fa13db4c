import type { TransitScheme } from '../../../shared/domain/card-types';
import type { SpoilReason, VoidSpoilReason } from '../../../shared/domain/service-session';
import type { StoreContext } from './context';
import type { Queries } from './database';
import { insertMovement } from './sessions';

/**
 * The blanks of one card job, booked in the transaction of the job step that decides them. A job
 * counts the blanks it has taken from the feeder (`blanks_used`); its current blank is that number.
 * Every blank ends in exactly one `issued` or `spoiled` line (unique index per job and blank), so a
 * step that is journaled twice, or a recovery after a crash, can never book a blank twice.
 */

/** Where the job's card is, as the printer said after the step: a blank picked, or gone from the printer. */
export type BlankWhere = 'in-printer' | 'not-in-printer';

interface JobBlanks {
  readonly id: string;
  readonly session_id: string | null;
  readonly scheme: TransitScheme | null;
  readonly blanks_used: number;
  readonly blank_fault: SpoilReason | null;
  readonly operator_id: string | null;
}

async function jobBlanks(tx: Queries, jobId: string): Promise<JobBlanks | undefined> {
  return tx.get<JobBlanks>('SELECT id, session_id, scheme, blanks_used, blank_fault, operator_id FROM issuance_jobs WHERE id = ?', [jobId]);
}

/** The job's current blank if it has one not yet booked as issued or spoiled. */
async function heldBlank(tx: Queries, job: JobBlanks): Promise<string | null> {
  if (job.blanks_used === 0) return null;
  const blank = String(job.blanks_used);
  const ended = await tx.get('SELECT 1 AS one FROM stock_movements WHERE job_id = ? AND blank = ? AND kind IN (?, ?)', [job.id, blank, 'issued', 'spoiled']);
  return ended ? null : blank;
}

/** Jobs journaled before sessions existed have no ledger to book to. */
const booked = (job: JobBlanks): job is JobBlanks & { session_id: string; scheme: TransitScheme } => job.session_id !== null && job.scheme !== null;

/** The encoder's own failure kinds (hardware/nfc; not its `timeout`, a printer's too), as the encoding step journals them, and a record that did not read back. */
const chipFailures: ReadonlySet<string> = new Set(['encode-mismatch', 'write_verify_failed', 'auth_failed', 'unsupported_card', 'wrong_card', 'card_removed', 'command_failed', 'no_card', 'reader_unavailable']);

/**
 * The failure code a job step was journaled with (`printer_jam`, `nfc_write_verify_failed`,
 * `interrupted-at-printing`, ...) as the reason its blank is spoiled.
 */
export function spoilReasonFor(failure: string | undefined): SpoilReason {
  if (failure === undefined) return 'misprint';
  if (failure.startsWith('interrupted') || failure === 'crash-recovery') return 'crash-recovery';
  if (failure === 'printer_jam' || failure === 'jam') return 'jam';
  if (failure.startsWith('nfc_') || chipFailures.has(failure)) return 'chip-verify-failed';
  return 'misprint';
}

/**
 * What the printer said about the job's card after a step. `in-printer`: the job holds a blank — the
 * one it already held, or a new one just taken from the feeder. `not-in-printer`: a blank it held has
 * left the printer (pulled out with a jam, or by hand, or sent to the reject box for a failed chip): spoiled
 * for the failure given, else for its last fault.
 */
export async function noteBlank(tx: Queries, context: StoreContext, jobId: string, where: BlankWhere, failure: string | undefined): Promise<void> {
  const job = await jobBlanks(tx, jobId);
  if (!job || !booked(job)) return;
  const held = await heldBlank(tx, job);
  if (where === 'in-printer') {
    if (held === null) await tx.run('UPDATE issuance_jobs SET blanks_used = blanks_used + 1, blank_fault = NULL WHERE id = ?', [jobId]);
    if (failure !== undefined) await tx.run('UPDATE issuance_jobs SET blank_fault = ? WHERE id = ?', [spoilReasonFor(failure), jobId]);
    return;
  }
  if (held !== null) {
    const reason = failure !== undefined ? spoilReasonFor(failure) : (job.blank_fault ?? 'misprint');
    await insertMovement(tx, context, job.session_id, { kind: 'spoiled', scheme: job.scheme, quantity: 1, reason }, { jobId, blank: held, operatorId: job.operator_id });
  }
}

/** The job closes without its card (spoiled, abandoned): the blank it holds, if any, is spoiled. */
export async function spoilHeldBlank(tx: Queries, context: StoreContext, jobId: string, failure: string | undefined): Promise<void> {
  const job = await jobBlanks(tx, jobId);
  if (!job || !booked(job)) return;
  const held = await heldBlank(tx, job);
  if (held === null) return;
  // A crash outranks the fault before it: the card went to the reject box because of the restart.
  const reason = spoilReasonFor(failure) === 'crash-recovery' ? 'crash-recovery' : failure === undefined ? (job.blank_fault ?? 'misprint') : spoilReasonFor(failure);
  await insertMovement(tx, context, job.session_id, { kind: 'spoiled', scheme: job.scheme, quantity: 1, reason }, { jobId, blank: held, operatorId: job.operator_id });
}

/** The job's card is recorded as issued: its blank (taken now if the journal never saw it) is booked issued. */
export async function issueHeldBlank(tx: Queries, context: StoreContext, jobId: string, cardNumber: string): Promise<void> {
  const job = await jobBlanks(tx, jobId);
  if (!job || !booked(job)) return;
  let held = await heldBlank(tx, job);
  if (held === null) {
    await tx.run('UPDATE issuance_jobs SET blanks_used = blanks_used + 1, blank_fault = NULL WHERE id = ?', [jobId]);
    held = String(job.blanks_used + 1);
  }
  await insertMovement(tx, context, job.session_id, { kind: 'issued', scheme: job.scheme, quantity: 1 }, { jobId, blank: held, cardNumber, operatorId: job.operator_id });
}

/**
 * A card already booked as issued is voided: its blank moves to spoiled, in the session that issued
 * it (even if that session is closed by now, so that it still reconciles). Cards made before sessions
 * existed have no issued line and are not booked.
 */
export async function voidIssuedBlank(tx: Queries, context: StoreContext, issuanceId: string, reason: VoidSpoilReason, operatorId: string | null): Promise<void> {
  const issued = await tx.get<{ session_id: string; scheme: TransitScheme; job_id: string; blank: string; card_number: string | null }>(
    `SELECT m.session_id, m.scheme, m.job_id, m.blank, m.card_number FROM stock_movements m JOIN issuance_jobs j ON j.id = m.job_id
     WHERE j.issuance_id = ? AND m.kind = 'issued'`,
    [issuanceId],
  );
  if (!issued) return;
  await insertMovement(tx, context, issued.session_id, { kind: 'voided', scheme: issued.scheme, quantity: 1, reason }, { jobId: issued.job_id, blank: issued.blank, cardNumber: issued.card_number, operatorId });
}
