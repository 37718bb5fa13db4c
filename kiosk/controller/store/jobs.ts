import type { CardType, TransitScheme } from '../../../shared/domain/card-types';
import { err, ok, type Result } from '../../../shared/result';
import type { AuditEventId } from '../logging/events';
import { audited } from './audit';
import { noteBlank, spoilHeldBlank, type BlankWhere } from './blanks';
import { isoNow, type StoreContext } from './context';
import { uuidv7 } from './ids';

/**
 * The journal of an issuance in progress: a card blank that was printed but not encoded when the power
 * failed must be found and finished (or spoiled) after the restart. `committed` is set by `recordIssuance`;
 * the job stays open through the hand-over (`ejected` to the exit slot, `taken` once the slot is empty),
 * so that a card recorded as issued but never handed over is found too.
 */
export const jobSteps = ['begun', 'card-number-allocated', 'printing', 'printed', 'encoding', 'encoded', 'verified', 'committed', 'ejected', 'taken', 'spoiled', 'abandoned'] as const;
export type JobStep = (typeof jobSteps)[number];
const closingSteps: ReadonlySet<JobStep> = new Set(['taken', 'spoiled', 'abandoned']);

export interface IssuanceJob {
  readonly jobId: string;
  readonly cardType: CardType;
  readonly step: JobStep;
  readonly operatorId: string | null;
  /** What the print queue needs to resume (card number, template...); encrypted at rest. */
  readonly context: Readonly<Record<string, unknown>>;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface BeginJobInput {
  readonly cardType: CardType;
  /** The open service session the card belongs to: refused when it is not the one open. */
  readonly sessionId: string;
  /** The transit scheme of the blank the card will take. */
  readonly scheme: TransitScheme;
  readonly operatorId: string | null;
  readonly context?: Readonly<Record<string, unknown>>;
  /** The batch row (nursing home, pre-registered list) this card is for: the row's status is read from its jobs. */
  readonly batchRowId?: string | null;
}

export type JobError = { readonly kind: 'job_not_found'; readonly jobId: string } | { readonly kind: 'job_closed'; readonly jobId: string; readonly step: JobStep };

/** No card is made without an open session: `beginIssuanceJob` throws this when the session named is not open. */
export class NoOpenSession extends Error {
  constructor(readonly sessionId: string) {
    super(`service session ${sessionId} is not open on this kiosk`);
    this.name = 'NoOpenSession';
  }
}

const jobContext = (jobId: string): string => `issuance_jobs.context:${jobId}`;

function stepEvent(step: JobStep): AuditEventId {
  switch (step) {
    case 'printed':
      return 'issuance-print';
    case 'encoded':
      return 'issuance-encode';
    case 'spoiled':
      return 'issuance-spoil';
    case 'begun':
    case 'card-number-allocated':
    case 'printing':
    case 'encoding':
    case 'verified':
    case 'committed':
    case 'ejected':
    case 'taken':
    case 'abandoned':
      return 'issuance-job-step';
    default:
      throw new Error(`unknown job step ${String(step satisfies never)}`);
  }
}

export async function beginIssuanceJob(context: StoreContext, input: BeginJobInput): Promise<string> {
  const jobId = uuidv7(context.clock);
  const now = isoNow(context);
  await audited(context.db, context, async (tx, audit) => {
    const open = await tx.get('SELECT 1 AS one FROM service_sessions WHERE id = ? AND kiosk_id = ? AND closed_at IS NULL', [input.sessionId, context.kioskId]);
    if (!open) throw new NoOpenSession(input.sessionId);
    await tx.run(
      `INSERT INTO issuance_jobs (id, kiosk_id, card_type, operator_id, step, open, context, created_at, updated_at, session_id, scheme, batch_row_id) VALUES (?, ?, ?, ?, 'begun', 1, ?, ?, ?, ?, ?, ?)`,
      [jobId, context.kioskId, input.cardType, input.operatorId, context.vault.encryptJson(input.context ?? {}, jobContext(jobId)), now, now, input.sessionId, input.scheme, input.batchRowId ?? null],
    );
    // The application is accepted for processing exactly when its job is journaled: one transaction.
    await audit({ eventId: 'issuance-application', operatorId: input.operatorId, disposition: 'success', details: { jobId, cardType: input.cardType } });
    await audit({ eventId: 'issuance-job-begin', operatorId: input.operatorId, disposition: 'na', details: { jobId, cardType: input.cardType } });
  });
  return jobId;
}

export interface MarkJobStepOptions {
  readonly operatorId?: string | null;
  /** Replaces the job's context (e.g. add the allocated card number). */
  readonly context?: Readonly<Record<string, unknown>>;
  readonly disposition?: 'success' | 'failure';
  /** A short code for a failure (ribbon-out, encode-mismatch...). */
  readonly reason?: string;
  /**
   * Where the job's card is after this step, as the printer says: a blank taken from the feeder (or the
   * one already held) is `in-printer`; a held blank no longer there is spoiled. Booked in this transaction.
   */
  readonly blank?: BlankWhere;
}

/** The key under which a parked job's personal data waits in the job's (encrypted) context. */
const parkedKey = 'parked';

export async function markJobStep(context: StoreContext, jobId: string, step: JobStep, options: MarkJobStepOptions = {}): Promise<Result<void, JobError>> {
  const now = isoNow(context);
  return audited(context.db, context, async (tx, audit) => {
    const job = await tx.get<{ step: JobStep; open: number; operator_id: string | null; context: Buffer | null }>('SELECT step, open, operator_id, context FROM issuance_jobs WHERE id = ?', [jobId]);
    if (!job) return err({ kind: 'job_not_found', jobId });
    if (job.open === 0) return err({ kind: 'job_closed', jobId, step: job.step });
    const open = closingSteps.has(step) ? 0 : 1;
    // The blank first, then the step: a job that closes without its card spoils the blank it holds.
    if (options.blank) await noteBlank(tx, context, jobId, options.blank, options.disposition === 'failure' ? options.reason : undefined);
    if (step === 'spoiled' || step === 'abandoned') await spoilHeldBlank(tx, context, jobId, options.reason);
    // A closed job keeps no parked personal data: it will never be printed again.
    const kept = open === 0 && !options.context ? withoutParked(context, jobId, job.context) : null;
    const newContext = options.context ?? kept;
    if (newContext) {
      await tx.run('UPDATE issuance_jobs SET step = ?, open = ?, context = ?, updated_at = ? WHERE id = ?', [step, open, context.vault.encryptJson(newContext, jobContext(jobId)), now, jobId]);
    } else {
      await tx.run('UPDATE issuance_jobs SET step = ?, open = ?, updated_at = ? WHERE id = ?', [step, open, now, jobId]);
    }
    await audit({
      eventId: stepEvent(step),
      operatorId: options.operatorId === undefined ? job.operator_id : options.operatorId,
      disposition: options.disposition ?? 'success',
      details: { jobId, step, reason: options.reason ?? null },
    });
    return ok(undefined);
  });
}

function withoutParked(context: StoreContext, jobId: string, sealed: Buffer | null): Record<string, unknown> | null {
  if (!sealed) return null;
  const current = context.vault.decryptJson<Record<string, unknown>>(sealed, jobContext(jobId));
  if (!(parkedKey in current)) return null;
  const { [parkedKey]: _dropped, ...rest } = current;
  return rest;
}

/**
 * Keeps an open job's personal data (application, photo) in its encrypted context while its operator
 * is away, so that nothing of it needs to stay in the controller's memory.
 */
export async function parkJob(context: StoreContext, jobId: string, data: Readonly<Record<string, unknown>>, operatorId: string | null): Promise<Result<void, JobError>> {
  return audited(context.db, context, async (tx, audit) => {
    const job = await tx.get<{ step: JobStep; open: number; context: Buffer | null }>('SELECT step, open, context FROM issuance_jobs WHERE id = ?', [jobId]);
    if (!job) return err({ kind: 'job_not_found', jobId });
    if (job.open === 0) return err({ kind: 'job_closed', jobId, step: job.step });
    const current = job.context ? context.vault.decryptJson<Record<string, unknown>>(job.context, jobContext(jobId)) : {};
    await tx.run('UPDATE issuance_jobs SET context = ?, updated_at = ? WHERE id = ?', [context.vault.encryptJson({ ...current, [parkedKey]: data }, jobContext(jobId)), isoNow(context), jobId]);
    await audit({ eventId: 'issuance-job-parked', operatorId, disposition: 'na', details: { jobId, step: job.step } });
    return ok(undefined);
  });
}

/** Takes a parked job's data back out of the store (it is removed there), with the rest of the job's context. */
export interface UnparkInput {
  /** Who brings the job back: its owner, or the supervisor taking it over. */
  readonly operatorId: string | null;
  /** The owner the job is taken over from (a supervisor's take-over), or null when the owner is back. */
  readonly takenOverFrom: string | null;
}

export async function unparkJob(
  context: StoreContext,
  jobId: string,
  input: UnparkInput,
): Promise<Result<{ readonly parked: Readonly<Record<string, unknown>>; readonly context: Readonly<Record<string, unknown>> }, JobError | { readonly kind: 'job_not_parked'; readonly jobId: string }>> {
  return audited(context.db, context, async (tx, audit) => {
    const job = await tx.get<{ step: JobStep; open: number; context: Buffer | null }>('SELECT step, open, context FROM issuance_jobs WHERE id = ?', [jobId]);
    if (!job) return err({ kind: 'job_not_found', jobId });
    if (job.open === 0) return err({ kind: 'job_closed', jobId, step: job.step });
    const current = job.context ? context.vault.decryptJson<Record<string, unknown>>(job.context, jobContext(jobId)) : {};
    const { [parkedKey]: parked, ...rest } = current;
    if (typeof parked !== 'object' || parked === null) return err({ kind: 'job_not_parked', jobId });
    await tx.run('UPDATE issuance_jobs SET context = ?, updated_at = ? WHERE id = ?', [context.vault.encryptJson(rest, jobContext(jobId)), isoNow(context), jobId]);
    if (input.takenOverFrom !== null) {
      // From now on the job is the supervisor's: the issuance is recorded under their id, the take-over with both.
      await tx.run('UPDATE issuance_jobs SET operator_id = ? WHERE id = ?', [input.operatorId, jobId]);
      await audit({ eventId: 'issuance-job-taken-over', operatorId: input.operatorId, disposition: 'success', details: { jobId, step: job.step, from: input.takenOverFrom } });
    } else {
      await audit({ eventId: 'issuance-job-resumed', operatorId: input.operatorId, disposition: 'success', details: { jobId, step: job.step } });
    }
    return ok({ parked: parked as Record<string, unknown>, context: rest });
  });
}

interface JobRow {
  id: string;
  card_type: CardType;
  step: JobStep;
  operator_id: string | null;
  context: Buffer | null;
  created_at: string;
  updated_at: string;
}

/** Jobs not yet closed (taken, spoiled or abandoned): what a restarted print queue must look at. */
export async function pendingJobs(context: StoreContext): Promise<IssuanceJob[]> {
  const rows = await context.db.all<JobRow>('SELECT * FROM issuance_jobs WHERE open = 1 ORDER BY created_at, rowid');
  return rows.map((row) => ({
    jobId: row.id,
    cardType: row.card_type,
    step: row.step,
    operatorId: row.operator_id,
    context: row.context ? context.vault.decryptJson<Record<string, unknown>>(row.context, jobContext(row.id)) : {},
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  }));
}

/**
 * The exit slot was seen empty: every card waiting there (open jobs at `ejected`) was taken. Returns
 * the jobs closed, each journaled `taken` with its audit row, all in one transaction.
 */
export async function markCardsTaken(context: StoreContext): Promise<string[]> {
  const now = isoNow(context);
  return audited(context.db, context, async (tx, audit) => {
    const jobs = await tx.all<{ id: string; operator_id: string | null }>(`SELECT id, operator_id FROM issuance_jobs WHERE open = 1 AND step = 'ejected' ORDER BY created_at, rowid`);
    for (const job of jobs) {
      await tx.run(`UPDATE issuance_jobs SET step = 'taken', open = 0, updated_at = ? WHERE id = ?`, [now, job.id]);
      await audit({ eventId: stepEvent('taken'), operatorId: job.operator_id, disposition: 'success', details: { jobId: job.id, step: 'taken', reason: null } });
    }
    return jobs.map((job) => job.id);
  });
}
