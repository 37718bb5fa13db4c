import { audited } from './audit';
import { isoNow, type StoreContext } from './context';
import type { Queries } from './database';

/**
 * Retention: personal data and photos of issued cards go after `retentionDays`, but only once every
 * change about that person has reached the central registry (outbox synced). What stays: the keyed
 * hash (so `heldCards` still answers), card numbers, types, statuses and the audit log.
 */
export interface PurgeOptions {
  readonly retentionDays: number;
  readonly dryRun: boolean;
  readonly operatorId: string | null;
}

export interface PurgeReport {
  readonly cutoff: string;
  readonly cardholders: number;
  readonly photos: number;
  readonly jobContexts: number;
  readonly outboxPayloads: number;
  /** Rows of nursing-home and pre-registered lists imported before the cut-off (their applications go). */
  readonly batchRows: number;
  /** The cardholders concerned (ids only), oldest first; at most `sampleSize`. */
  readonly sample: readonly { cardholderId: string; lastIssuedAt: string }[];
}

const dayMs = 86_400_000;
const sampleSize = 20;

const candidates = `
  SELECT c.id AS cardholder_id, MAX(i.issued_at) AS last_issued_at
  FROM cardholders c JOIN issuances i ON i.cardholder_id = c.id
  WHERE c.pii IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.cardholder_id = c.id AND o.synced_at IS NULL)
  GROUP BY c.id
  HAVING MAX(i.issued_at) < ?
  ORDER BY last_issued_at`;

async function count(tx: Queries, sql: string, params: (string | number)[]): Promise<number> {
  return (await tx.get<{ n: number }>(sql, params))?.n ?? 0;
}

const somethingToPurge = (report: PurgeReport): boolean => report.cardholders + report.photos + report.jobContexts + report.outboxPayloads + report.batchRows > 0;

export async function purge(context: StoreContext, options: PurgeOptions): Promise<PurgeReport> {
  if (!Number.isFinite(options.retentionDays) || options.retentionDays < 0) throw new Error('retentionDays must be a non-negative number');
  const cutoff = new Date(context.clock.now().getTime() - options.retentionDays * dayMs).toISOString();
  const now = isoNow(context);
  return audited(context.db, context, async (tx, audit) => {
    await tx.exec('DROP TABLE IF EXISTS temp.purge_set');
    await tx.run(`CREATE TEMP TABLE purge_set AS ${candidates}`, [cutoff]);
    const sample = await tx.all<{ cardholder_id: string; last_issued_at: string }>('SELECT * FROM temp.purge_set ORDER BY last_issued_at LIMIT ?', [sampleSize]);
    const report: PurgeReport = {
      cutoff,
      cardholders: await count(tx, 'SELECT COUNT(*) AS n FROM temp.purge_set', []),
      photos: await count(tx, 'SELECT COUNT(*) AS n FROM issuances WHERE photo IS NOT NULL AND cardholder_id IN (SELECT cardholder_id FROM temp.purge_set)', []),
      jobContexts: await count(tx, 'SELECT COUNT(*) AS n FROM issuance_jobs WHERE open = 0 AND context IS NOT NULL AND updated_at < ?', [cutoff]),
      outboxPayloads: await count(tx, 'SELECT COUNT(*) AS n FROM outbox WHERE synced_at IS NOT NULL AND payload IS NOT NULL AND created_at < ?', [cutoff]),
      batchRows: await count(tx, `SELECT COUNT(*) AS n FROM batch_rows WHERE pii IS NOT NULL AND batch_id IN (SELECT id FROM batches WHERE imported_at < ?)`, [cutoff]),
      sample: sample.map((row) => ({ cardholderId: row.cardholder_id, lastIssuedAt: row.last_issued_at })),
    };
    // A run that finds nothing changes nothing and leaves no audit row (the scheduled run is daily).
    if (!options.dryRun && somethingToPurge(report)) {
      await tx.run('UPDATE issuances SET photo = NULL WHERE photo IS NOT NULL AND cardholder_id IN (SELECT cardholder_id FROM temp.purge_set)');
      await tx.run('UPDATE cardholders SET pii = NULL, purged_at = ? WHERE id IN (SELECT cardholder_id FROM temp.purge_set)', [now]);
      await tx.run('UPDATE issuance_jobs SET context = NULL WHERE open = 0 AND context IS NOT NULL AND updated_at < ?', [cutoff]);
      await tx.run('UPDATE outbox SET payload = NULL WHERE synced_at IS NOT NULL AND payload IS NOT NULL AND created_at < ?', [cutoff]);
      await tx.run('UPDATE batch_rows SET pii = NULL WHERE pii IS NOT NULL AND batch_id IN (SELECT id FROM batches WHERE imported_at < ?)', [cutoff]);
      await audit({
        eventId: 'store-purge',
        operatorId: options.operatorId,
        disposition: 'success',
        details: { cutoff, retentionDays: options.retentionDays, cardholders: report.cardholders, photos: report.photos, jobContexts: report.jobContexts, outboxPayloads: report.outboxPayloads, batchRows: report.batchRows },
      });
    }
    await tx.exec('DROP TABLE temp.purge_set');
    return report;
  }).then(async (report) => {
    // Old page images in the WAL would still hold the purged ciphertext until the next checkpoint.
    if (!options.dryRun && somethingToPurge(report)) await context.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    return report;
  });
}
