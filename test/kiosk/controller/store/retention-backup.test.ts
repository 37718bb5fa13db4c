import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { restoreStore } from '../../../../kiosk/controller/store/backup';
import { openDatabase } from '../../../../kiosk/controller/store/database';
import { issuance, kioskId, openTempStore, person, type TempStore } from './temp-store';

const day = 86_400_000;

describe('store: retention', () => {
  let t: TempStore;
  beforeEach(async () => {
    t = await openTempStore();
    await t.store.recordIssuance(issuance({ photoJpeg: Buffer.from('JPEG') }));
    t.clock.advance(10 * day);
    await t.store.recordIssuance(issuance({ applicant: { ...person, idNumber: 'B123456780' }, cardNumber: 'TY-K01-S-0000002' }));
    t.clock.advance(31 * day);
  });
  afterEach(async () => {
    await t.cleanup();
  });

  it('purges nothing that has not reached the central registry', async () => {
    const report = await t.store.purge({ retentionDays: 30, dryRun: false, operatorId: null });
    expect(report.cardholders).toBe(0);
    expect((await t.store.findCardholder(person.idNumber))?.applicant).not.toBeNull();
  });

  it('a dry run reports what would go and changes nothing; the real run purges it and keeps the cards', async () => {
    await t.store.outbox.markSynced((await t.store.outbox.pending(100)).map((c) => c.id));
    const dry = await t.store.purge({ retentionDays: 35, dryRun: true, operatorId: null });
    expect(dry).toMatchObject({ cardholders: 1, photos: 1, outboxPayloads: 2 });
    expect((await t.store.findCardholder(person.idNumber))?.applicant).not.toBeNull();

    const done = await t.store.purge({ retentionDays: 35, dryRun: false, operatorId: 'sup-1' });
    expect(done).toMatchObject({ cardholders: 1, photos: 1 });
    const purged = await t.store.findCardholder(person.idNumber);
    expect(purged?.applicant).toBeNull();
    expect(purged?.cards).toMatchObject([{ cardNumber: 'TY-K01-S-0000001', status: 'active' }]);
    expect((await t.store.findCardholder('B123456780'))?.applicant).not.toBeNull(); // issued 31 days ago: kept
    expect((await t.store.readAudit({ limit: 100 })).at(-1)).toMatchObject({ eventId: 'store-purge', operatorId: 'sup-1', details: { cardholders: 1 } });
  });

  it('leaves no copy of the purged ciphertext in the file or the WAL (the key would still open it)', async () => {
    await t.store.outbox.markSynced((await t.store.outbox.pending(100)).map((c) => c.id));
    await t.store.close();
    const raw = await openDatabase(t.path);
    const before = await raw.all<{ pii: Buffer }>('SELECT pii FROM cardholders');
    const photo = await raw.get<{ photo: Buffer }>('SELECT photo FROM issuances WHERE photo IS NOT NULL');
    await raw.close();
    const sealed = [...before.map((row) => row.pii), photo?.photo].filter((b): b is Buffer => b !== undefined);
    expect(sealed).toHaveLength(3);
    const present = (file: string) => (existsSync(file) ? sealed.filter((blob) => readFileSync(file).includes(blob.subarray(0, 48))).length : 0);
    expect(present(t.path) + present(`${t.path}-wal`)).toBe(3); // the probe finds them before the purge

    await t.reopen();
    await t.store.purge({ retentionDays: 35, dryRun: false, operatorId: null });
    // person A's data and photo are gone; person B's (kept) is still there
    expect(present(t.path) + present(`${t.path}-wal`)).toBe(1);
  });
});

describe('store: backup and restore', () => {
  let t: TempStore;
  let elsewhere: string;
  beforeEach(async () => {
    t = await openTempStore();
    elsewhere = mkdtempSync(join(tmpdir(), 'kiosk-backup-'));
    await t.store.recordIssuance(issuance());
  });
  afterEach(async () => {
    await t.cleanup();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('backs up online and restores, keeping the replaced database aside and auditing the restore', async () => {
    const file = join(elsewhere, 'backup.db');
    expect(await t.store.backup(file)).toEqual({ ok: true, value: { file } });
    await t.store.recordIssuance(issuance({ applicant: { ...person, idNumber: 'B123456780' }, cardNumber: 'TY-K01-S-0000002' }));
    await t.store.close();

    const restored = await restoreStore({ backupFile: file, path: t.path, keyFile: t.keyFile, kioskId, clock: t.clock });
    expect(restored.ok).toBe(true);
    if (restored.ok) expect(existsSync(restored.value.previousKeptAs ?? '')).toBe(true);
    await t.reopen();
    expect(await t.store.heldCards(person.idNumber)).toHaveLength(1);
    expect(await t.store.heldCards('B123456780')).toEqual([]); // after the backup: gone with the restore
    expect((await t.store.verifyAudit()).ok).toBe(true);
    expect((await t.store.readAudit({ limit: 100 })).map((e) => e.eventId)).toContain('store-restore');
  });

  it('refuses a backup that needs another key, or whose audit chain was tampered with', async () => {
    const file = join(elsewhere, 'backup.db');
    await t.store.backup(file);
    await t.store.close();
    const wrongKey = await restoreStore({ backupFile: file, path: t.path, keyFile: join(elsewhere, 'none.key'), kioskId });
    expect(wrongKey).toMatchObject({ ok: false, error: { kind: 'key_file_missing' } });

    const otherKey = join(elsewhere, 'other.key');
    writeFileSync(otherKey, `${'cd'.repeat(32)}\n`, { mode: 0o600 });
    const otherKiosk = await restoreStore({ backupFile: file, path: t.path, keyFile: otherKey, kioskId });
    expect(otherKiosk).toMatchObject({ ok: false, error: { kind: 'backup_unusable', cause: { kind: 'wrong_key' } } });

    const raw = await openDatabase(file);
    await raw.exec(`DROP TRIGGER audit_no_update; UPDATE audit SET disposition = 'failure' WHERE seq = 2`);
    await raw.close();
    const tampered = await restoreStore({ backupFile: file, path: t.path, keyFile: t.keyFile, kioskId });
    expect(tampered).toMatchObject({ ok: false, error: { kind: 'audit_broken', seq: 2 } });
    await t.reopen();
    expect(await t.store.heldCards(person.idNumber)).toHaveLength(1); // the live store was not touched
  });
});
