import { restoreStore } from '../../../kiosk/controller/store/backup';
import { storeLocationFrom, storeLocationHelp } from '../../../kiosk/controller/store/cli-options';
import type { KioskctlCommand } from '../main';

const usage = `usage: kioskctl restore <backup file>
  Stop the kiosk first. The backup is checked (this kiosk's key and id, audit chain) before it replaces
  the store; the replaced database is kept as <db>.pre-restore-<time>.
${storeLocationHelp}
`;

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
      process.stderr.write(`kioskctl restore: refused: ${JSON.stringify(restored.error)}\n`);
      return 1;
    }
    process.stdout.write(
      `restored ${parsed.location.path} from ${backupFile} (audit chain of ${restored.value.auditRows} rows verified)` +
        `${restored.value.previousKeptAs ? `; previous database kept as ${restored.value.previousKeptAs}` : ''}\n`,
    );
    return 0;
  },
};
