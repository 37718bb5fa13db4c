import { restoreStore, type RestoreError } from '../../../kiosk/controller/store/backup';
import { storeLocationFrom, storeLocationHelp } from '../../../kiosk/controller/store/cli-options';
import { storeProblem } from '../../../kiosk/controller/store/store-problem';
import { assertNever } from '../../../shared/result';
import type { KioskctlCommand } from '../main';

const usage = `usage: kioskctl restore <backup file>
  Stop the kiosk first (refused while its controller runs). The backup is checked (this kiosk's key and
  id, audit chain) before it replaces the store; the replaced database is kept as <db>.pre-restore-<time>.
${storeLocationHelp}
`;

/** What went wrong, in words a technician can act on. */
function problem(error: RestoreError, backupFile: string, keyFile: string): string {
  switch (error.kind) {
    case 'controller_running':
      return `refused: the kiosk controller is running on ${error.dataDir} (pid ${error.pid}); stop the kiosk first, then restore (nothing was changed)`;
    case 'store_in_use':
      return 'refused: another process has the store open (a kiosk still starting or stopping?); stop the kiosk first, then restore (nothing was changed)';
    case 'backup_missing':
      return `no backup file ${backupFile}: nothing was changed`;
    case 'key_file_missing':
      return 'refused: the key file is missing: put the kiosk key back (from the key backup) before restoring; a new key cannot read old data';
    case 'backup_unusable':
      return `refused: ${backupFile} cannot be used with this kiosk's key and id: ${storeProblem(error.cause, keyFile)} (nothing was changed)`;
    case 'restore_failed':
      return error.previousAt === null
        ? `the restore failed at the ${error.step} step (${error.message}); the store was left as it was`
        : `the restore failed at the ${error.step} step (${error.message}) and could not put the previous database back: it is ${error.previousAt}; rename it to the store's name (and its -wal file with it) before starting the kiosk`;
    case 'audit_broken':
      return `refused: the backup's audit chain is broken at row ${error.seq} (${error.reason})`;
    default:
      return assertNever(error);
  }
}

export const command: KioskctlCommand = {
  summary: 'replace the store by a verified backup (kiosk stopped; the old database is kept aside)',
  async run(args) {
    let parsed: ReturnType<typeof storeLocationFrom>;
    try {
      parsed = storeLocationFrom(args);
    } catch (error) {
      process.stderr.write(`kioskctl restore: ${(error as Error).message}\n`);
      return 1;
    }
    const [backupFile, ...extra] = parsed.rest;
    if (!backupFile || extra.length > 0) {
      process.stderr.write(usage);
      return 2;
    }
    const restored = await restoreStore({ backupFile, ...parsed.location });
    if (!restored.ok) {
      process.stderr.write(`kioskctl restore: ${problem(restored.error, backupFile, parsed.location.keyFile)}\n`);
      return 1;
    }
    process.stdout.write(
      `restored ${parsed.location.path} from ${backupFile} (audit chain of ${restored.value.auditRows} rows verified)` +
        `${restored.value.previousKeptAs ? `; previous database kept as ${restored.value.previousKeptAs}` : ''}\n`,
    );
    return 0;
  },
};
