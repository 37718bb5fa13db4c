import type { BatchApplication, BatchSource, SecondVisitReason } from '../../../shared/contract/batch';
import type { CardType } from '../../../shared/domain/card-types';
import type { TransitScheme } from '../../../shared/domain/card-types';
import { err, ok, type Result } from '../../../shared/result';
import { audited } from './audit';
import { hashPurpose, isoNow, normalizeIdNumber, type StoreContext } from './context';
import { uuidv7 } from './ids';
import type { JobStep } from './jobs';

/**
 * Nursing-home and pre-registered batches: the imported rows, each with its application encrypted like
 * a cardholder's (the room, card type and scheme stay readable to work the list). A row's progress is its
 * card jobs' (issuance_jobs.batch_row_id): read here, never copied.
 */
export interface ImportBatchInput {
  readonly label: string;
  readonly source: BatchSource;
  readonly sessionId: string | null;
  readonly rowsInFile: number;
  /** Only clean rows: a row with a problem is never imported, not even in part. */
  readonly rows: readonly { readonly row: number; readonly application: BatchApplication }[];
  readonly operatorId: string | null;
}

export interface BatchSummary {
  readonly batchId: string;
  readonly label: string;
  readonly source: BatchSource;
  readonly importedAt: string;
  readonly rows: number;
}

export interface StoredBatchRow {
  readonly rowId: string;
  readonly batchId: string;
  readonly row: number;
  readonly room: string;
  readonly cardType: CardType;
  readonly scheme: TransitScheme;
  readonly replacement: boolean;
  readonly bedridden: boolean;
  /** Null once purged. */
  readonly application: BatchApplication | null;
  readonly secondVisitReason: SecondVisitReason | null;
  /** The row's latest card job, or null when none was started. */
  readonly job: { readonly jobId: string; readonly step: JobStep; readonly open: boolean } | null;
}

export type BatchRowError = { readonly kind: 'batch_row_not_found'; readonly rowId: string };

const rowContext = (rowId: string): string => `batch_rows.pii:${rowId}`;

export async function importBatch(context: StoreContext, input: ImportBatchInput): Promise<string> {
  const batchId = uuidv7(context.clock);
  const now = isoNow(context);
  await audited(context.db, context, async (tx, audit) => {
    await tx.run(
      `INSERT INTO batches (id, kiosk_id, label, source, session_id, rows_in_file, rows_left_out, imported_at, imported_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [batchId, context.kioskId, input.label, input.source, input.sessionId, input.rowsInFile, input.rowsInFile - input.rows.length, now, input.operatorId],
    );
    for (const { row, application } of input.rows) {
      const rowId = uuidv7(context.clock);
      const idHash = context.vault.lookupHash(hashPurpose.idNumber, normalizeIdNumber(application.idNumber));
      await tx.run(
        `INSERT INTO batch_rows (id, batch_id, row_number, room, id_hash, pii, card_type, scheme, replacement, bedridden) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          rowId, batchId, row, application.room, idHash, context.vault.encryptJson(application, rowContext(rowId)),
          application.cardType, application.scheme, application.replacementCause === null ? 0 : 1, application.bedridden ? 1 : 0,
        ],
      );
    }
    await audit({
      eventId: 'batch-imported',
      operatorId: input.operatorId,
      disposition: 'success',
      details: { batchId, source: input.source, rowsImported: input.rows.length, rowsLeftOut: input.rowsInFile - input.rows.length, sessionId: input.sessionId },
    });
  });
  return batchId;
}

export async function listBatches(context: StoreContext): Promise<BatchSummary[]> {
  const rows = await context.db.all<{ id: string; label: string; source: BatchSource; imported_at: string; rows: number }>(
    `SELECT b.id, b.label, b.source, b.imported_at, (SELECT COUNT(*) FROM batch_rows r WHERE r.batch_id = b.id) AS rows
     FROM batches b ORDER BY b.imported_at DESC, b.rowid DESC`,
  );
  return rows.map((row) => ({ batchId: row.id, label: row.label, source: row.source, importedAt: row.imported_at, rows: row.rows }));
}

interface RowRecord {
  id: string;
  batch_id: string;
  row_number: number;
  room: string;
  card_type: CardType;
  scheme: TransitScheme;
  replacement: number;
  bedridden: number;
  pii: Buffer | null;
  second_visit_reason: SecondVisitReason | null;
  job_id: string | null;
  job_step: JobStep | null;
  job_open: number | null;
}

/** The latest job of each row: the newest by creation (UUIDv7 ids are time-ordered, rowid breaks ties). */
const rowSelect = `
  SELECT r.id, r.batch_id, r.row_number, r.room, r.card_type, r.scheme, r.replacement, r.bedridden, r.pii, r.second_visit_reason,
         j.id AS job_id, j.step AS job_step, j.open AS job_open
  FROM batch_rows r
  LEFT JOIN issuance_jobs j ON j.rowid = (SELECT j2.rowid FROM issuance_jobs j2 WHERE j2.batch_row_id = r.id ORDER BY j2.created_at DESC, j2.rowid DESC LIMIT 1)`;

function toStoredRow(context: StoreContext, record: RowRecord): StoredBatchRow {
  return {
    rowId: record.id,
    batchId: record.batch_id,
    row: record.row_number,
    room: record.room,
    cardType: record.card_type,
    scheme: record.scheme,
    replacement: record.replacement === 1,
    bedridden: record.bedridden === 1,
    application: record.pii ? context.vault.decryptJson<BatchApplication>(record.pii, rowContext(record.id)) : null,
    secondVisitReason: record.second_visit_reason,
    job: record.job_id && record.job_step ? { jobId: record.job_id, step: record.job_step, open: record.job_open === 1 } : null,
  };
}

/** A batch's rows, room by room (rooms sort as text: "201-1" before "201-2" before "301-1"). */
export async function batchRows(context: StoreContext, batchId: string): Promise<StoredBatchRow[]> {
  const records = await context.db.all<RowRecord>(`${rowSelect} WHERE r.batch_id = ? ORDER BY r.room, r.row_number`, [batchId]);
  return records.map((record) => toStoredRow(context, record));
}

export async function batchRow(context: StoreContext, rowId: string): Promise<StoredBatchRow | null> {
  const record = await context.db.get<RowRecord>(`${rowSelect} WHERE r.id = ?`, [rowId]);
  return record ? toStoredRow(context, record) : null;
}

export async function markSecondVisit(context: StoreContext, rowId: string, reason: SecondVisitReason, operatorId: string | null): Promise<Result<void, BatchRowError>> {
  const now = isoNow(context);
  const done = await audited(context.db, context, async (tx, audit) => {
    const row = await tx.get<{ batch_id: string }>('SELECT batch_id FROM batch_rows WHERE id = ?', [rowId]);
    if (!row) return false;
    await tx.run('UPDATE batch_rows SET second_visit_reason = ?, second_visit_at = ?, second_visit_by = ? WHERE id = ?', [reason, now, operatorId, rowId]);
    await audit({ eventId: 'batch-second-visit', operatorId, disposition: 'success', details: { batchId: row.batch_id, rowId, reason } });
    return true;
  });
  return done ? ok(undefined) : err({ kind: 'batch_row_not_found', rowId });
}
