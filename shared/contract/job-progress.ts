import { z } from 'zod';
import { cardTypes, transitSchemes } from '../domain/card-types';
import { feeViewSchema } from './fee';
import type { Immutable } from './immutable';

/**
 * Issue 16: a card job's progress as the queue (and the applicant's screen) shows it, and the summary
 * of a finished card for the done view.
 *
 * The steps a card goes through at the printer, in order. The printer reports its own (the card taken in,
 * each side printed, parked at the contactless station, ejected); the encoder reports the chip written
 * (`encode`) and read back (`verify`); `record` is the issuance written to the store. A single-sided card
 * has no `print-back`.
 */
export const jobSteps = ['insert', 'print-front', 'print-back', 'encode', 'verify', 'record', 'eject'] as const;
export type JobStep = (typeof jobSteps)[number];

/** `active`: under way now; `failed`: the job's error happened at this step. */
export const jobStepStates = ['pending', 'active', 'done', 'failed'] as const;
export type JobStepState = (typeof jobStepStates)[number];

export const jobStepViewSchema = z.object({ step: z.enum(jobSteps), state: z.enum(jobStepStates) }).strict();
export type JobStepView = Immutable<z.infer<typeof jobStepViewSchema>>;

/**
 * How far a job is and how long it still takes, when the snapshot was made: estimated from the printer's
 * step reports and the durations this kiosk measured for each step (the datasheet's until measured).
 * The screen counts `secondsLeft` down between snapshots.
 */
export const jobProgressSchema = z
  .object({
    /** The step under way (or the one that failed); null while queued and once the card is out. */
    step: z.enum(jobSteps).nullable(),
    /** 0 queued … 1 card at the exit. */
    fraction: z.number().min(0).max(1),
    /** Estimated seconds until the card is at the exit (0 once it is). */
    secondsLeft: z.number().int().nonnegative(),
    /** Every step of this card, in order, with its state. */
    steps: z.array(jobStepViewSchema),
  })
  .strict();
export type JobProgressView = Immutable<z.infer<typeof jobProgressSchema>>;

/**
 * What the done view shows of an issued card (only to whoever may see the job's applicant):
 * `expiry` as written on the chip (YYYY-MM-DD), `chipVerified` once the chip was read back and matched,
 * `fee` the issuance's fee (null when it is not known yet).
 */
export const jobSummarySchema = z
  .object({
    cardType: z.enum(cardTypes),
    scheme: z.enum(transitSchemes),
    expiry: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD'),
    chipVerified: z.boolean(),
    fee: feeViewSchema.nullable(),
  })
  .strict();
export type JobSummaryView = Immutable<z.infer<typeof jobSummarySchema>>;
