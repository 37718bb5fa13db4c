import { z } from 'zod';
import { cardTypes, transitSchemes } from '../domain/card-types';
import { replacementCauses } from '../domain/rules';
import type { Immutable } from './immutable';
import { messageSchema } from './messages';

/**
 * Nursing-home and pre-registered batches: a list of residents (or online applications) imported as a
 * CSV or JSON file, validated row by row with the counter's own rules, then worked room by room.
 */

/** Where the list came from: a nursing home's residents, or applications made online beforehand. */
export const batchSources = ['nursing-home', 'pre-registered'] as const;
export type BatchSource = (typeof batchSources)[number];

export const batchFormats = ['csv', 'json'] as const;
export type BatchFormat = (typeof batchFormats)[number];

/** The largest file the kiosk takes (a home of 300 residents is about 40 KB of CSV). */
export const maxBatchFileChars = 512 * 1024;
/** The most rows in one batch. */
export const maxBatchRows = 2000;

/**
 * The columns of a batch file, in the README's order. CSV headers may be these names or the Chinese
 * headings a home's clerk types (`batchColumnAliases`); JSON uses these names as keys.
 */
export const batchColumns = [
  'room', 'name_zh', 'name', 'id_number', 'birth_date', 'district', 'card_type', 'scheme',
  'replacement_cause', 'disability_certificate', 'indigenous', 'bedridden', 'guardian_name', 'guardian_id_number', 'guardian_relation',
] as const;
export type BatchColumn = (typeof batchColumns)[number];
export const requiredBatchColumns: readonly BatchColumn[] = ['room', 'name_zh', 'id_number', 'birth_date', 'district', 'card_type', 'scheme'];

/**
 * One problem of one row (or of the file: `row` 0), with the column it is in (null: the row as a whole).
 * `row` is the spreadsheet row for a CSV (the header is row 1) and the list position (from 1) for JSON.
 * `reasons`: the eligibility rules' own reasons, when the card type is not available to the person.
 */
export const batchProblemSchema = z
  .object({
    row: z.number().int().nonnegative(),
    column: z.enum(batchColumns).nullable(),
    message: messageSchema,
    reasons: z.array(z.object({ zh: z.string(), en: z.string(), vi: z.string(), id: z.string() }).strict()),
  })
  .strict();
export type BatchProblem = z.infer<typeof batchProblemSchema>;

/**
 * The longest text each free-text column takes: what the counter's form takes (applicationFormSchema), so
 * that a picked row fills a form the screen can show. The import refuses a longer cell (batch.value-too-long).
 */
export const batchCellMaxLength = { room: 20, name_zh: 40, name: 80, guardian_name: 40, guardian_relation: 20 } as const satisfies Partial<Record<BatchColumn, number>>;

/** A row's application as the import checked it: what picking the row fills into the counter's form. */
export const batchApplicationSchema = z
  .object({
    room: z.string().min(1).max(batchCellMaxLength.room),
    nameZh: z.string().max(batchCellMaxLength.name_zh),
    name: z.string().max(batchCellMaxLength.name),
    idNumber: z.string().max(20),
    birthDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    sex: z.enum(['M', 'F', '']),
    district: z.string().max(10),
    cardType: z.enum(cardTypes),
    scheme: z.enum(transitSchemes),
    /** Null when the person holds no card of this type (a new card). */
    replacementCause: z.enum(replacementCauses).nullable(),
    disabilityCertificate: z.enum(['none', 'yes', 'yes-companion']),
    indigenous: z.boolean(),
    bedridden: z.boolean(),
    guardian: z.object({ name: z.string().max(batchCellMaxLength.guardian_name), idNumber: z.string().max(20), relation: z.string().max(batchCellMaxLength.guardian_relation) }).strict().nullable(),
  })
  .strict();
export type BatchApplication = z.infer<typeof batchApplicationSchema>;

/**
 * Where a row stands, derived from the card job it started: `waiting` (nobody picked it yet, or its card
 * was spoiled or abandoned), `in-progress` (its application is on the counter's screen or in review),
 * `queued`, `printing` (print, encode, verify), `issued`, `second-visit` (marked with a reason).
 */
export const batchRowStatuses = ['waiting', 'in-progress', 'queued', 'printing', 'issued', 'second-visit'] as const;
export type BatchRowStatus = (typeof batchRowStatuses)[number];

/** Why a resident needs a second visit (a code the UI words). */
export const secondVisitReasons = ['absent', 'asleep', 'in-hospital', 'refused', 'documents-missing', 'photo-not-possible', 'guardian-absent'] as const;
export type SecondVisitReason = (typeof secondVisitReasons)[number];

/**
 * The nursing-home photo exception: a bedridden or seated applicant photographed against a plain sheet.
 * The override takes one of these reasons, never free text, and is audited.
 */
export const nursingHomePhotoReasons = ['bedridden', 'wheelchair', 'cannot-hold-head-still', 'cannot-open-eyes', 'medical-device', 'cannot-face-camera'] as const;
export type NursingHomePhotoReason = (typeof nursingHomePhotoReasons)[number];

/** The import command's outcome on screen: every problem of every row at once, and what was imported. */
export const batchImportViewSchema = z
  .object({
    label: z.string(),
    rows: z.number().int().nonnegative(),
    cleanRows: z.number().int().nonnegative(),
    /** The rows with problems (their numbers), none of which was imported. */
    rejectedRows: z.array(z.number().int().nonnegative()),
    problems: z.array(batchProblemSchema),
    /** The batch id once imported; null while the file waits to be fixed (or the clean rows accepted). */
    importedBatchId: z.string().nullable(),
  })
  .strict();
export type BatchImportView = Immutable<z.infer<typeof batchImportViewSchema>>;

/** One row of the list: its room, status, and the person's name only to whom may see it. */
export const batchRowViewSchema = z
  .object({
    rowId: z.string(),
    row: z.number().int().nonnegative(),
    room: z.string(),
    /** Null for whoever may not see applicants (a technician). */
    nameZh: z.string().nullable(),
    cardType: z.enum(cardTypes),
    scheme: z.enum(transitSchemes),
    replacement: z.boolean(),
    bedridden: z.boolean(),
    status: z.enum(batchRowStatuses),
    secondVisitReason: z.enum(secondVisitReasons).nullable(),
  })
  .strict();
export type BatchRowView = Immutable<z.infer<typeof batchRowViewSchema>>;

export const batchViewSchema = z
  .object({
    batchId: z.string(),
    label: z.string(),
    source: z.enum(batchSources),
    rows: z.array(batchRowViewSchema),
  })
  .strict();
export type BatchView = Immutable<z.infer<typeof batchViewSchema>>;

/**
 * The batches as the snapshot carries them (to signed-in staff; null otherwise): the import on show, the
 * list being worked, and whether the photo step takes the nursing-home exception's fixed reasons.
 */
export const batchSnapshotSchema = z
  .object({
    import: batchImportViewSchema.nullable(),
    current: batchViewSchema.nullable(),
    /** Every list imported on this kiosk, newest first, to choose the one to work. */
    lists: z.array(z.object({ batchId: z.string(), label: z.string(), source: z.enum(batchSources), importedAt: z.string(), rows: z.number().int().nonnegative() }).strict()),
    /** The row whose application is at the counter now, or null. */
    onScreenRowId: z.string().nullable(),
    /** A photo override now takes a reason from `nursingHomePhotoReasons` (not free text). */
    photoException: z.boolean(),
  })
  .strict();
export type BatchSnapshot = Immutable<z.infer<typeof batchSnapshotSchema>>;

/** The batch commands (part of the kiosk's command union). */
export const batchCommandSchemas = [
  /**
   * A list to import: imported at once when every row is clean; otherwise nothing is imported and the
   * problems are listed (`batch.import`) until the file is fixed, or a supervisor imports the clean rows.
   */
  z
    .object({
      type: z.literal('import-batch'),
      label: z.string().trim().min(2).max(60),
      source: z.enum(batchSources),
      format: z.enum(batchFormats),
      content: z.string().min(1).max(maxBatchFileChars),
    })
    .strict(),
  /** The supervisor's say-so: import the clean rows of the list on show; the others stay listed, not imported. */
  z.object({ type: z.literal('import-batch-clean-rows') }).strict(),
  /** Starts an application with the row's data filled in. */
  z.object({ type: z.literal('pick-batch-row'), rowId: z.string().regex(/^[\w-]{1,64}$/) }).strict(),
  z.object({ type: z.literal('mark-second-visit'), rowId: z.string().regex(/^[\w-]{1,64}$/), reason: z.enum(secondVisitReasons) }).strict(),
  /** The nursing-home photo exception: an override with a reason from the fixed list. */
  z.object({ type: z.literal('override-photo-nursing-home'), reason: z.enum(nursingHomePhotoReasons) }).strict(),
  /** Shows another imported list (a second visit to a home). */
  z.object({ type: z.literal('show-batch'), batchId: z.string().regex(/^[\w-]{1,64}$/) }).strict(),
  /** Clears the import's problem list from the screen. */
  z.object({ type: z.literal('dismiss-batch-import') }).strict(),
] as const;
