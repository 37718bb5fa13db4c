import { spawnSync } from 'node:child_process';
import { readdirSync, renameSync, type PathLike } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { restoreStore } from '../../../../kiosk/controller/store/backup';
import { writeControllerFile } from '../../../../kiosk/controller/controller-file';
import { issuance, kioskId, openTempStore, person, type TempStore } from './temp-store';

/** Lets a test make one file operation fail the way a full or failing disk would. */
const faults = vi.hoisted(() => ({ renameTo: null as string | null, renameFailures: 1, copyTo: null as string | null }));
vi.mock('node:fs', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs')>();
  const io = (what: string) => Object.assign(new Error(`EIO: i/o error, ${what}`), { code: 'EIO' });
  return {
    ...actual,
    renameSync: (from: PathLike, to: PathLike) => {
      if (String(to) === faults.renameTo) {
        if (--faults.renameFailures <= 0) faults.renameTo = null; // by default one failure: the roll-back's renames work
        throw io('rename');
      }
      actual.renameSync(from, to);
    },
    copyFileSync: (from: PathLike, to: PathLike, mode?: number) => {
      if (String(to) === faults.copyTo) {
        actual.writeFileSync(to, 'half a copy'); // a full disk leaves a partial file behind
        throw io('copyfile');
      }
      actual.copyFileSync(from, to, mode);
    },
  };
});

const otherPerson = 'B123456780';

describe('restore: never a half-restored store, never under a running controller', () => {
  let t: TempStore;
  let backupFile: string;
  beforeEach(async () => {
    t = await openTempStore();
    await t.store.recordIssuance(issuance());
    backupFile = join(t.dir, 'backup.db');
    await t.store.backup(backupFile);
    // After the backup: present in the live store only.
    await t.store.recordIssuance(issuance({ applicant: { ...person, idNumber: otherPerson }, cardNumber: 'TY-K01-S-0000002' }));
    await t.store.close();
  });
  afterEach(async () => {
    faults.renameTo = null;
    faults.renameFailures = 1;
    faults.copyTo = null;
    await t.reopen();
    await t.cleanup();
  });

  const leftovers = () => readdirSync(t.dir).filter((name) => name.includes('.restoring') || name.includes('.pre-restore-'));
  const liveStoreIntact = async () => {
    const store = await t.reopen();
    expect(await store.heldCards(otherPerson)).toHaveLength(1);
    expect((await store.verifyAudit()).ok).toBe(true);
    expect((await store.readAudit({ limit: 100 })).map((e) => e.eventId)).not.toContain('store-restore');
  };

  it('moving the backup into place fails: the live store is put back as it was, nothing left behind', async () => {
    faults.renameTo = t.path;
    const result = await restoreStore({ backupFile, path: t.path, keyFile: t.keyFile, kioskId, clock: t.clock });
    expect(result).toMatchObject({ ok: false, error: { kind: 'restore_failed', step: 'swap', previousAt: null } });
    expect(leftovers()).toEqual([]);
    await liveStoreIntact();
  });

  it('the roll-back fails too: the error says where the previous database is, and it is there whole', async () => {
    faults.renameTo = t.path;
    faults.renameFailures = 2;
    const result = await restoreStore({ backupFile, path: t.path, keyFile: t.keyFile, kioskId, clock: t.clock });
    expect(result).toMatchObject({ ok: false, error: { kind: 'restore_failed', step: 'swap', previousAt: expect.stringContaining('.pre-restore-') } });
    if (result.ok || result.error.kind !== 'restore_failed' || result.error.previousAt === null) throw new Error('unexpected');
    expect(readdirSync(t.dir).filter((name) => name.includes('.restoring'))).toEqual([]);
    renameSync(result.error.previousAt, t.path); // what the message tells the technician to do
    await liveStoreIntact();
  });

  it('copying the backup fails (disk full): the partial copy is removed and the live store untouched', async () => {
    faults.copyTo = `${t.path}.restoring`;
    const result = await restoreStore({ backupFile, path: t.path, keyFile: t.keyFile, kioskId, clock: t.clock });
    expect(result).toMatchObject({ ok: false, error: { kind: 'restore_failed', step: 'copy' } });
    expect(leftovers()).toEqual([]);
    await liveStoreIntact();
  });

  it('refuses while another process has the store open, though no controller.json says so yet', async () => {
    const held = await t.reopen(); // the controller between opening its store and announcing itself
    const refused = await restoreStore({ backupFile, path: t.path, keyFile: t.keyFile, kioskId, clock: t.clock });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'store_in_use' } });
    expect(await held.heldCards(otherPerson)).toHaveLength(1);
    expect(leftovers()).toEqual([]);
    await liveStoreIntact();
  });

  it('refuses while a controller runs on the data directory; a stale controller file (dead pid) does not block', async () => {
    writeControllerFile(t.dir, { pid: process.pid, url: 'http://127.0.0.1:7130', token: 'x' });
    const refused = await restoreStore({ backupFile, path: t.path, keyFile: t.keyFile, kioskId, clock: t.clock });
    expect(refused).toMatchObject({ ok: false, error: { kind: 'controller_running', pid: process.pid, dataDir: t.dir } });
    expect(leftovers()).toEqual([]);
    await liveStoreIntact();
    await t.store.close();

    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    writeControllerFile(t.dir, { pid: dead, url: 'http://127.0.0.1:7130', token: 'x' });
    const restored = await restoreStore({ backupFile, path: t.path, keyFile: t.keyFile, kioskId, clock: t.clock });
    expect(restored.ok).toBe(true);
    const store = await t.reopen();
    expect(await store.heldCards(otherPerson)).toEqual([]); // the backup's content now
    expect((await store.readAudit({ limit: 100 })).map((e) => e.eventId)).toContain('store-restore');
    expect((await store.verifyAudit()).ok).toBe(true);
  });
});
