import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { batchRowStatus } from '../../../../kiosk/controller/batch/row-status';
import type { BatchApplication } from '../../../../shared/contract/batch';
import { testSession } from './session-fixture';
import { openTempStore, type TempStore } from './temp-store';

const resident: BatchApplication = {
  room: '201-2', nameZh: '林秀英', name: 'LIN HSIU-YING', idNumber: 'H222177859', birthDate: '1938-11-05', sex: 'F', district: '中壢區',
  cardType: 'senior', scheme: 'easycard', replacementCause: null, disabilityCertificate: 'none', indigenous: false, bedridden: true,
  guardian: { name: '王志明', idNumber: 'H121055834', relation: '子' },
};
const neighbour: BatchApplication = { ...resident, room: '201-1', nameZh: '陳阿金', name: '', idNumber: 'H120345615', birthDate: '1934-03-12', sex: 'M', bedridden: false, guardian: null, replacementCause: 'lost' };

const secrets = [resident.idNumber, resident.nameZh, resident.name, resident.birthDate, '王志明', 'H121055834', neighbour.nameZh];
function leaks(file: string): string[] {
  if (!existsSync(file)) return [];
  const bytes = readFileSync(file);
  return secrets.filter((secret) => [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le')].some((spelling) => bytes.includes(spelling)));
}

describe('store: batches', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
  });
  afterEach(async () => {
    await t.cleanup();
  });

  const importTwo = (): Promise<string> =>
    t.store.batches.import({
      label: '康寧長照中心', source: 'nursing-home', sessionId: null, rowsInFile: 3, operatorId: 'op-1',
      rows: [{ row: 3, application: resident }, { row: 2, application: neighbour }],
    });

  it('keeps a row\'s name, ID number, birth date and guardian out of the database file and its WAL', async () => {
    await importTwo();
    expect(existsSync(`${t.path}-wal`)).toBe(true);
    expect({ db: leaks(t.path), wal: leaks(`${t.path}-wal`) }).toEqual({ db: [], wal: [] });
    await t.store.close();
    expect(leaks(t.path)).toEqual([]);
    await t.reopen();
    const [batch] = await t.store.batches.list();
    const rows = await t.store.batches.rows(batch?.batchId ?? '');
    expect(rows.find((row) => row.room === '201-2')?.application).toEqual(resident);
  });

  it('lists the rows room by room, with what the list needs in clear and the import audited by counts only', async () => {
    const batchId = await importTwo();
    expect(await t.store.batches.list()).toMatchObject([{ batchId, label: '康寧長照中心', source: 'nursing-home', rows: 2 }]);
    const rows = await t.store.batches.rows(batchId);
    expect(rows.map((row) => [row.room, row.row, row.cardType, row.scheme, row.replacement, row.bedridden, row.job])).toEqual([
      ['201-1', 2, 'senior', 'easycard', true, false, null],
      ['201-2', 3, 'senior', 'easycard', false, true, null],
    ]);
    const audit = (await t.store.readAudit()).find((entry) => entry.eventId === 'batch-imported');
    expect(audit).toMatchObject({ operatorId: 'op-1', details: { batchId, rowsImported: 2, rowsLeftOut: 1, source: 'nursing-home' } });
    expect(JSON.stringify(audit)).not.toContain(resident.idNumber);
  });

  it('lets a list\'s personal data go with the retention purge, keeping its rooms and statuses', async () => {
    const batchId = await importTwo();
    expect((await t.store.purge({ retentionDays: 30, dryRun: true, operatorId: null })).batchRows).toBe(0);
    t.clock.advance(31 * 86_400_000);
    expect((await t.store.purge({ retentionDays: 30, dryRun: false, operatorId: null })).batchRows).toBe(2);
    const rows = await t.store.batches.rows(batchId);
    expect(rows.map((row) => [row.room, row.application])).toEqual([['201-1', null], ['201-2', null]]);
    expect(leaks(t.path).concat(leaks(`${t.path}-wal`))).toEqual([]);
  });

  it('reads a row\'s status from the card job it started, never a copy', async () => {
    const batchId = await importTwo();
    const row = (await t.store.batches.rows(batchId)).find((r) => r.room === '201-2');
    const rowId = row?.rowId ?? '';
    const status = async (onScreen = false): Promise<string> => {
      const now = await t.store.batches.row(rowId);
      return batchRowStatus(now?.job ?? null, now?.secondVisitReason != null, onScreen);
    };
    expect(await status()).toBe('waiting');
    const jobId = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: null, batchRowId: rowId });
    expect(await status(true)).toBe('in-progress');
    expect(await status()).toBe('queued');
    await t.store.markJobStep(jobId, 'printing');
    expect(await status()).toBe('printing');
    await t.store.markJobStep(jobId, 'spoiled');
    expect(await status()).toBe('waiting');
    expect((await t.store.batches.markSecondVisit(rowId, 'asleep', 'op-1')).ok).toBe(true);
    expect(await status()).toBe('second-visit');
    expect((await t.store.batches.row(rowId))?.secondVisitReason).toBe('asleep');
    // The second visit: a new job, and this one is issued.
    t.clock.advance(60_000);
    const again = await t.store.beginIssuanceJob({ ...(await testSession(t.store)), cardType: 'senior', operatorId: null, batchRowId: rowId });
    await t.store.markJobStep(again, 'printing');
    await t.store.markJobStep(again, 'committed');
    expect(await status()).toBe('issued');
    expect((await t.store.batches.markSecondVisit('no-such-row', 'absent', null)).ok).toBe(false);
  });
});
