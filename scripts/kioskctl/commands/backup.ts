import { existsSync } from 'node:fs';
import { storeLocationHelp } from '../../../kiosk/controller/store/cli-options';
import { openStoreForCli } from '../../../kiosk/controller/store/open-for-cli';
import type { KioskctlCommand } from '../main';

const usage = `usage: kioskctl backup <file>
  An online, consistent copy of the store (safe while the kiosk runs). Personal data stays encrypted:
  keep the key file (a separate medium) to be able to restore it.
${storeLocationHelp}
`;

export const command: KioskctlCommand = {
  summary: 'write an online, consistent backup of the store (personal data stays encrypted)',
  async run(args) {
    const opened = await openStoreForCli('backup', args);
    if (!opened) return 1;
    const [file, ...extra] = opened.rest;
    try {
      if (!file || extra.length > 0) {
        process.stderr.write(usage);
        return 2;
      }
      if (existsSync(file)) {
        process.stderr.write(`kioskctl backup: ${file} exists; choose a new file\n`);
        return 1;
      }
      const written = await opened.store.backup(file);
      if (!written.ok) {
        process.stderr.write(`kioskctl backup: ${written.error.message}\n`);
        return 1;
      }
      process.stdout.write(`backup written to ${file}\n`);
      return 0;
    } finally {
      await opened.store.close();
    }
  },
};
