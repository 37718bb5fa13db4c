import { z } from 'zod';
import { cardTypes, transitSchemes } from '../domain/card-types';
import { sessionModes, spoilReasons } from '../domain/service-session';

/**
 * The figures a team reports, as the controller sends them to the supervisor's screen and `kioskctl
 * stats --json` prints them: counts, durations and card numbers only, never a person's data.
 * Hours and days are the kiosk's local time (Taiwan, UTC+8, no daylight saving).
 */

const count = z.number().int().nonnegative();
const perCardType = z.object(Object.fromEntries(cardTypes.map((type) => [type, count])) as Record<(typeof cardTypes)[number], typeof count>).strict();
const perScheme = z.object(Object.fromEntries(transitSchemes.map((scheme) => [scheme, count])) as Record<(typeof transitSchemes)[number], typeof count>).strict();
const perSpoilReason = z.object(Object.fromEntries(spoilReasons.map((reason) => [reason, count])) as Record<(typeof spoilReasons)[number], typeof count>).strict();

/** The stages of one applicant's time, each between two marks of the job journal. */
export const reportStages = ['counter', 'queue', 'print', 'encode'] as const;
export type ReportStage = (typeof reportStages)[number];

/** Fees of one settlement method: how many cards and how many NT dollars. */
const feeTotal = z.object({ count, amount: count }).strict();

/**
 * Replacement fees by how they were settled (issue 16), over every card issued in the period (a card
 * voided afterwards included: its fee was taken). `unrecorded`: cards with a fee recorded before
 * fees were settled at the review (no method on file).
 */
export const feeFiguresSchema = z.object({ cash: feeTotal, wallet: feeTotal, waived: feeTotal, unrecorded: feeTotal }).strict();
export type FeeFigures = z.infer<typeof feeFiguresSchema>;

export const cardFiguresSchema = z
  .object({
    /** Cards issued and not voided since. */
    issued: count,
    byCardType: perCardType,
    byScheme: perScheme,
    /** Of `issued`, replacements, and their causes (codes: lost, damaged, ...). */
    replacements: count,
    replacementCauses: z.record(z.string(), count),
    /** Cards issued and voided afterwards (at the counter or by crash recovery). */
    voided: count,
    fees: feeFiguresSchema,
  })
  .strict();
export type CardFigures = z.infer<typeof cardFiguresSchema>;

export const stageFiguresSchema = z
  .object({
    stage: z.enum(reportStages),
    /** Applicants measured (a job whose journal lacks either mark is not). */
    jobs: count,
    medianSeconds: z.number().nonnegative().nullable(),
    meanSeconds: z.number().nonnegative().nullable(),
    maxSeconds: z.number().nonnegative().nullable(),
  })
  .strict();
export type StageFigures = z.infer<typeof stageFiguresSchema>;

export const spoilageFiguresSchema = z.object({ total: count, byReason: perSpoilReason }).strict();
export type SpoilageFigures = z.infer<typeof spoilageFiguresSchema>;

export const schemeLedgerSchema = z
  .object({
    loaded: count,
    issued: count,
    spoiled: count,
    returned: count,
    /** What the ledger says is left (after the closing adjustments, once closed). */
    left: z.number().int(),
    /** The closing count and its difference from the ledger before adjustment; null while open. */
    counted: count.nullable(),
    discrepancy: z.number().int().nullable(),
  })
  .strict();
export type SchemeLedger = z.infer<typeof schemeLedgerSchema>;

export const hourFiguresSchema = z
  .object({
    /** Local start of the hour, `YYYY-MM-DDTHH:00`. */
    hour: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:00$/),
    byScheme: perScheme,
    total: count,
  })
  .strict();

export const sessionFiguresSchema = z
  .object({
    kind: z.literal('session'),
    session: z
      .object({
        id: z.string(),
        site: z.string(),
        mode: z.enum(sessionModes),
        openedAt: z.string(),
        closedAt: z.string().nullable(),
        note: z.string().nullable(),
      })
      .strict(),
    cards: cardFiguresSchema,
    perHour: z.array(hourFiguresSchema),
    stages: z.array(stageFiguresSchema),
    spoilage: spoilageFiguresSchema,
    ledger: z.object({ easycard: schemeLedgerSchema, ipass: schemeLedgerSchema }).strict(),
    /** Whether `loaded = issued + spoiled + returned + left` holds for every scheme. */
    reconciles: z.boolean(),
    /** The numbers of the cards issued (not voided), in order of issue: what the report may name. */
    cardNumbers: z.array(z.string()),
  })
  .strict();
export type SessionFigures = z.infer<typeof sessionFiguresSchema>;

export const dayFiguresSchema = z
  .object({ day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/), issued: count, replacements: count, spoiled: count })
  .strict();

export const periodFiguresSchema = z
  .object({
    kind: z.literal('period'),
    /** Local calendar days, both included. */
    from: z.string(),
    to: z.string(),
    sessions: count,
    cards: cardFiguresSchema,
    spoilage: spoilageFiguresSchema,
    perDay: z.array(dayFiguresSchema),
  })
  .strict();
export type PeriodFigures = z.infer<typeof periodFiguresSchema>;

export const reportFiguresSchema = z.discriminatedUnion('kind', [sessionFiguresSchema, periodFiguresSchema]);
export type ReportFigures = z.infer<typeof reportFiguresSchema>;

/** The sessions the supervisor's screen lists, newest first. */
export const reportSessionListSchema = z.array(
  z.object({ id: z.string(), site: z.string(), mode: z.enum(sessionModes), openedAt: z.string(), closedAt: z.string().nullable() }).strict(),
);
export type ReportSessionList = z.infer<typeof reportSessionListSchema>;
