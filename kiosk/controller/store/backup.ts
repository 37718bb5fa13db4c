import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import type { Clock } from '../../../shared/clock';
import { systemClock } from '../../../shared/clock';
import type { LogSink } from '../../../shared/log';
import { err, ok, type Result } from '../../../shared/result';
import type { AuditBreak } from './audit';
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
  | { readonly kind: 'backup_missing' }
  | { readonly kind: 'key_file_missing' }
  | { readonly kind: 'backup_unusable'; readonly cause: OpenStoreError }
  | AuditBreak;

const sidecars = ['', '-wal', '-shm'] as const;

/**
 * Replaces the store (closed) by a backup: the backup is copied next to the store, opened with this
 * kiosk's key (wrong key or kiosk refused), migrated, its audit chain verified, and only then moved into
 * place. The replaced database is kept as `<path>.pre-restore-<time>`; the restore itself is audited.
 */
export async function restoreStore(options: RestoreOptions): Promise<Result<{ auditRows: number; previousKeptAs: string | null }, RestoreError>> {
  if (!existsSync(options.backupFile)) return err({ kind: 'backup_missing' });
  if (!existsSync(options.keyFile)) return err({ kind: 'key_file_missing' }); // never mint a new key for old data
  const clock = options.clock ?? systemClock;
  const staging = `${options.path}.restoring`;
  for (const suffix of sidecars) rmSync(`${staging}${suffix}`, { force: true });
  copyFileSync(options.backupFile, staging);

  const opened = await openStore({ path: staging, keyFile: options.keyFile, kioskId: options.kioskId, clock, auditOpen: false });
  if (!opened.ok) {
    for (const suffix of sidecars) rmSync(`${staging}${suffix}`, { force: true });
    return err({ kind: 'backup_unusable', cause: opened.error });
  }
  const verified = await opened.value.verifyAudit();
  await opened.value.close();
  if (!verified.ok) {
    for (const suffix of sidecars) rmSync(`${staging}${suffix}`, { force: true });
    return verified;
  }

  let previousKeptAs: string | null = null;
  if (existsSync(options.path)) {
    previousKeptAs = `${options.path}.pre-restore-${clock.now().toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of sidecars) if (existsSync(`${options.path}${suffix}`)) renameSync(`${options.path}${suffix}`, `${previousKeptAs}${suffix}`);
  }
  for (const suffix of sidecars) if (existsSync(`${staging}${suffix}`)) renameSync(`${staging}${suffix}`, `${options.path}${suffix}`);

  const restored = await openStore({ path: options.path, keyFile: options.keyFile, kioskId: options.kioskId, clock, auditOpen: false, ...(options.log ? { log: options.log } : {}) });
  if (!restored.ok) return err({ kind: 'backup_unusable', cause: restored.error });
  await restored.value.appendAudit({
    eventId: 'store-restore',
    operatorId: null,
    disposition: 'success',
    details: { backupAuditRows: verified.value.rows, previousKept: previousKeptAs !== null },
  });
  await restored.value.close();
  return ok({ auditRows: verified.value.rows, previousKeptAs });
}
