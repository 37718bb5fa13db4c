import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import sqlite3 from 'sqlite3';
import type { Clock } from '../../../shared/clock';
import { systemClock } from '../../../shared/clock';
import type { LogSink } from '../../../shared/log';
import { err, ok, type Result } from '../../../shared/result';
import { readControllerFile } from '../controller-file';
import type { AuditBreak } from './audit';
import { highWaterSuffix } from './high-water';
import { openStore, type OpenStoreError } from './store';

export interface RestoreOptions {
  readonly backupFile: string;
  readonly path: string;
  readonly keyFile: string;
  readonly kioskId: string;
  readonly clock?: Clock;
  readonly log?: LogSink;
}

export type RestoreError =
  /** A controller (pid alive) runs on the store's data directory: it holds the database open. */
  | { readonly kind: 'controller_running'; readonly pid: number; readonly dataDir: string }
  /** Another process has the database open (a controller still starting, or one whose controller.json is gone). */
  | { readonly kind: 'store_in_use' }
  | { readonly kind: 'backup_missing' }
  | { readonly kind: 'key_file_missing' }
  | { readonly kind: 'backup_unusable'; readonly cause: OpenStoreError }
  /**
   * Copying, checking or swapping files failed (`message` says why); the store was left as it was, unless
   * even the roll-back failed: then `previousAt` is where the previous database still is.
   */
  | { readonly kind: 'restore_failed'; readonly step: 'copy' | 'audit' | 'swap'; readonly message: string; readonly previousAt: string | null }
  | AuditBreak;

/** The WAL goes with its database; the -shm index is rebuilt by SQLite from the WAL, so it is dropped. */
const walSuffix = '-wal';
const shmSuffix = '-shm';
/** The high-water mark (high-water.ts) belongs to its database: a restored one brings its own. */
const sidecars = ['', walSuffix, shmSuffix, highWaterSuffix] as const;

function removeAll(base: string): void {
  for (const suffix of sidecars) rmSync(`${base}${suffix}`, { force: true });
}

/**
 * Replaces the store (closed) by a backup: the backup is copied next to the store, opened with this
 * kiosk's key (wrong key or kiosk refused), migrated, its audit chain verified and the restore audited
 * in that copy; only then is it moved into place, the replaced database kept as
 * `<path>.pre-restore-<time>`. Either the store is the verified backup or it is left as it was: a
 * failed move is rolled back. Refused while a controller runs on the store's directory.
 */
export async function restoreStore(options: RestoreOptions): Promise<Result<{ auditRows: number; previousKeptAs: string | null }, RestoreError>> {
  // The controller keeps its database at <dataDir>/kiosk.sqlite and announces itself in <dataDir>/controller.json.
  const dataDir = dirname(resolve(options.path));
  const running = readControllerFile(dataDir);
  if (running) return err({ kind: 'controller_running', pid: running.pid, dataDir });
  if (existsSync(options.path) && (await openElsewhere(options.path))) return err({ kind: 'store_in_use' });
  if (!existsSync(options.backupFile)) return err({ kind: 'backup_missing' });
  if (!existsSync(options.keyFile)) return err({ kind: 'key_file_missing' }); // never mint a new key for old data
  const clock = options.clock ?? systemClock;
  const staging = `${options.path}.restoring`;
  removeAll(staging);
  try {
    copyFileSync(options.backupFile, staging);
  } catch (error) {
    removeAll(staging);
    return err({ kind: 'restore_failed', step: 'copy', message: (error as Error).message, previousAt: null });
  }

  const previousKeptAs = existsSync(options.path) ? `${options.path}.pre-restore-${clock.now().toISOString().replace(/[:.]/g, '-')}` : null;
  const checked = await verifyAndAudit(staging, options, clock, previousKeptAs !== null).catch((error: unknown) =>
    err({ kind: 'restore_failed' as const, step: 'audit' as const, message: (error as Error).message, previousAt: null }),
  );
  if (!checked.ok) {
    removeAll(staging);
    return checked;
  }
  rmSync(`${staging}${shmSuffix}`, { force: true });

  const swapped = swapInto(staging, options.path, previousKeptAs);
  if (!swapped.ok) {
    removeAll(staging);
    return swapped;
  }
  return ok({ auditRows: checked.value, previousKeptAs });
}

async function verifyAndAudit(staging: string, options: RestoreOptions, clock: Clock, previousKept: boolean): Promise<Result<number, RestoreError>> {
  const opened = await openStore({ path: staging, keyFile: options.keyFile, kioskId: options.kioskId, clock, auditOpen: false, ...(options.log ? { log: options.log } : {}) });
  if (!opened.ok) return err({ kind: 'backup_unusable', cause: opened.error });
  const store = opened.value;
  try {
    const verified = await store.verifyAudit();
    if (!verified.ok) return verified;
    // Audited in the copy, before the swap: after the swap nothing is left that could fail.
    await store.appendAudit({ eventId: 'store-restore', operatorId: null, disposition: 'success', details: { backupAuditRows: verified.value.rows, previousKept } });
    return ok(verified.value.rows);
  } finally {
    await store.close();
  }
}

/**
 * Moves the live database (WAL first, so that a database never meets another's WAL) aside and the
 * staging file into place; any failed rename undoes the ones done, newest first.
 */
function swapInto(staging: string, path: string, keptAs: string | null): Result<void, RestoreError> {
  const done: Array<{ from: string; to: string }> = [];
  const move = (from: string, to: string): void => {
    renameSync(from, to);
    done.push({ from, to });
  };
  try {
    if (keptAs !== null) {
      for (const suffix of [walSuffix, shmSuffix, highWaterSuffix, '']) if (existsSync(`${path}${suffix}`)) move(`${path}${suffix}`, `${keptAs}${suffix}`);
    }
    // Whatever sidecar remains belongs to no database now (the live one went aside with its own).
    rmSync(`${path}${walSuffix}`, { force: true });
    rmSync(`${path}${shmSuffix}`, { force: true });
    // The old mark would count the replaced database's records as lost: the restored one's mark replaces it.
    rmSync(`${path}${highWaterSuffix}`, { force: true });
    if (existsSync(`${staging}${highWaterSuffix}`)) move(`${staging}${highWaterSuffix}`, `${path}${highWaterSuffix}`);
    // A closed database normally leaves no WAL; should one remain, it travels with its database.
    if (existsSync(`${staging}${walSuffix}`)) move(`${staging}${walSuffix}`, `${path}${walSuffix}`);
    move(staging, path);
    return ok(undefined);
  } catch (error) {
    let stranded = false;
    for (const step of done.reverse()) {
      try {
        renameSync(step.to, step.from);
      } catch {
        stranded = true; // nothing more to do here: the error says where the previous database is
      }
    }
    return err({ kind: 'restore_failed', step: 'swap', message: (error as Error).message, previousAt: stranded ? keptAs : null });
  }
}

/**
 * True when some other connection has the database open: an exclusive lock cannot be had then (an open
 * WAL connection keeps a shared lock). Catches a controller between opening its store and writing
 * controller.json. The probe lets go at once; it waits for nobody.
 */
async function openElsewhere(path: string): Promise<boolean> {
  const db = await new Promise<sqlite3.Database | null>((done) => {
    const opened = new sqlite3.Database(path, sqlite3.OPEN_READWRITE, (error) => done(error ? null : opened));
  });
  if (!db) return false; // unreadable or damaged: exactly what a restore is for
  try {
    await new Promise<void>((done, fail) => db.exec('PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE; COMMIT;', (error) => (error ? fail(error) : done())));
    return false;
  } catch (error) {
    return (error as { code?: string }).code === 'SQLITE_BUSY';
  } finally {
    await new Promise<void>((done) => db.close(() => done()));
  }
}
