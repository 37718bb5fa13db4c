import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOperatorService } from '../../../../kiosk/controller/auth/operator-service';
import { highWaterFileOf, readHighWater } from '../../../../kiosk/controller/store/high-water';
import { openStore, type OpenStoreOptions } from '../../../../kiosk/controller/store/store';
import { storeProblem } from '../../../../kiosk/controller/store/store-problem';
import { runKioskctl } from '../../../scripts/kioskctl/run-kioskctl';
import { issuance, kioskId, openTempStore, type TempStore } from './temp-store';

/**
 * A WAL cut off after a crash or by a bad copy: SQLite opens the database without the commits whose
 * frames are gone and says nothing. The high-water mark outside the database makes the store notice.
 */
const files = (path: string) => [path, `${path}-wal`, highWaterFileOf(path)];

describe('committed records lost from a cut-off WAL', () => {
  let t: TempStore;
  let copies: string;
  beforeEach(async () => {
    t = await openTempStore();
    copies = mkdtempSync(join(tmpdir(), 'kiosk-wal-copies-'));
  });
  afterEach(async () => {
    await t.cleanup();
    rmSync(copies, { recursive: true, force: true });
  });

  /** Two cards committed, then the WAL's last frames cut off: the second card's commit is gone. */
  async function tornCopy(): Promise<{ path: string; fullWal: Buffer }> {
    await t.store.recordIssuance(issuance({ cardNumber: 'TY-K01-S-0000001' }));
    await t.store.recordIssuance(issuance({ cardNumber: 'TY-K01-S-0000002', applicant: { ...issuance().applicant, idNumber: 'B223456780' } }));
    const path = join(mkdtempSync(join(copies, 'torn-')), 'kiosk.db');
    for (const [i, file] of files(t.path).entries()) copyFileSync(file, files(path)[i]!);
    const fullWal = readFileSync(`${path}-wal`);
    truncateSync(`${path}-wal`, fullWal.length - 100);
    return { path, fullWal };
  }

  const open = (path: string, overrides: Partial<OpenStoreOptions> = {}) => openStore({ path, keyFile: t.keyFile, kioskId, clock: t.clock, ...overrides });

  it('the mark follows every audited commit', async () => {
    const before = readHighWater(highWaterFileOf(t.path));
    const { seq } = await t.store.appendAudit({ eventId: 'device-fault', operatorId: null, disposition: 'failure' });
    expect(readHighWater(highWaterFileOf(t.path))?.seq).toBe(seq);
    expect(seq).toBeGreaterThan(before?.seq ?? 0);
  });

  it('refuses to open, says what was lost and how to mend it, and touches neither the database nor its WAL', async () => {
    const { path } = await tornCopy();
    const walBefore = readFileSync(`${path}-wal`);
    const dbBefore = readFileSync(path);
    const opened = await open(path);
    expect(opened.ok).toBe(false);
    if (opened.ok) return;
    expect(opened.error).toMatchObject({ kind: 'records_lost', markFile: highWaterFileOf(path) });
    if (opened.error.kind !== 'records_lost') return;
    expect(opened.error.foundSeq).toBeLessThan(opened.error.markSeq);
    const said = storeProblem(opened.error, t.keyFile);
    expect(said).toContain(`its newest audit record is number ${opened.error.foundSeq}`);
    expect(said).toContain('kiosk.sqlite-wal');
    expect(said).toContain('kioskctl lost-records accept');
    expect(readFileSync(`${path}-wal`).equals(walBefore)).toBe(true);
    expect(readFileSync(path).equals(dbBefore)).toBe(true);
  });

  it('opens with every card once the complete WAL is put back', async () => {
    const { path, fullWal } = await tornCopy();
    expect((await open(path)).ok).toBe(false);
    copyFileSync(t.path + '-wal', `${path}-wal`); // the original, still in place where the bad copy came from
    expect(readFileSync(`${path}-wal`).length).toBe(fullWal.length);
    const opened = await open(path);
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    expect((await opened.value.cardByNumber('TY-K01-S-0000002'))?.status).toBe('active');
    expect((await opened.value.verifyAudit()).ok).toBe(true);
    await opened.value.close();
  });

  it('a supervisor accepts the loss (audited with the missing records): then the store opens and its mark follows again', async () => {
    const { path } = await tornCopy();
    const lostOpen = await open(path, { lostRecords: 'open' });
    if (!lostOpen.ok) throw new Error(JSON.stringify(lostOpen.error));
    const lost = lostOpen.value.lostRecords();
    expect(lost).not.toBeNull();
    // Only the lost card is gone: the first is there.
    expect(await lostOpen.value.cardByNumber('TY-K01-S-0000002')).toBeNull();
    expect((await lostOpen.value.cardByNumber('TY-K01-S-0000001'))?.status).toBe('active');
    const accepted = await lostOpen.value.acceptLostRecords('supervisor-1');
    if (!accepted.ok) throw new Error(accepted.error.kind);
    expect(accepted.value).toMatchObject({ markSeq: lost!.markSeq, foundSeq: lost!.foundSeq });
    expect(lostOpen.value.lostRecords()).toBeNull();
    await lostOpen.value.close();
    expect(readHighWater(highWaterFileOf(path))?.seq).toBe(accepted.value.auditSeq);

    const opened = await open(path);
    if (!opened.ok) throw new Error(JSON.stringify(opened.error));
    const [row] = (await opened.value.readAudit({ limit: 1000 })).filter((entry) => entry.eventId === 'store-records-lost-accepted');
    expect(row).toMatchObject({ operatorId: 'supervisor-1', details: { markSeq: lost!.markSeq, foundSeq: lost!.foundSeq } });
    expect((await opened.value.verifyAudit()).ok).toBe(true);
    await opened.value.close();
  });

  it('a crash (no cut) loses nothing and is not refused; a database from before marks gets one', async () => {
    await t.store.recordIssuance(issuance());
    const path = join(mkdtempSync(join(copies, 'crash-')), 'kiosk.db');
    for (const [i, file] of files(t.path).entries()) copyFileSync(file, files(path)[i]!);
    const opened = await open(path);
    expect(opened.ok).toBe(true);
    if (opened.ok) await opened.value.close();
    rmSync(highWaterFileOf(path));
    const again = await open(path);
    if (!again.ok) throw new Error(JSON.stringify(again.error));
    await again.value.close();
    expect(readHighWater(highWaterFileOf(path))?.seq).toBeGreaterThan(0);
  });

  it('a restored backup brings its own mark: the restore is not taken for a loss', async () => {
    const backup = join(copies, 'backup.sqlite');
    expect((await t.store.backup(backup)).ok).toBe(true);
    await t.store.recordIssuance(issuance());
    await t.store.close();
    const { restoreStore } = await import('../../../../kiosk/controller/store/backup');
    const restored = await restoreStore({ path: t.path, keyFile: t.keyFile, kioskId, backupFile: backup });
    expect(restored.ok).toBe(true);
    expect(statSync(highWaterFileOf(t.path)).size).toBeGreaterThan(0);
    await t.reopen(); // throws if refused
  });

  it('kioskctl lost-records: show names the loss; accept is a supervisor’s (card and PIN), then the kiosk may start', { timeout: 30_000 }, async () => {
    const auth = createOperatorService(t.store, { clock: t.clock, pinCost: { N: 1024, r: 8, p: 1 } });
    await auth.addOperator({ staffCardNumber: 'STAFF-S-1', name: 'SUPERVISOR', role: 'supervisor', pin: '482913', actorId: null });
    await auth.addOperator({ staffCardNumber: 'STAFF-O-1', name: 'OPERATOR', role: 'operator', pin: '571846', actorId: null });
    const { path } = await tornCopy();
    const flags = ['--db', path, '--key', t.keyFile, '--kiosk', kioskId];
    const shown = await runKioskctl(['lost-records', 'show', ...flags]);
    expect(shown.code, shown.stderr).toBe(1);
    expect(shown.stdout).toContain('committed records are missing from the database');
    const asOperator = await runKioskctl(['lost-records', 'accept', '--card', 'STAFF-O-1', ...flags], '571846\n');
    expect(asOperator.code).toBe(1);
    expect(asOperator.stderr).toContain('refused');
    expect((await open(path)).ok).toBe(false);
    const asSupervisor = await runKioskctl(['lost-records', 'accept', '--card', 'STAFF-S-1', ...flags], '482913\n');
    expect(asSupervisor.code, asSupervisor.stderr).toBe(0);
    expect(asSupervisor.stdout).toMatch(/^accepted: audit records \d+–\d+ are lost/);
    const opened = await open(path);
    expect(opened.ok).toBe(true);
    if (opened.ok) await opened.value.close();
    expect((await runKioskctl(['lost-records', 'show', ...flags])).code).toBe(0);
  });
});
